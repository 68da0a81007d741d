// Translation units -> Wasm function bodies: one unit per function (tier 1), or a hot
// region of units in one function with a dispatch loop (tier 2).
import type { Insn } from '../../isa/insn.js';
import { Op } from '../../isa/opcodes.js';
import { EXIT } from '../exits.js';
import { classifySensitive } from '../../isa/sensitive.js';
import { transfersThroughMonitor, type Tu } from '../tu.js';
import { I32 } from '../wasm/types.js';
import { emitAlu } from './alu.js';
import { emitControl } from './control.js';
import { BUDGET_OFFSET, Fragment } from './fragment.js';
import { emitMemory } from './memory.js';
import { SPAN, SPAN_KIND_OFFSET, SPAN_START_OFFSET, spanAdd } from './spans.js';
import type { ModuleContext } from './module-context.js';
import { emitSensitive } from './sensitive.js';

/** Where tier-1 fragments count their entries, for hot-region detection. */
export interface HotCounter {
  /** Byte address of this unit's i32 counter. */
  readonly address: number;
  /** The entry count at which the unit leaves with EXIT.HOT. */
  readonly threshold: number;
}

/**
 * A new region's trial: it counts its entries and the jumps back to its head, and leaves
 * with EXIT.HOT after `entries.threshold` entries so the engine can check it loops.
 */
export interface RegionProbe {
  readonly entries: HotCounter;
  readonly iterationsAddress: number;
}

export function compileTu(ctx: ModuleContext, tu: Tu, hot?: HotCounter): Uint8Array {
  const f = new Fragment(ctx);
  if (hot) countEntry(f, hot, tu.pc);
  emitUnit(f, tu);
  return f.c.finish();
}

/**
 * A region: `tus[0]` is the entry; the others are reached only by jumps inside the
 * region. Layout: prologue (load registers), loop { block^n { br_table } unit_0 ... }.
 */
export function compileRegion(ctx: ModuleContext, tus: readonly Tu[], probe?: RegionProbe): Uint8Array {
  const f = new Fragment(ctx);
  const c = f.c;
  if (probe) countEntry(f, probe.entries, tus[0].pc);
  const index = new Map<bigint, number>(tus.map((tu, i) => [tu.pc, i]));
  const used = new Set<number>();
  const written = new Set<number>();
  for (const tu of tus) for (const insn of tu.insns) registersOf(insn, used, written);
  const next = c.addLocal(I32);
  f.preload(used, written);
  c.i32Const(0).localSet(next);
  // The region's instructions are counted for --stats as one span, from here to any exit.
  f.vm();
  c.i32Const(SPAN.Region).i32Store(SPAN_KIND_OFFSET);
  f.vm();
  f.vm();
  c.i32Load(BUDGET_OFFSET).i32Store(SPAN_START_OFFSET);
  c.loop();
  f.region = {
    indexOf: (pc) => index.get(pc), nextLocal: next, loopLevel: c.openBlocks, iterationsAddress: probe?.iterationsAddress,
    leaving: () => spanAdd(f, SPAN.Region),
  };
  for (let i = tus.length - 1; i >= 0; i--) c.block();
  c.localGet(next).brTable(tus.map((_, i) => i), tus.length - 1);
  for (const tu of tus) {
    c.end();
    emitUnit(f, tu);
  }
  c.end(); // loop: every unit ends in a jump, so control never falls out of it
  c.unreachable();
  return c.finish();
}

function countEntry(f: Fragment, hot: HotCounter, pc: bigint): void {
  const c = f.c;
  f.vm();
  f.vm();
  c.i32Load(hot.address).i32Const(1).i32Add().localTee(f.t32a).i32Store(hot.address);
  c.localGet(f.t32a).i32Const(hot.threshold).i32Eq().if_();
  f.storePc(pc);
  c.i32Const(EXIT.HOT).return_();
  c.end();
}

/** One unit's code, ending in a jump, a chain or an exit. */
function emitUnit(f: Fragment, tu: Tu): void {
  f.unit = tu;
  const n = tu.insns.length;
  if (n > 0) f.chargeBudget(n, tu.pc);
  for (let k = 0; k < n; k++) {
    const insn = tu.insns[k];
    const pc = tu.pcs[k];
    const nextPc = k + 1 < n ? tu.pcs[k + 1] : tu.nextPc;
    const at = { pc, nextPc, index: k, count: n };
    f.bind(insn, at);
    if (emitAlu(f, insn.op)) continue;
    if (emitMemory(f, insn.op, tu.lowerings[k], tu.ptWrites[k])) continue;
    if (insn.op === Op.FENCE) continue; // one hart: ordering is free
    const lowering = tu.lowerings[k];
    if (lowering !== null && classifySensitive(insn) !== null) {
      emitSensitive(f, insn, lowering, at);
      if (transfersThroughMonitor(insn.op)) {
        if (k !== n - 1) throw new Error('an instruction that transfers through the monitor must end its unit');
        return;
      }
      continue;
    }
    if (emitControl(f, insn.op)) {
      if (k !== n - 1) throw new Error('a control transfer must end its unit');
      return;
    }
    throw new Error(`no code generation for ${Op[insn.op]} at 0x${pc.toString(16)}`);
  }
  if (tu.end === 'monitor') f.exit(EXIT.MONITOR, tu.nextPc);
  else f.chain(tu.nextPc);
}

/** Adds the registers an instruction reads or writes (over-approximated by its fields). */
function registersOf(insn: Insn, used: Set<number>, written: Set<number>): void {
  used.add(insn.rs1);
  used.add(insn.rs2);
  used.add(insn.rd);
  written.add(insn.rd);
}
