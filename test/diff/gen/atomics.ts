// Item generators: AMOs (A, Zabha, Zacas), LR/SC and fences.
import { RAM_END } from './layout.js';
import { DPTR } from './registers.js';
import { enc, I, li } from './encode.js';
import { leaf, type Ctx, type Gen, type Node } from './core.js';
import { aluWord } from './alu.js';

// AMO funct5 values (A extension, table 24.x); CAS is Zacas.
export const AMO_F5 = { add: 0x00, swap: 0x01, lr: 0x02, sc: 0x03, xor: 0x04, cas: 0x05, or: 0x08, and: 0x0c, min: 0x10, max: 0x14, minu: 0x18, maxu: 0x1c } as const;
const AMO_KINDS = [AMO_F5.add, AMO_F5.swap, AMO_F5.xor, AMO_F5.or, AMO_F5.and, AMO_F5.min, AMO_F5.max, AMO_F5.minu, AMO_F5.maxu];
/** Even register pairs body code may write as a whole (amocas.q destinations). */
const PAIRS = [4, 6, 10, 12, 14, 16, 18, 20, 22, 24, 28];

export function genAmo(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  const cas = g.zabhaZacas && rng.bool(0.2);
  let f3 = g.zabhaZacas && rng.bool(0.3) ? rng.int(2) : rng.range(2, 3); // 0 .b, 1 .h, 2 .w, 3 .d
  let rd = g.rd(ctx);
  let rs2 = g.src();
  if (cas && rng.bool(0.15)) { // amocas.q on even pairs
    const pairs = PAIRS.filter((p) => ctx.writable.includes(p) && ctx.writable.includes(p + 1));
    if (pairs.length > 0) { f3 = 4; rd = rng.pick(pairs); rs2 = rng.pick([0, ...PAIRS]); }
  }
  const size = f3 === 4 ? 16 : 1 << f3;
  const t = g.temp(ctx, [rd, rd + 1]);
  let pre: number[];
  const fault = rng.bool(0.05 * ctx.trapScale);
  if (fault) pre = li(t, rng.pick([0n, BigInt(RAM_END)]));
  else {
    let off = Math.floor(rng.range(-2048, 2047 - 16) / size) * size;
    if (size > 1 && rng.bool(0.12 * ctx.trapScale)) off += rng.range(1, size - 1); // misaligned: always a store/AMO fault
    pre = [I.addi(t, DPTR, off)];
  }
  const f5 = cas ? AMO_F5.cas : rng.pick(AMO_KINDS);
  const w = enc.amo(f5, rng.int(2), rng.int(2), f3, rd, t, rs2);
  return leaf('amo', (a) => { a.words(pre); a.i32(w); });
}

/** lr; a few ALU instructions; sc (same address, another address, or without lr). */
export function genLrSc(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  const d = rng.bool() ? 3 : 2;
  const size = d === 3 ? 8 : 4;
  const a1 = g.temp(ctx);
  const a2 = g.temp(ctx, [a1]);
  let off = Math.floor(rng.range(-2048, 2040) / size) * size;
  if (rng.bool(0.1 * ctx.trapScale)) off += rng.range(1, size - 1);
  const words: number[] = [I.addi(a1, DPTR, off)];
  const variant = rng.int(6);
  if (variant !== 5) words.push(enc.amo(AMO_F5.lr, rng.int(2), rng.int(2), d, g.rd({ ...ctx, writable: ctx.writable.filter((r) => r !== a1) }), a1, 0));
  const between = rng.int(4);
  const inner: Ctx = { ...ctx, writable: ctx.writable.filter((r) => r !== a1 && r !== a2) };
  for (let i = 0; i < between; i++) words.push(aluWord(g, g.rd(inner) || inner.writable[0]));
  if (variant === 3) words.push(I.store(d, g.src(), a1, 0)); // a plain store to the reserved address
  let scAddr = a1;
  if (variant === 4) { scAddr = a2; words.push(I.addi(a2, DPTR, Math.floor(rng.range(-2048, 2040) / 8) * 8)); }
  const scD = rng.bool(0.15 * ctx.trapScale) ? 5 - d : d; // sometimes the other width
  words.push(enc.amo(AMO_F5.sc, rng.int(2), rng.int(2), scD, g.rd(ctx), scAddr, g.src()));
  return leaf('lrsc', (a) => a.words(words));
}

export function genFence(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  const w = rng.weighted<() => number>([
    [4, () => enc.i(0x0f, 0, 0, 0, (rng.range(1, 15) << 4) | rng.range(1, 15))], // fence pred,succ
    [1, () => 0x8330000f], // fence.tso
    [1, () => 0x0100000f], // pause
    [3, () => I.fenceI()],
    [1, () => enc.i(0x0f, 1, rng.int(32), rng.int(32), rng.range(-2048, 2047))], // fence.i with ignored fields
    [2, () => enc.r(0x73, 0, 0x09, 0, g.src(), g.src())], // sfence.vma
  ])();
  void ctx;
  return leaf('fence', (a) => a.i32(w));
}
