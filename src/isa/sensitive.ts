// Sensitive instructions: the ones a virtualizing monitor must see, grouped into the
// classes the lowering strategies (trap, callout, in-TC) are chosen by. One home: the
// JIT, the monitor and the statistics all classify through here.
import { CSR } from './csr-numbers.js';
import type { Insn } from './insn.js';
import { Op } from './opcodes.js';

export enum SensitiveClass {
  /** Reads of cycle/time/instret (and their M-mode twins): this ISA's rdtsc. */
  CounterRead = 'counter',
  /** Trap setup and trap handling CSRs: xtvec, xedeleg/xideleg, xepc, xcause, xtval, xscratch, xcounteren. */
  TrapSetup = 'trap-setup',
  /** satp: changes translation. */
  Satp = 'satp',
  /** Writes to mstatus/sstatus/mie/sie/mip/sip: may enable interrupts or change translation. */
  StatusWrite = 'status',
  /** Every other CSR access that only reads. */
  CsrRead = 'csr-read',
  /** Every other CSR access that writes. */
  CsrWrite = 'csr-write',
  /** mret, sret. */
  Xret = 'xret',
  Wfi = 'wfi',
  SfenceVma = 'sfence',
  FenceI = 'fence-i',
  /** ecall, ebreak. */
  Syscall = 'ecall',
  /** A load or store that reaches a device; known only when it executes. */
  Mmio = 'mmio',
  /**
   * A store to a guest page table that a shadow table mirrors (shadow paging only: such
   * pages are write-protected); known only when it executes.
   */
  PtWrite = 'pt-write',
}

const COUNTERS = new Set<number>([CSR.cycle, CSR.time, CSR.instret, CSR.mcycle, CSR.minstret]);
const TRAP_SETUP = new Set<number>([
  CSR.mtvec, CSR.stvec, CSR.medeleg, CSR.mideleg, CSR.mepc, CSR.sepc, CSR.mcause, CSR.scause,
  CSR.mtval, CSR.stval, CSR.mscratch, CSR.sscratch, CSR.mcounteren, CSR.scounteren,
]);
const STATUS = new Set<number>([CSR.mstatus, CSR.sstatus, CSR.mie, CSR.sie, CSR.mip, CSR.sip]);

function isCsrOp(op: Op): boolean {
  return op >= Op.CSRRW && op <= Op.CSRRCI;
}

/** Whether a Zicsr instruction writes its CSR (csrrs/csrrc with x0 or a zero immediate only read). */
export function csrWrites(insn: Insn): boolean {
  return insn.op === Op.CSRRW || insn.op === Op.CSRRWI || insn.rs1 !== 0;
}

/**
 * The operations classifySensitive classifies (every CSR access, xRET, wfi, sfence.vma,
 * fence.i, ecall, ebreak): the system instructions, which the monitor executes
 * (src/machine/system.ts).
 */
export function isSensitiveOp(op: Op): boolean {
  return isCsrOp(op) || op === Op.ECALL || op === Op.EBREAK || op === Op.MRET || op === Op.SRET ||
    op === Op.WFI || op === Op.SFENCE_VMA || op === Op.FENCE_I;
}

/**
 * The class of a statically sensitive instruction, or null for one that is not (loads and
 * stores are sensitive only when they reach a device, which the decoder cannot know).
 */
export function classifySensitive(insn: Insn): SensitiveClass | null {
  const { op } = insn;
  if (isCsrOp(op)) {
    const num = insn.csr;
    const writes = csrWrites(insn);
    if (COUNTERS.has(num) && !writes) return SensitiveClass.CounterRead;
    if (num === CSR.satp) return SensitiveClass.Satp;
    if (STATUS.has(num) && writes) return SensitiveClass.StatusWrite;
    if (TRAP_SETUP.has(num)) return SensitiveClass.TrapSetup;
    return writes ? SensitiveClass.CsrWrite : SensitiveClass.CsrRead;
  }
  switch (op) {
    case Op.MRET: case Op.SRET: return SensitiveClass.Xret;
    case Op.WFI: return SensitiveClass.Wfi;
    case Op.SFENCE_VMA: return SensitiveClass.SfenceVma;
    case Op.FENCE_I: return SensitiveClass.FenceI;
    case Op.ECALL: case Op.EBREAK: return SensitiveClass.Syscall;
    default: return null;
  }
}

/** Every class, in a fixed order (the order of the in-TC counters in the state block). */
export const SENSITIVE_CLASSES: readonly SensitiveClass[] = Object.values(SensitiveClass);
