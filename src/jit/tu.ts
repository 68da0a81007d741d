// Translation units: the run of guest instructions one compiled fragment covers. Code is
// read through the guest's own fetch path (so privilege and paging apply), and a unit
// ends at a control transfer (included), before an instruction the monitor must handle
// (a sensitive one lowered as a trap, an illegal one, or one straddling a page), at the
// page's end, or at a length cap.
import { decode } from '../isa/decode.js';
import type { Insn } from '../isa/insn.js';
import { Op } from '../isa/opcodes.js';
import { classifySensitive } from '../isa/sensitive.js';
import { TrapSignal } from '../machine/trap.js';
import type { GuestMemory } from '../mmu/guest-memory.js';
import type { Lowering } from './lowering.js';

export const TU_MAX_INSNS = 64;

/**
 * Why a unit ends; for 'monitor' the instruction at `nextPc` is left to the monitor; for
 * 'system' the last instruction (ecall, ebreak, xRET, not trapped) transfers control
 * through the monitor.
 */
export type TuEnd = 'branch' | 'monitor' | 'system' | 'page' | 'cap';

/**
 * The lowering of an instruction's sensitive case in the current code context: for a
 * statically sensitive instruction its class's (or its site's, once adapted); for a load
 * or store, how a device access is handled; null for anything else.
 */
export type LowerFor = (insn: Insn, pc: bigint) => Lowering | null;

export interface Tu {
  /** Virtual address of the first instruction. */
  readonly pc: bigint;
  /** Guest-physical address of the first instruction. */
  readonly paddr: number;
  readonly insns: readonly Insn[];
  /** Virtual address of each instruction. */
  readonly pcs: readonly bigint[];
  /** Each instruction's lowering (LowerFor); never 'trap' for a statically sensitive one. */
  readonly lowerings: readonly (Lowering | null)[];
  readonly end: TuEnd;
  /** Where execution continues after the last instruction when it does not branch. */
  readonly nextPc: bigint;
}

/**
 * Instructions that end a unit before them and are executed by the monitor: sensitive
 * instructions lowered as traps (src/isa/sensitive.ts), illegal words, and amocas.q (its
 * register pairs do not fit the atomic helper).
 */
export function leavesToMonitor(insn: Insn, lowering: Lowering | null): boolean {
  return insn.op === Op.ILLEGAL || insn.op === Op.AMOCAS_Q || (lowering === 'trap' && classifySensitive(insn) !== null);
}

/** System instructions after which control continues wherever the monitor put it. */
export function transfersThroughMonitor(op: Op): boolean {
  return op === Op.ECALL || op === Op.EBREAK || op === Op.MRET || op === Op.SRET;
}

/** Every load or store: the instructions that may reach a device (MMIO). */
export function isLoadOrStore(op: Op): boolean {
  return op >= Op.LB && op <= Op.SD;
}

export function endsUnit(op: Op): boolean {
  return op === Op.JAL || op === Op.JALR || (op >= Op.BEQ && op <= Op.BGEU);
}

/**
 * Forms the unit starting at `pc`. `paddrOf` translates a fetch address (it may throw
 * for the first instruction: the caller then lets the monitor raise the fault).
 */
export function formTu(mem: GuestMemory, pc: bigint, paddrOf: (pc: bigint) => number, lowerFor: LowerFor,
  maxInsns = TU_MAX_INSNS): Tu {
  const insns: Insn[] = [];
  const pcs: bigint[] = [];
  const lowerings: (Lowering | null)[] = [];
  const page = pc >> 12n;
  const paddr = paddrOf(pc);
  let at = pc;
  let end: TuEnd = 'cap';
  while (insns.length < maxInsns) {
    if (at >> 12n !== page) { end = 'page'; break; }
    let raw: number;
    try {
      // A 32-bit instruction in the last two bytes straddles into the next page: the
      // monitor handles it, so a unit never depends on two pages.
      if ((at & 0xfffn) === 0xffen) {
        raw = mem.fetch(at);
        if ((raw & 3) === 3) { end = 'monitor'; break; }
      } else {
        raw = mem.fetch(at);
      }
    } catch (e) {
      if (!(e instanceof TrapSignal) || insns.length === 0) throw e;
      end = 'monitor';
      break;
    }
    const insn = decode(raw);
    const lowering = lowerFor(insn, at);
    if (leavesToMonitor(insn, lowering)) { end = 'monitor'; break; }
    insns.push(insn);
    pcs.push(at);
    lowerings.push(lowering);
    at = BigInt.asUintN(64, at + BigInt(insn.len));
    if (endsUnit(insn.op)) { end = 'branch'; break; }
    if (transfersThroughMonitor(insn.op)) { end = 'system'; break; }
  }
  return { pc, paddr, insns, pcs, lowerings, end, nextPc: at };
}
