// Exceptions and interrupts: how a trap is signalled inside an engine, which interrupt is
// taken next, and how the hart enters a trap handler. One home for delegation and the
// xstatus stack so the interpreter and the monitor's trap path agree by construction.
import { MSTATUS, PRIV } from '../isa/csr-numbers.js';
import { SLOT } from './hart-state.js';

/**
 * Thrown inside an engine when the current instruction raises an exception. Not an
 * Error subclass on purpose: no stack trace is captured, so guest traps stay cheap.
 */
export class TrapSignal {
  constructor(readonly cause: number, readonly tval: bigint) {}
}

export function raise(cause: number, tval: bigint = 0n): never {
  throw new TrapSignal(cause, tval);
}

const INTERRUPT_BIT = 1n << 63n;
/** Interrupt numbers in the order the privileged spec gives them priority. */
const IRQ_PRIORITY = [11, 3, 7, 9, 1, 5] as const;

/**
 * The interrupt the hart takes before its next instruction, or -1. Interrupts for a
 * more privileged mode are always enabled; for the current mode only when its xIE is set;
 * for a less privileged mode never.
 */
export function pendingInterrupt(s: BigUint64Array): number {
  const pending = s[SLOT.mip] & s[SLOT.mie];
  if (pending === 0n) return -1;
  const priv = Number(s[SLOT.priv]);
  const mstatus = s[SLOT.mstatus];
  const mideleg = s[SLOT.mideleg];
  const mEnabled = priv < PRIV.M || (mstatus & MSTATUS.MIE) !== 0n;
  const sEnabled = priv < PRIV.S || (priv === PRIV.S && (mstatus & MSTATUS.SIE) !== 0n);
  const toM = mEnabled ? pending & ~mideleg : 0n;
  const toS = sEnabled ? pending & mideleg : 0n;
  // Any interrupt that traps to M outranks any that traps to S.
  const candidates = toM !== 0n ? toM : toS;
  if (candidates === 0n) return -1;
  for (const irq of IRQ_PRIORITY) if ((candidates >> BigInt(irq)) & 1n) return irq;
  return -1;
}

/**
 * Enter the trap handler for an exception (interrupt false) or an interrupt (cause is the
 * interrupt number). `pc` is the address of the instruction that trapped (exceptions) or
 * of the next instruction to execute (interrupts). Returns the new privilege level.
 */
export function enterTrap(s: BigUint64Array, cause: number, tval: bigint, interrupt: boolean, pc: bigint): number {
  const priv = Number(s[SLOT.priv]);
  const deleg = interrupt ? s[SLOT.mideleg] : s[SLOT.medeleg];
  const t = priv <= PRIV.S && ((deleg >> BigInt(cause)) & 1n) !== 0n ? TO_S : TO_M;
  s[t.epc] = pc;
  s[t.cause] = BigInt(cause) | (interrupt ? INTERRUPT_BIT : 0n);
  s[t.tval] = tval;
  let status = s[SLOT.mstatus];
  const ie = (status & t.ie) !== 0n;
  status &= ~(t.pie | t.ie | t.pp);
  if (ie) status |= t.pie;
  status |= BigInt(priv) << t.ppShift; // SPP is one bit: priv is U or S when trapping to S
  s[SLOT.mstatus] = status;
  s[SLOT.pc] = vectorAddress(s[t.tvec], cause, interrupt);
  s[SLOT.priv] = BigInt(t.mode);
  return t.mode;
}

/** Where a trap into S or M keeps its state. */
const TO_S = {
  mode: PRIV.S, epc: SLOT.sepc, cause: SLOT.scause, tval: SLOT.stval, tvec: SLOT.stvec,
  ie: MSTATUS.SIE, pie: MSTATUS.SPIE, pp: MSTATUS.SPP, ppShift: 8n,
} as const;
const TO_M = {
  mode: PRIV.M, epc: SLOT.mepc, cause: SLOT.mcause, tval: SLOT.mtval, tvec: SLOT.mtvec,
  ie: MSTATUS.MIE, pie: MSTATUS.MPIE, pp: MSTATUS.MPP, ppShift: 11n,
} as const;

function vectorAddress(tvec: bigint, cause: number, interrupt: boolean): bigint {
  const base = tvec & ~3n;
  if ((tvec & 3n) === 1n && interrupt) return base + 4n * BigInt(cause);
  return base;
}

/** mret: returns to MPP with MIE restored from MPIE. Clears MPRV when leaving M. */
export function returnFromMachine(s: BigUint64Array): void {
  let status = s[SLOT.mstatus];
  const mpp = Number((status & MSTATUS.MPP) >> 11n);
  status &= ~(MSTATUS.MIE | MSTATUS.MPP);
  if (status & MSTATUS.MPIE) status |= MSTATUS.MIE;
  status |= MSTATUS.MPIE;
  if (mpp !== PRIV.M) status &= ~MSTATUS.MPRV;
  s[SLOT.mstatus] = status;
  s[SLOT.priv] = BigInt(mpp);
  s[SLOT.pc] = s[SLOT.mepc];
}

/** sret: returns to SPP with SIE restored from SPIE. Clears MPRV (the target is below M). */
export function returnFromSupervisor(s: BigUint64Array): void {
  let status = s[SLOT.mstatus];
  const spp = (status & MSTATUS.SPP) !== 0n ? PRIV.S : PRIV.U;
  status &= ~(MSTATUS.SIE | MSTATUS.SPP | MSTATUS.MPRV);
  if (status & MSTATUS.SPIE) status |= MSTATUS.SIE;
  status |= MSTATUS.SPIE;
  s[SLOT.mstatus] = status;
  s[SLOT.priv] = BigInt(spp);
  s[SLOT.pc] = s[SLOT.sepc];
}
