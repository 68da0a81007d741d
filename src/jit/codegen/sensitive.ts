// Sensitive instructions that do not trap (src/jit/lowering.ts): a callout to the
// monitor with the pre-decoded instruction, or inline emulation (sensitive-intc.ts) that
// calls out for the cases it does not cover. Trapped ones never get here: their unit
// ends before them (src/jit/tu.ts).
import type { Insn } from '../../isa/insn.js';
import { classifySensitive, SENSITIVE_CLASSES } from '../../isa/sensitive.js';
import { SLOT } from '../../machine/hart-state.js';
import { EXIT } from '../exits.js';
import type { Lowering } from '../lowering.js';
import { transfersThroughMonitor } from '../tu.js';
import type { Fragment, Position } from './fragment.js';
import { emitIntc } from './sensitive-intc.js';

export function emitSensitive(f: Fragment, insn: Insn, lowering: Lowering, at: Position): void {
  if (lowering === 'intc' && emitIntc(f, insn, at)) return;
  emitCallout(f, insn, at);
}

/**
 * Calls the monitor for the instruction at `at`, then carries on (or leaves, when the
 * monitor says so: it has set state.pc). rd is reloaded: the monitor wrote it.
 */
export function emitCallout(f: Fragment, insn: Insn, at: Position): void {
  const c = f.c;
  callMonitor(f, insn, at);
  if (transfersThroughMonitor(insn.op)) {
    // ecall, ebreak, xRET: the monitor always leaves; nothing follows in this unit.
    f.leaving();
    c.i32Const(EXIT.ATTENTION).return_();
    return;
  }
  f.reload(insn.rd);
}

/**
 * Inside an `if` arm: the callout for an instruction whose inline form found a case it
 * does not cover. Leaves rd's new value (i64) on the stack, or 0 when rd is x0.
 */
export function emitCalloutValue(f: Fragment, insn: Insn, at: Position): void {
  const c = f.c;
  callMonitor(f, insn, at);
  if (insn.rd === 0) c.i64Const(0n);
  else { f.vm(); c.i64Load(insn.rd * 8); }
}

/** The call itself, with state exact for the monitor; leaves when it answers non-zero. */
function callMonitor(f: Fragment, insn: Insn, at: Position): void {
  const c = f.c;
  f.beforeHelper();
  c.i32Const(f.ctx.siteFor(insn, at.pc, at.nextPc)).call(f.ctx.calloutFn);
  c.if_();
  f.leaving();
  c.i32Const(EXIT.ATTENTION).return_(); // the monitor has set state.pc
  c.end();
}

/** With counting on: one more in-TC emulation of this instruction's class. */
export function countIntc(f: Fragment, insn: Insn): void {
  if (!f.ctx.countIntc) return;
  const cls = classifySensitive(insn);
  if (cls === null) return;
  const offset = (SLOT.intcCounts + SENSITIVE_CLASSES.indexOf(cls)) * 8;
  f.vm();
  f.vm();
  f.c.i64Load(offset).i64Const(1n).i64Add().i64Store(offset);
}
