// Every i32/i64 numeric operator the builder names, run in V8 and compared with an
// independent reference: BigInt arithmetic for i64, JS 32-bit arithmetic for i32.

import { beforeAll, describe, expect, it } from 'vitest';
import { CodeBuilder, I32, I64, ModuleBuilder, type ValType } from '../../../src/jit/wasm/index.js';
import { instantiate, type Exports } from './helpers.js';

/** Names of CodeBuilder's immediate-free methods (the ones these tests call by name). */
type Op0 = { [K in keyof CodeBuilder]: CodeBuilder[K] extends () => CodeBuilder ? K : never }[keyof CodeBuilder];

const TRAP = 'trap' as const;
type R64 = bigint | typeof TRAP;
type R32 = number | typeof TRAP;

const MIN64 = -(1n << 63n);
const s64 = (v: bigint) => BigInt.asIntN(64, v);
const u64 = (v: bigint) => BigInt.asUintN(64, v);
const b2n = (b: boolean) => (b ? 1 : 0);

function clz64(v: bigint): bigint {
  let x = u64(v);
  let n = 64n;
  while (x !== 0n) {
    x >>= 1n;
    n--;
  }
  return n;
}
function ctz64(v: bigint): bigint {
  let x = u64(v);
  if (x === 0n) return 64n;
  let n = 0n;
  while ((x & 1n) === 0n) {
    x >>= 1n;
    n++;
  }
  return n;
}
function popcnt64(v: bigint): bigint {
  let x = u64(v);
  let n = 0n;
  for (; x !== 0n; x >>= 1n) n += x & 1n;
  return n;
}
function rotl64(a: bigint, b: bigint): bigint {
  const k = b & 63n;
  const x = u64(a);
  return s64((x << k) | (x >> (64n - k)));
}

const I64_BINARY: [Op0, (a: bigint, b: bigint) => R64][] = [
  ['i64Add', (a, b) => s64(a + b)],
  ['i64Sub', (a, b) => s64(a - b)],
  ['i64Mul', (a, b) => s64(a * b)],
  ['i64DivS', (a, b) => (b === 0n || (a === MIN64 && b === -1n) ? TRAP : s64(a / b))],
  ['i64DivU', (a, b) => (b === 0n ? TRAP : s64(u64(a) / u64(b)))],
  ['i64RemS', (a, b) => (b === 0n ? TRAP : s64(a % b))],
  ['i64RemU', (a, b) => (b === 0n ? TRAP : s64(u64(a) % u64(b)))],
  ['i64And', (a, b) => s64(a & b)],
  ['i64Or', (a, b) => s64(a | b)],
  ['i64Xor', (a, b) => s64(a ^ b)],
  ['i64Shl', (a, b) => s64(a << (b & 63n))],
  ['i64ShrS', (a, b) => a >> (b & 63n)],
  ['i64ShrU', (a, b) => s64(u64(a) >> (b & 63n))],
  ['i64Rotl', (a, b) => rotl64(a, b)],
  ['i64Rotr', (a, b) => rotl64(a, 64n - (b & 63n))],
];
const I64_COMPARE: [Op0, (a: bigint, b: bigint) => boolean][] = [
  ['i64Eq', (a, b) => a === b],
  ['i64Ne', (a, b) => a !== b],
  ['i64LtS', (a, b) => a < b],
  ['i64LtU', (a, b) => u64(a) < u64(b)],
  ['i64GtS', (a, b) => a > b],
  ['i64GtU', (a, b) => u64(a) > u64(b)],
  ['i64LeS', (a, b) => a <= b],
  ['i64LeU', (a, b) => u64(a) <= u64(b)],
  ['i64GeS', (a, b) => a >= b],
  ['i64GeU', (a, b) => u64(a) >= u64(b)],
];
const I64_UNARY: [Op0, (a: bigint) => bigint][] = [
  ['i64Clz', clz64],
  ['i64Ctz', ctz64],
  ['i64Popcnt', popcnt64],
  ['i64Extend8S', (a) => BigInt.asIntN(8, a)],
  ['i64Extend16S', (a) => BigInt.asIntN(16, a)],
  ['i64Extend32S', (a) => BigInt.asIntN(32, a)],
];

const MIN32 = -0x8000_0000;
function ctz32(a: number): number {
  if (a === 0) return 32;
  let n = 0;
  while (((a >>> n) & 1) === 0) n++;
  return n;
}
function popcnt32(a: number): number {
  let n = 0;
  for (let x = a >>> 0; x !== 0; x >>>= 1) n += x & 1;
  return n;
}
const rotl32 = (a: number, b: number) => ((a << (b & 31)) | (a >>> ((32 - (b & 31)) & 31))) | 0;

const I32_BINARY: [Op0, (a: number, b: number) => R32][] = [
  ['i32Add', (a, b) => (a + b) | 0],
  ['i32Sub', (a, b) => (a - b) | 0],
  ['i32Mul', (a, b) => Math.imul(a, b)],
  ['i32DivS', (a, b) => (b === 0 || (a === MIN32 && b === -1) ? TRAP : Math.trunc(a / b) | 0)],
  ['i32DivU', (a, b) => (b === 0 ? TRAP : Math.trunc((a >>> 0) / (b >>> 0)) | 0)],
  ['i32RemS', (a, b) => (b === 0 ? TRAP : a % b | 0)],
  ['i32RemU', (a, b) => (b === 0 ? TRAP : (a >>> 0) % (b >>> 0) | 0)],
  ['i32And', (a, b) => a & b],
  ['i32Or', (a, b) => a | b],
  ['i32Xor', (a, b) => a ^ b],
  ['i32Shl', (a, b) => a << b],
  ['i32ShrS', (a, b) => a >> b],
  ['i32ShrU', (a, b) => (a >>> b) | 0],
  ['i32Rotl', (a, b) => rotl32(a, b)],
  ['i32Rotr', (a, b) => rotl32(a, 32 - (b & 31))],
];
const I32_COMPARE: [Op0, (a: number, b: number) => boolean][] = [
  ['i32Eq', (a, b) => a === b],
  ['i32Ne', (a, b) => a !== b],
  ['i32LtS', (a, b) => a < b],
  ['i32LtU', (a, b) => a >>> 0 < b >>> 0],
  ['i32GtS', (a, b) => a > b],
  ['i32GtU', (a, b) => a >>> 0 > b >>> 0],
  ['i32LeS', (a, b) => a <= b],
  ['i32LeU', (a, b) => a >>> 0 <= b >>> 0],
  ['i32GeS', (a, b) => a >= b],
  ['i32GeU', (a, b) => a >>> 0 >= b >>> 0],
];
const I32_UNARY: [Op0, (a: number) => number][] = [
  ['i32Clz', (a) => Math.clz32(a)],
  ['i32Ctz', ctz32],
  ['i32Popcnt', popcnt32],
  ['i32Extend8S', (a) => (a << 24) >> 24],
  ['i32Extend16S', (a) => (a << 16) >> 16],
];

const V64 = [
  0n, 1n, -1n, 2n, 7n, -7n, 33n, 63n, 64n, 65n, 0x7fff_ffffn, 0x8000_0000n, 0xffff_ffffn, -0x8000_0000n,
  0x0123_4567_89ab_cdefn, -0x0fed_cba9_8765_4321n, 0x7fff_ffff_ffff_ffffn, MIN64, MIN64 + 1n,
];
const V32 = [0, 1, -1, 2, 7, -7, 31, 32, 33, 0x7fff, 0x8000, 0xffff, 0x7fff_ffff, MIN32, MIN32 + 1, 0x1234_5678, -0x789a_bcde];

let ex: Exports;

/** One module holding a function per operator: also exercises a many-function module. */
beforeAll(async () => {
  const mb = new ModuleBuilder();
  const fn = (name: string, params: ValType[], result: ValType, emit: (cb: CodeBuilder) => void) => {
    const cb = new CodeBuilder(params);
    for (let i = 0; i < params.length; i++) cb.localGet(i);
    emit(cb);
    mb.exportFunction(name, mb.addFunction(mb.addType(params, [result]), cb.finish()));
  };
  for (const [op] of I64_BINARY) fn(op, [I64, I64], I64, (cb) => cb[op]());
  for (const [op] of I64_COMPARE) fn(op, [I64, I64], I32, (cb) => cb[op]());
  for (const [op] of I64_UNARY) fn(op, [I64], I64, (cb) => cb[op]());
  fn('i64Eqz', [I64], I32, (cb) => cb.i64Eqz());
  for (const [op] of I32_BINARY) fn(op, [I32, I32], I32, (cb) => cb[op]());
  for (const [op] of I32_COMPARE) fn(op, [I32, I32], I32, (cb) => cb[op]());
  for (const [op] of I32_UNARY) fn(op, [I32], I32, (cb) => cb[op]());
  fn('i32Eqz', [I32], I32, (cb) => cb.i32Eqz());
  fn('i32WrapI64', [I64], I32, (cb) => cb.i32WrapI64());
  fn('i64ExtendI32S', [I32], I64, (cb) => cb.i64ExtendI32S());
  fn('i64ExtendI32U', [I32], I64, (cb) => cb.i64ExtendI32U());
  ex = await instantiate(mb);
});

function expectOp<T>(name: string, call: () => unknown, expected: T | typeof TRAP, args: unknown[]): void {
  if (expected === TRAP) {
    expect(call, `${name}(${args.join(', ')}) should trap`).toThrow(WebAssembly.RuntimeError);
  } else {
    expect(call(), `${name}(${args.join(', ')})`).toBe(expected);
  }
}

describe('i64 operators', () => {
  for (const [op, ref] of I64_BINARY) {
    it(op, () => {
      for (const a of V64) for (const b of V64) expectOp(op, () => ex[op]!(a, b), ref(a, b), [a, b]);
    });
  }
  it('comparisons', () => {
    for (const [op, ref] of I64_COMPARE) for (const a of V64) for (const b of V64) expectOp(op, () => ex[op]!(a, b), b2n(ref(a, b)), [a, b]);
  });
  it('unary operators and eqz', () => {
    for (const a of V64) {
      for (const [op, ref] of I64_UNARY) expectOp(op, () => ex[op]!(a), ref(a), [a]);
      expectOp('i64Eqz', () => ex.i64Eqz!(a), b2n(a === 0n), [a]);
    }
  });
  it('division traps: by zero and INT64_MIN / -1; INT64_MIN % -1 is 0', () => {
    expect(() => ex.i64DivS!(5n, 0n)).toThrow(/divide by zero/);
    expect(() => ex.i64DivU!(5n, 0n)).toThrow(/divide by zero/);
    expect(() => ex.i64RemS!(5n, 0n)).toThrow(/remainder by zero/);
    expect(() => ex.i64RemU!(5n, 0n)).toThrow(/remainder by zero/);
    expect(() => ex.i64DivS!(MIN64, -1n)).toThrow(/unrepresentable/);
    expect(ex.i64RemS!(MIN64, -1n)).toBe(0n);
    expect(ex.i64DivU!(MIN64, -1n)).toBe(0n);
  });
});

describe('i32 operators', () => {
  for (const [op, ref] of I32_BINARY) {
    it(op, () => {
      for (const a of V32) for (const b of V32) expectOp(op, () => ex[op]!(a, b), ref(a, b), [a, b]);
    });
  }
  it('comparisons', () => {
    for (const [op, ref] of I32_COMPARE) for (const a of V32) for (const b of V32) expectOp(op, () => ex[op]!(a, b), b2n(ref(a, b)), [a, b]);
  });
  it('unary operators and eqz', () => {
    for (const a of V32) {
      for (const [op, ref] of I32_UNARY) expectOp(op, () => ex[op]!(a), ref(a), [a]);
      expectOp('i32Eqz', () => ex.i32Eqz!(a), b2n(a === 0), [a]);
    }
  });
  it('division traps: by zero and INT32_MIN / -1', () => {
    expect(() => ex.i32DivS!(5, 0)).toThrow(WebAssembly.RuntimeError);
    expect(() => ex.i32RemU!(5, 0)).toThrow(WebAssembly.RuntimeError);
    expect(() => ex.i32DivS!(MIN32, -1)).toThrow(/unrepresentable/);
    expect(ex.i32RemS!(MIN32, -1)).toBe(0);
  });
});

describe('conversions', () => {
  it('wrap and extend', () => {
    for (const a of V64) expect(ex.i32WrapI64!(a)).toBe(Number(BigInt.asIntN(32, a)));
    for (const a of V32) {
      expect(ex.i64ExtendI32S!(a)).toBe(BigInt(a));
      expect(ex.i64ExtendI32U!(a)).toBe(BigInt(a >>> 0));
    }
  });
});

describe('constants', () => {
  it('i64.const from BigInt, Number and hi/lo all give the value; i32.const takes unsigned patterns', async () => {
    const mb = new ModuleBuilder();
    const t64 = mb.addType([], [I64]);
    const t32 = mb.addType([], [I32]);
    const cases = [...V64, 0xffff_ffff_ffff_ffffn, (1n << 53n) - 1n, -(1n << 53n) + 1n, 1n << 40n];
    cases.forEach((v, i) => {
      const hi = Number(BigInt.asIntN(32, v >> 32n));
      const lo = Number(BigInt.asUintN(32, v));
      mb.exportFunction(`big${i}`, mb.addFunction(t64, new CodeBuilder().i64Const(v).finish()));
      mb.exportFunction(`hilo${i}`, mb.addFunction(t64, new CodeBuilder().i64ConstHiLo(hi, lo).finish()));
      const s = BigInt.asIntN(64, v);
      if (s >= -(1n << 53n) + 1n && s <= (1n << 53n) - 1n) {
        mb.exportFunction(`num${i}`, mb.addFunction(t64, new CodeBuilder().i64Const(Number(s)).finish()));
      }
    });
    const c32 = [0, -1, 0xffff_ffff, 0x8000_0000, MIN32, 0x7fff_ffff, 64, -65];
    c32.forEach((v, i) => mb.exportFunction(`c32_${i}`, mb.addFunction(t32, new CodeBuilder().i32Const(v).finish())));
    const e = await instantiate(mb);
    cases.forEach((v, i) => {
      const want = BigInt.asIntN(64, v);
      expect(e[`big${i}`]!()).toBe(want);
      expect(e[`hilo${i}`]!()).toBe(want);
      if (e[`num${i}`]) expect(e[`num${i}`]!()).toBe(want);
    });
    c32.forEach((v, i) => expect(e[`c32_${i}`]!()).toBe(v | 0));
  });
});
