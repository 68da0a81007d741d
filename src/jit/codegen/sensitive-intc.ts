// In-TC emulation: sensitive instructions done inline in Wasm, reading and writing the
// CSR file in the state block. Which cases are inline, and which call out:
//
//   counter reads   rdcycle, rdtime, rdinstret, csrr mcycle/minstret: inline, computed
//                   from the run's base counts and the budget left (no call). Calls out
//                   when xcounteren forbids the read (the monitor raises the exception),
//                   when mcountinhibit stops the counter, and always for rdtime under
//                   --realtime (the host clock is outside Wasm).
//   plain CSRs      reads of every CSR whose value is a slot, a masked slot or a constant
//                   (csr-file.ts PLAIN_READS: sstatus, sie, sip, the trap-setup CSRs,
//                   mstatus, mie, ..., misa, mhartid); reads and writes of xepc, xcause,
//                   xtval, xscratch (PLAIN_WRITES). Inline.
//   mstatus/sstatus writes: inline unless a bit that changes translation (MPRV, SUM,
//                   MXR, MPP) would change; then the callout. Setting SIE or MIE while an
//                   interrupt is pending and enabled in mie leaves with EXIT.RECHECK so
//                   the monitor delivers it before the next instruction.
//   fence.i         inline (a no-op: stores to code invalidate translations already).
//   sret, mret      inline (pop the status stack, set the privilege level, jump to xepc),
//                   then EXIT.RECHECK: the new privilege level is another code context.
//                   sret under mstatus.TSR calls out.
//   everything else (satp, xtvec, xedeleg/xideleg, xcounteren, mie/sie/mip/sip writes,
//                   pmp, counter writes, ecall/ebreak, wfi, sfence.vma, device loads and
//                   stores): the callout. Devices live in the monitor; sfence.vma and satp
//                   flush the monitor's translation structures; an exception needs the
//                   monitor's bookkeeping (counts, trap-loop detection).
//
// The privilege level is fixed per code context, so privilege checks are made here, at
// translation time: an access the level does not allow is left to the callout, which
// raises the exception. The differential tests run every guest with every lowering and
// compare against the interpreter, which goes through csr-file.ts.
import { CSR, csrIsReadOnly, csrMinPrivilege, MSTATUS, PRIV } from '../../isa/csr-numbers.js';
import type { Insn } from '../../isa/insn.js';
import { Op } from '../../isa/opcodes.js';
import { csrWrites } from '../../isa/sensitive.js';
import { INSNS_PER_TICK } from '../../machine/clock.js';
import { plainCsrRead, plainCsrWrite, STATUS_WRITE, type CsrReadForm } from '../../machine/csr-file.js';
import { SLOT } from '../../machine/hart-state.js';
import { EXIT } from '../exits.js';
import { I32, I64 } from '../wasm/types.js';
import { VM_PARAM } from './emitter.js';
import { BUDGET_OFFSET, REFUND_OFFSET, type Fragment, type Position } from './fragment.js';
import { countIntc, emitCallout, emitCalloutValue } from './sensitive.js';

/** Emits the inline form of `insn`; false when it has none (the caller calls out). */
export function emitIntc(f: Fragment, insn: Insn, at: Position): boolean {
  if (insn.op === Op.FENCE_I) {
    countIntc(f, insn);
    return true;
  }
  if (insn.op >= Op.CSRRW && insn.op <= Op.CSRRCI) return emitCsr(f, insn, at);
  if (insn.op === Op.SRET || insn.op === Op.MRET) return emitXret(f, insn, at);
  return false;
}

/**
 * sret/mret (src/machine/trap.ts returnFrom*): pop the xstatus stack, set the privilege
 * level and jump to xepc, then leave with EXIT.RECHECK (the privilege level is part of
 * the code context, and an enable may have come back on). sret under mstatus.TSR calls
 * out (the monitor raises the exception).
 */
function emitXret(f: Fragment, insn: Insn, at: Position): boolean {
  const c = f.c;
  const machine = insn.op === Op.MRET;
  if (f.ctx.priv < (machine ? PRIV.M : PRIV.S)) return false; // illegal here: the callout raises it
  if (!machine && f.ctx.priv === PRIV.S) {
    c.localGet(VM_PARAM).i64Load(slot(SLOT.mstatus)).i64Const(MSTATUS.TSR).i64And().i64Eqz().i32Eqz().if_();
    emitCallout(f, insn, at);
    c.end();
  }
  const x = machine
    ? { ie: MSTATUS.MIE, pie: MSTATUS.MPIE, pp: MSTATUS.MPP, ppShift: 11n, pieShift: 4n, epc: SLOT.mepc }
    : { ie: MSTATUS.SIE, pie: MSTATUS.SPIE, pp: MSTATUS.SPP, ppShift: 8n, pieShift: 4n, epc: SLOT.sepc };
  c.localGet(VM_PARAM).i64Load(slot(SLOT.mstatus)).localSet(f.t64a);
  // the privilege level returned to: xPP
  c.localGet(f.t64a).i64Const(x.pp).i64And().i64Const(x.ppShift).i64ShrU().localSet(f.t64b);
  // xIE = xPIE, xPIE = 1, xPP = U; MPRV cleared unless mret returns to M
  c.localGet(f.t64a).i64Const(BigInt.asIntN(64, ~(x.ie | x.pp))).i64And()
    .localGet(f.t64a).i64Const(x.pieShift).i64ShrU().i64Const(x.ie).i64And().i64Or()
    .i64Const(x.pie).i64Or().localSet(f.t64c);
  if (machine) {
    c.localGet(f.t64b).i64Const(BigInt(PRIV.M)).i64Ne().if_();
    c.localGet(f.t64c).i64Const(BigInt.asIntN(64, ~MSTATUS.MPRV)).i64And().localSet(f.t64c);
    c.end();
  } else {
    c.localGet(f.t64c).i64Const(BigInt.asIntN(64, ~MSTATUS.MPRV)).i64And().localSet(f.t64c);
  }
  c.localGet(VM_PARAM).localGet(f.t64c).i64Store(slot(SLOT.mstatus));
  c.localGet(VM_PARAM).localGet(f.t64b).i64Store(slot(SLOT.priv));
  countIntc(f, insn);
  f.writeBack();
  c.localGet(VM_PARAM).localGet(VM_PARAM).i64Load(slot(x.epc)).i64Store(slot(SLOT.pc));
  c.localGet(VM_PARAM).i32Const(at.count - at.index - 1).i32Store(REFUND_OFFSET);
  f.leaving();
  c.i32Const(EXIT.RECHECK).return_();
  return true;
}

const slot = (n: number) => n * 8;

interface CounterRead {
  /** The count it derives from, and the offset slot added to it. */
  readonly base: number;
  readonly offset: number;
  /** mcountinhibit bit that freezes it (0: none). */
  readonly inhibit: bigint;
  /** Bit in mcounteren/scounteren gating U and S reads (-1: M-mode CSR). */
  readonly enableBit: number;
  readonly time: boolean;
}

const COUNTER_READS = new Map<number, CounterRead>([
  [CSR.cycle, { base: SLOT.runBaseExecuted, offset: SLOT.cycleOffset, inhibit: 1n, enableBit: 0, time: false }],
  [CSR.time, { base: SLOT.runBaseExecuted, offset: SLOT.mtimeOffset, inhibit: 0n, enableBit: 1, time: true }],
  [CSR.instret, { base: SLOT.runBaseRetired, offset: SLOT.instretOffset, inhibit: 4n, enableBit: 2, time: false }],
  [CSR.mcycle, { base: SLOT.runBaseExecuted, offset: SLOT.cycleOffset, inhibit: 1n, enableBit: -1, time: false }],
  [CSR.minstret, { base: SLOT.runBaseRetired, offset: SLOT.instretOffset, inhibit: 4n, enableBit: -1, time: false }],
]);

function emitCsr(f: Fragment, insn: Insn, at: Position): boolean {
  const num = insn.csr;
  const priv = f.ctx.priv;
  const writes = csrWrites(insn);
  if (priv < csrMinPrivilege(num) || (writes && csrIsReadOnly(num))) return false;
  const counter = COUNTER_READS.get(num);
  if (counter && !writes) return emitCounterRead(f, insn, at, counter);
  const read = plainCsrRead(num);
  if (!read) return false;
  if (!writes) {
    pushRead(f, read);
    countIntc(f, insn);
    f.set(insn.rd);
    return true;
  }
  const write = plainCsrWrite(num);
  if (write) {
    const c = f.c;
    pushSource(f, insn);
    pushRead(f, read);
    c.localSet(f.t64a);
    newValue(f, insn);
    c.i64Const(BigInt.asIntN(64, write.mask)).i64And().localSet(f.t64b);
    c.localGet(VM_PARAM).localGet(f.t64b).i64Store(slot(write.slot));
    countIntc(f, insn);
    c.localGet(f.t64a);
    f.set(insn.rd);
    return true;
  }
  if (STATUS_WRITE.writable.has(num)) {
    emitStatusWrite(f, insn, at, read, STATUS_WRITE.writable.get(num)!);
    return true;
  }
  return false;
}

/** Pushes the CSR's value (i64) as PLAIN_READS describes it. */
function pushRead(f: Fragment, form: CsrReadForm): void {
  const c = f.c;
  if ('value' in form) { c.i64Const(BigInt.asIntN(64, form.value)); return; }
  c.localGet(VM_PARAM).i64Load(slot(form.slot));
  if (form.mask !== undefined) c.i64Const(BigInt.asIntN(64, form.mask)).i64And();
  if (form.maskSlot !== undefined) c.localGet(VM_PARAM).i64Load(slot(form.maskSlot)).i64And();
}

/** rs1's value or the zero-extended immediate, into t64c (read at the top level, before any branch). */
function pushSource(f: Fragment, insn: Insn): void {
  const immediate = insn.op === Op.CSRRWI || insn.op === Op.CSRRSI || insn.op === Op.CSRRCI;
  if (immediate) f.c.i64Const(BigInt(insn.rs1));
  else f.get(insn.rs1);
  f.c.localSet(f.t64c);
}

/** Pushes the value the instruction writes, from the old value in t64a and the source in t64c. */
function newValue(f: Fragment, insn: Insn): void {
  const c = f.c;
  switch (insn.op) {
    case Op.CSRRW: case Op.CSRRWI: c.localGet(f.t64c); break;
    case Op.CSRRS: case Op.CSRRSI: c.localGet(f.t64a).localGet(f.t64c).i64Or(); break;
    default: c.localGet(f.t64a).localGet(f.t64c).i64Const(-1n).i64Xor().i64And();
  }
}

/** The exact executed (or retired) count before this instruction: base - budget - (unit instructions from here on). */
function pushCountNow(f: Fragment, baseSlot: number, at: Position): void {
  f.c.localGet(VM_PARAM).i64Load(slot(baseSlot))
    .localGet(VM_PARAM).i32Load(BUDGET_OFFSET).i64ExtendI32S().i64Sub()
    .i64Const(BigInt(at.count - at.index)).i64Sub();
}

function emitCounterRead(f: Fragment, insn: Insn, at: Position, counter: CounterRead): boolean {
  if (counter.time && f.ctx.realtime) return false;
  const c = f.c;
  // Guard: does this read need the monitor? (xcounteren forbids it, or the counter is frozen)
  let guards = 0;
  const enableGuard = (enSlot: number) => {
    c.localGet(VM_PARAM).i64Load(slot(enSlot)).i64Const(BigInt(1 << counter.enableBit)).i64And().i64Eqz();
    if (guards++ > 0) c.i32Or();
  };
  if (counter.enableBit >= 0 && f.ctx.priv < PRIV.M) enableGuard(SLOT.mcounteren);
  if (counter.enableBit >= 0 && f.ctx.priv < PRIV.S) enableGuard(SLOT.scounteren);
  if (counter.inhibit !== 0n) {
    c.localGet(VM_PARAM).i64Load(slot(SLOT.mcountinhibit)).i64Const(counter.inhibit).i64And().i64Eqz().i32Eqz();
    if (guards++ > 0) c.i32Or();
  }
  if (guards > 0) {
    c.if_(I64);
    emitCalloutValue(f, insn, at);
    c.else_();
  }
  pushCountNow(f, counter.base, at);
  if (counter.time) c.i64Const(INSNS_PER_TICK).i64DivU();
  c.localGet(VM_PARAM).i64Load(slot(counter.offset)).i64Add();
  countIntc(f, insn);
  if (guards > 0) c.end();
  f.set(insn.rd);
  return true;
}

/**
 * mstatus/sstatus: t64a = old mstatus, t64b = new mstatus. Translation bits changing:
 * the callout. Otherwise store it, and leave with EXIT.RECHECK after the instruction
 * when it newly enables interrupts while one is pending and enabled in mie.
 */
function emitStatusWrite(f: Fragment, insn: Insn, at: Position, read: CsrReadForm, writable: bigint): void {
  const c = f.c;
  const recheck = c.addLocal(I32);
  const view = c.addLocal(I64);
  pushSource(f, insn);
  c.localGet(VM_PARAM).i64Load(slot(SLOT.mstatus)).localSet(f.t64b); // full old mstatus, for now
  pushRead(f, read);
  c.localTee(view).localSet(f.t64a); // the old value as this CSR shows it: rd and csrrs/csrrc see this
  newValue(f, insn);
  // new mstatus = (old & ~writable) | (value & writable) | fixed fields
  c.i64Const(BigInt.asIntN(64, writable)).i64And()
    .localGet(f.t64b).i64Const(BigInt.asIntN(64, ~writable)).i64And().i64Or()
    .i64Const(BigInt.asIntN(64, STATUS_WRITE.fixed)).i64Or();
  c.localGet(f.t64b).localSet(f.t64a); // t64a = old mstatus
  c.localSet(f.t64b); // t64b = new mstatus
  c.localGet(f.t64a).localGet(f.t64b).i64Xor().i64Const(BigInt.asIntN(64, STATUS_WRITE.translationBits)).i64And()
    .i64Eqz().i32Eqz();
  c.if_(I64);
  c.i32Const(0).localSet(recheck);
  emitCalloutValue(f, insn, at);
  c.else_();
  c.localGet(VM_PARAM).localGet(f.t64b).i64Store(slot(SLOT.mstatus));
  countIntc(f, insn);
  // newly enabled (new & ~old & xIE) and something pending and enabled (mip & mie)
  c.localGet(f.t64b).localGet(f.t64a).i64Const(-1n).i64Xor().i64And()
    .i64Const(BigInt.asIntN(64, STATUS_WRITE.interruptBits)).i64And().i64Eqz().i32Eqz()
    .localGet(VM_PARAM).i64Load(slot(SLOT.mip)).localGet(VM_PARAM).i64Load(slot(SLOT.mie)).i64And().i64Eqz().i32Eqz()
    .i32And().localSet(recheck);
  c.localGet(view);
  c.end();
  f.set(insn.rd);
  c.localGet(recheck).if_();
  f.exitAfter(EXIT.RECHECK, at.nextPc, at.count - at.index - 1);
  c.end();
}
