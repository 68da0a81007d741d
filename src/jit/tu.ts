// Translation units: the run of guest instructions one compiled fragment covers. A unit
// never leaves the page it starts in, so its code is read from that one guest-physical
// page (the caller translated the first fetch, with privilege and paging applied). It
// ends at a control transfer (included), before an instruction the monitor must handle
// (a sensitive one lowered as a trap, an illegal one, or one straddling a page), at the
// page's end, or at a length cap.
import { decode } from '../isa/decode.js';
import type { Insn } from '../isa/insn.js';
import { Op } from '../isa/opcodes.js';
import { classifySensitive, SensitiveClass } from '../isa/sensitive.js';
import type { Bus } from '../machine/bus.js';
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
 * or store, how a device access is handled (or, with `dynamic`, that case: a store's
 * page-table write); null for anything else.
 */
export type LowerFor = (insn: Insn, pc: bigint, dynamic?: SensitiveClass) => Lowering | null;

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
  /** For each store, how a write to a shadowed guest page table is lowered; null for the rest. */
  readonly ptWrites: readonly (Lowering | null)[];
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

export function isStore(op: Op): boolean {
  return op >= Op.SB && op <= Op.SD;
}

export function endsUnit(op: Op): boolean {
  return op === Op.JAL || op === Op.JALR || (op >= Op.BEQ && op <= Op.BGEU);
}

/**
 * Forms the unit starting at virtual address `pc`, whose fetch the caller translated to
 * `paddr`, a RAM address.
 */
export function formTu(bus: Bus, pc: bigint, paddr: number, lowerFor: LowerFor, maxInsns = TU_MAX_INSNS): Tu {
  const insns: Insn[] = [];
  const pcs: bigint[] = [];
  const lowerings: (Lowering | null)[] = [];
  const ptWrites: (Lowering | null)[] = [];
  const page = pc >> 12n;
  const pageBase = paddr - (paddr & 0xfff);
  const halfword = (offset: number): number => {
    const at = bus.ramOffset(pageBase + offset, 2);
    if (at < 0) throw new Error(`formTu: 0x${paddr.toString(16)} is not RAM`);
    return bus.view.getUint16(at, true);
  };
  let at = pc;
  let end: TuEnd = 'cap';
  while (insns.length < maxInsns) {
    if (at >> 12n !== page) { end = 'page'; break; }
    const offset = Number(at & 0xfffn);
    let raw = halfword(offset);
    if ((raw & 3) === 3) {
      // A 32-bit instruction in the last two bytes straddles into the next page: the
      // monitor handles it, so a unit never depends on two pages.
      if (offset === 0xffe) { end = 'monitor'; break; }
      raw = (raw | (halfword(offset + 2) << 16)) >>> 0;
    }
    const insn = decode(raw);
    const lowering = lowerFor(insn, at);
    if (leavesToMonitor(insn, lowering)) { end = 'monitor'; break; }
    insns.push(insn);
    pcs.push(at);
    lowerings.push(lowering);
    ptWrites.push(isStore(insn.op) ? lowerFor(insn, at, SensitiveClass.PtWrite) : null);
    at = BigInt.asUintN(64, at + BigInt(insn.len));
    if (endsUnit(insn.op)) { end = 'branch'; break; }
    if (transfersThroughMonitor(insn.op)) { end = 'system'; break; }
  }
  return { pc, paddr, insns, pcs, lowerings, ptWrites, end, nextPc: at };
}

/** Addresses a unit continues at through direct chaining. */
export function successors(tu: Tu): bigint[] {
  if (tu.end === 'page' || tu.end === 'cap') return [tu.nextPc];
  if (tu.end !== 'branch') return [];
  const last = tu.insns[tu.insns.length - 1];
  if (last.op === Op.JALR) return [];
  const target = BigInt.asUintN(64, tu.pcs[tu.pcs.length - 1] + BigInt(last.imm));
  return last.op === Op.JAL ? [target] : [target, tu.nextPc];
}
