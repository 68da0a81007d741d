// System instructions: ecall/ebreak, the Zicsr instructions, mret/sret, wfi, sfence.vma
// and fence.i. One home for what they do, shared by the interpreter (which is also the
// monitor's trap-and-emulate path) and by the monitor's callouts from compiled code, so
// every lowering of a sensitive instruction ends in the same code.
import type { Insn } from '../isa/insn.js';
import { Op } from '../isa/opcodes.js';
import { CAUSE, MSTATUS, PRIV } from '../isa/csr-numbers.js';
import { CsrOp, executeCsr, type CsrEnvironment } from './csr-file.js';
import { SLOT } from './hart-state.js';
import type { Hart } from './hart.js';
import { raise, returnFromMachine, returnFromSupervisor } from './trap.js';

export enum SystemResult {
  /** Execution continues at the next instruction. */
  Next,
  /** An xRET set pc (and the privilege level). */
  Jumped,
  /** WFI with no interrupt pending: continue at the next instruction once one is. */
  Idle,
}

/**
 * Executes a system instruction at `pc`. The counters in the state block must be exact
 * (CSR reads and writes of cycle, instret and time see them). Exceptions are thrown as
 * TrapSignal; the caller fills mtval with the instruction bits for illegal-instruction.
 */
export function executeSystem(insn: Insn, pc: bigint, hart: Hart, csr: CsrEnvironment): SystemResult {
  const s = hart.state;
  const priv = Number(s[SLOT.priv]);
  switch (insn.op) {
    case Op.ECALL: case Op.EBREAK: {
      const e = environmentException(insn, pc, priv)!;
      raise(e.cause, e.tval);
    }
    // falls through: raise() never returns
    case Op.CSRRW: case Op.CSRRS: case Op.CSRRC: case Op.CSRRWI: case Op.CSRRSI: case Op.CSRRCI:
      executeCsrInsn(insn, s, csr, priv);
      return SystemResult.Next;
    case Op.MRET:
      if (priv !== PRIV.M) raise(CAUSE.ILLEGAL_INSTRUCTION);
      returnFromMachine(s);
      hart.privilegeChanged();
      return SystemResult.Jumped;
    case Op.SRET:
      if (priv < PRIV.S || (priv === PRIV.S && (s[SLOT.mstatus] & MSTATUS.TSR))) raise(CAUSE.ILLEGAL_INSTRUCTION);
      returnFromSupervisor(s);
      hart.privilegeChanged();
      return SystemResult.Jumped;
    case Op.WFI:
      if (priv === PRIV.U || (priv === PRIV.S && (s[SLOT.mstatus] & MSTATUS.TW))) raise(CAUSE.ILLEGAL_INSTRUCTION);
      return (s[SLOT.mip] & s[SLOT.mie]) === 0n ? SystemResult.Idle : SystemResult.Next;
    case Op.SFENCE_VMA:
      if (priv === PRIV.U || (priv === PRIV.S && (s[SLOT.mstatus] & MSTATUS.TVM))) raise(CAUSE.ILLEGAL_INSTRUCTION);
      hart.fenceTranslations(insn.rs1 === 0 ? null : s[insn.rs1]);
      return SystemResult.Next;
    case Op.FENCE_I:
      // One hart, and stores to code invalidate its translations as they happen: nothing to do.
      return SystemResult.Next;
    default:
      throw new Error(`executeSystem: ${Op[insn.op]} is not a system instruction`);
  }
}

/**
 * The exception ecall or ebreak raises (they always do), or null for any other
 * instruction: for callers that deliver it without throwing.
 */
export function environmentException(insn: Insn, pc: bigint, priv: number): { cause: number; tval: bigint } | null {
  if (insn.op === Op.ECALL) return { cause: CAUSE.USER_ECALL + priv, tval: 0n };
  if (insn.op === Op.EBREAK) return { cause: CAUSE.BREAKPOINT, tval: pc };
  return null;
}

function executeCsrInsn(insn: Insn, s: BigUint64Array, csr: CsrEnvironment, priv: number): void {
  const { op, rd, rs1 } = insn;
  const immediate = op === Op.CSRRWI || op === Op.CSRRSI || op === Op.CSRRCI;
  const kind = op === Op.CSRRW || op === Op.CSRRWI ? CsrOp.RW : op === Op.CSRRS || op === Op.CSRRSI ? CsrOp.RS : CsrOp.RC;
  const src = immediate ? BigInt(rs1) : s[rs1];
  const writes = kind === CsrOp.RW || rs1 !== 0;
  const reads = kind !== CsrOp.RW || rd !== 0;
  const old = executeCsr(csr, kind, insn.csr, src, priv, writes, reads);
  if (rd !== 0) s[rd] = old;
}
