// The high 64 bits of 64x64-bit products (MULH, MULHU, MULHSU). Wasm has no wide multiply,
// so MULHU is built from four 32x32 products; the signed forms correct it:
//   mulh(a, b)   = mulhu(a, b) - (a < 0 ? b : 0) - (b < 0 ? a : 0)
//   mulhsu(a, b) = mulhu(a, b) - (a < 0 ? b : 0)
import { CodeBuilder } from '../wasm/code-builder.js';
import { I64 } from '../wasm/types.js';

const A = 0, B = 1;

export function mulhuBody(): Uint8Array {
  const c = new CodeBuilder([I64, I64]);
  const aLo = c.addLocal(I64), aHi = c.addLocal(I64), bLo = c.addLocal(I64), bHi = c.addLocal(I64);
  const t0 = c.addLocal(I64), t1 = c.addLocal(I64), t2 = c.addLocal(I64);
  const lo32 = 0xffff_ffffn;
  c.localGet(A).i64Const(lo32).i64And().localSet(aLo);
  c.localGet(A).i64Const(32n).i64ShrU().localSet(aHi);
  c.localGet(B).i64Const(lo32).i64And().localSet(bLo);
  c.localGet(B).i64Const(32n).i64ShrU().localSet(bHi);
  c.localGet(aLo).localGet(bLo).i64Mul().localSet(t0);
  c.localGet(aHi).localGet(bLo).i64Mul().localGet(t0).i64Const(32n).i64ShrU().i64Add().localSet(t1);
  c.localGet(aLo).localGet(bHi).i64Mul().localGet(t1).i64Const(lo32).i64And().i64Add().localSet(t2);
  c.localGet(aHi).localGet(bHi).i64Mul()
    .localGet(t1).i64Const(32n).i64ShrU().i64Add()
    .localGet(t2).i64Const(32n).i64ShrU().i64Add();
  return c.finish();
}

/** mulh (signedB = true) or mulhsu (signedB = false), calling mulhu at `mulhuFn`. */
export function signedMulhBody(mulhuFn: number, signedB: boolean): Uint8Array {
  const c = new CodeBuilder([I64, I64]);
  c.localGet(A).localGet(B).call(mulhuFn);
  c.localGet(A).i64Const(63n).i64ShrS().localGet(B).i64And().i64Sub();
  if (signedB) c.localGet(B).i64Const(63n).i64ShrS().localGet(A).i64And().i64Sub();
  return c.finish();
}
