// Item generators: branches, jumps, calls, loops and self-modifying code.
import { DPTR, LOOP } from './registers.js';
import { enc, I, li } from './encode.js';
import type { Asm, Label } from './asm.js';
import { leaf, type Ctx, type Gen, type Node } from './core.js';
import { genList } from './items.js';
import { aluWord } from './alu.js';
import { AMO_F5 } from './atomics.js';
import { illegal32 } from './system.js';

const BRANCH_F3 = [0, 1, 4, 5, 6, 7];

export function genBranch(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  const compressed = rng.bool(0.6);
  const cShape = compressed && rng.bool(0.4); // operands that fit c.beqz/c.bnez
  const f3 = cShape ? rng.int(2) : rng.pick(BRANCH_F3);
  const rs1 = cShape || rng.bool(0.3) ? rng.range(8, 15) : g.src();
  const rs2 = cShape || rng.bool(0.3) ? 0 : rng.bool(0.1) ? rs1 : g.src();
  const skipped = genList(g, { ...ctx, depth: ctx.depth + 1 }, rng.range(1, 5));
  return {
    kind: 'branch', lists: [skipped],
    emit: (a, lists) => {
      const over = a.newLabel();
      a.branch(f3, rs1, rs2, over, compressed);
      a.emitList(lists[0]);
      a.bind(over);
    },
  };
}

function junkBytes(g: Gen): number[] {
  const rng = g.rng;
  const n = rng.range(1, 8) * 2;
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(rng.int(256));
  return out;
}

/** jal (or c.j) forward over never-executed junk. */
export function genJal(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  const rd = rng.bool(0.5) ? 0 : g.rd(ctx);
  const compressed = rd === 0 && rng.bool(0.6);
  const junk = junkBytes(g);
  return leaf('jal', (a) => {
    const over = a.newLabel();
    a.jump(rd, over, compressed);
    a.junk(junk);
    a.bind(over);
  });
}

/** jalr / c.jr / c.jalr forward to an address computed with auipc, over junk. */
export function genJalr(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  const t = g.temp(ctx);
  const junk = junkBytes(g);
  const form = rng.int(ctx.writable.includes(1) ? 3 : 2); // c.jalr links ra
  const rd = rng.bool(0.3) ? t : rng.bool(0.3) ? 0 : g.rd(ctx); // rd = rs1 reads before it writes
  const odd = rng.bool(0.3) ? 1 : 0; // jalr clears bit 0 of the target
  return leaf('jalr', (a) => {
    const over = a.newLabel();
    if (form === 0) a.pcrel(t, over, (lo) => I.jalr(rd, t, lo + odd));
    else {
      a.pcrel(t, over, (lo) => I.addi(t, t, lo));
      a.i16(form === 1 ? enc.cr(8, t, 0, 2) : enc.cr(9, t, 0, 2)); // c.jr t / c.jalr t
    }
    a.junk(junk);
    a.bind(over);
  });
}

/** A subroutine: call it (jal or auipc + c.jalr), return with jalr/c.jr, then jump past it. */
export function genCall(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  const viaC = rng.bool(0.35) && ctx.temps.includes(1);
  const link = viaC ? 1 : g.temp(ctx);
  const t = viaC ? g.temp(ctx, [1]) : 0;
  const inner: Ctx = {
    ...ctx, depth: ctx.depth + 1,
    writable: ctx.writable.filter((r) => r !== link), temps: ctx.temps.filter((r) => r !== link),
  };
  const body = genList(g, inner, rng.range(1, 6));
  const retC = rng.bool(0.5);
  const skipC = rng.bool(0.5);
  return {
    kind: 'call', lists: [body],
    emit: (a, lists) => {
      const sub = a.newLabel(), after = a.newLabel();
      if (viaC) {
        a.pcrel(t, sub, (lo) => I.addi(t, t, lo));
        a.i16(enc.cr(9, t, 0, 2)); // c.jalr t (links ra)
      } else {
        a.jump(link, sub, false);
      }
      a.jump(0, after, skipC);
      a.bind(sub);
      a.emitList(lists[0]);
      if (retC) a.i16(enc.cr(8, link, 0, 2)); // c.jr link
      else a.i32(I.jalr(0, link, 0));
      a.bind(after);
    },
  };
}

/** A bounded loop counted down in s11. Hot variants run small bodies many times. */
export function genLoop(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  const hotLoop = rng.bool(0.15);
  const count = hotLoop ? rng.range(100, 600) : rng.range(1, 12);
  const inner: Ctx = { ...ctx, inLoop: true, depth: ctx.depth + 1, trapScale: hotLoop ? 0.04 : 0.3 };
  const body = genList(g, inner, hotLoop ? rng.range(2, 6) : rng.range(2, 12));
  const form = rng.int(4);
  return {
    kind: 'loop', lists: [body],
    emit: (a, lists) => {
      const top = a.newLabel();
      a.words(li(LOOP, BigInt(count)));
      a.bind(top);
      a.emitList(lists[0]);
      a.annotate('loop end');
      if (form === 1) a.i16(enc.ci(0, 1, LOOP, 31, 1)); // c.addi s11, -1
      else a.i32(I.addi(LOOP, LOOP, -1));
      if (form === 2) a.branch(4, 0, LOOP, top, false); // blt x0, s11
      else if (form === 3) a.branch(6, 0, LOOP, top, false); // bltu x0, s11
      else a.branch(1, LOOP, 0, top, false); // bne s11, x0
    },
  };
}

/** A simple instruction for a self-modifying-code slot. */
function smcWord(g: Gen, ctx: Ctx): number {
  const rng = g.rng;
  return rng.weighted<() => number>([
    [7, () => aluWord(g, g.rd(ctx) || ctx.writable[0])],
    [ctx.trapScale, () => illegal32(g)],
    [ctx.trapScale, () => rng.bool() ? I.ebreak() : I.ecall()],
    [1, () => I.load(rng.int(7), g.rd(ctx), DPTR, rng.range(-64, 64) & ~7)],
  ])();
}

function smcParcel(g: Gen, ctx: Ctx): number {
  const rng = g.rng;
  const rd = g.rd(ctx) || ctx.writable[0];
  const v = rng.range(-32, 31);
  return rng.pick([enc.ci(0, v >> 5, rd, v, 1), enc.ci(2, v >> 5, rd, v, 1), enc.cr(9, rd, g.src() || 1, 2), 0x9002, 0x0000]);
}

/**
 * Self-modifying code: store a new instruction into the program's own code and execute it
 * after fence.i. Forward: the slot follows the store (its first version never runs). In a
 * loop: the slot comes first, so iteration 1 runs the original and later ones the new word.
 */
export function genSmc(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  const inLoopForm = !ctx.inLoop && rng.bool(0.5);
  const half = rng.bool(0.25); // a 16-bit slot, stored with sh
  const misalignedSlot = !half && rng.bool(0.25); // a 32-bit slot at 2 mod 4, stored with two sh
  const useAmo = !half && !misalignedSlot && rng.bool(0.15); // amoswap.w into code
  const vReg = g.temp(ctx);
  const addrReg = g.temp(ctx, [vReg]);
  const inner: Ctx = { ...ctx, writable: ctx.writable.filter((r) => r !== vReg && r !== addrReg), temps: ctx.temps.filter((r) => r !== vReg && r !== addrReg) };
  const original = half ? smcParcel(g, inner) : smcWord(g, inner);
  const replacement = half ? smcParcel(g, inner) : smcWord(g, inner);
  const between = genList(g, { ...inner, depth: ctx.depth + 1, inLoop: true }, rng.range(0, 3));
  const count = rng.range(2, 6);
  const amoRd = g.rd(inner) || inner.writable[0];
  const emitStore = (a: Asm, slot: Label) => {
    a.annotate('smc store');
    a.words(li(vReg, BigInt(replacement)));
    a.pcrel(addrReg, slot, (lo) => I.addi(addrReg, addrReg, lo));
    if (half) a.i32(I.sh(vReg, addrReg, 0));
    else if (misalignedSlot) a.words([I.sh(vReg, addrReg, 0), I.srli(vReg, vReg, 16), I.sh(vReg, addrReg, 2)]);
    else if (useAmo) a.i32(enc.amo(AMO_F5.swap, 0, 0, 2, amoRd, addrReg, vReg));
    else a.i32(I.sw(vReg, addrReg, 0));
    a.i32(I.fenceI());
  };
  const emitSlot = (a: Asm, slot: Label) => {
    a.alignNop(misalignedSlot ? 1 : 0);
    a.bind(slot);
    a.annotate('smc slot');
    if (half) a.i16(original); else a.i32(original);
  };
  return {
    kind: 'smc', lists: [between],
    emit: (a, lists) => {
      const slot = a.newLabel();
      if (inLoopForm) {
        const top = a.newLabel();
        a.words(li(LOOP, BigInt(count)));
        a.bind(top);
        emitSlot(a, slot);
        a.emitList(lists[0]);
        emitStore(a, slot);
        a.i32(I.addi(LOOP, LOOP, -1));
        a.branch(1, LOOP, 0, top, false);
      } else {
        emitStore(a, slot);
        a.emitList(lists[0]);
        emitSlot(a, slot);
      }
    },
  };
}
