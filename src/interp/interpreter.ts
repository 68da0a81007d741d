// The reference interpreter: fetch, decode (cached by instruction bits), execute, one
// instruction at a time, with precise exceptions and interrupts checked between
// instructions. Plain on purpose: it is the oracle for the JIT.
import { sext } from '../isa/bits.js';
import { decode } from '../isa/decode.js';
import type { Insn } from '../isa/insn.js';
import { amoShape } from '../isa/amo.js';
import { Op } from '../isa/opcodes.js';
import { CAUSE } from '../isa/csr-numbers.js';
import type { Board } from '../machine/board.js';
import type { CsrEnvironment } from '../machine/csr-file.js';
import { SLOT } from '../machine/hart-state.js';
import type { Hart } from '../machine/hart.js';
import { isSensitiveOp } from '../isa/sensitive.js';
import { executeSystem, SystemResult } from '../machine/system.js';
import { TrapSignal, raise } from '../machine/trap.js';
import { Access } from '../mmu/sv39.js';
import { alu, branchTaken } from './alu.js';
import { executeAtomic } from '../mmu/atomics.js';
import { GuestMemory, type MisalignedPolicy, type Translator } from '../mmu/guest-memory.js';

/** Why run() returned. */
export enum StopReason {
  /** The instruction limit was reached. */
  Limit,
  /** The hart executed WFI with no interrupt pending: the monitor may skip time. */
  Idle,
  /** Someone set hart.stopRequested (guest exit, device). */
  Requested,
  /**
   * Exceptions keep coming without a single instruction completing (for example the trap
   * vector itself faults): the hart can never make progress again.
   */
  TrapLoop,
}


export interface TraceSink {
  (pc: bigint, insn: Insn, priv: number): void;
}

const DECODE_CACHE_LIMIT = 1 << 16;

export class Interpreter {
  private readonly s: BigUint64Array;
  private readonly hart: Hart;
  private readonly mem: GuestMemory;
  private readonly decoded = new Map<number, Insn>();
  /** Counters kept as numbers while running; flushed to the state block by sync(). */
  private executed = 0;
  private retired = 0;
  trace: TraceSink | null = null;

  /**
   * `translator`: how guest addresses are translated; the reference walker unless this
   * interpreter is the JIT monitor's emulator, which translates through the MMU mode.
   */
  constructor(board: Board, private readonly csr: CsrEnvironment, misaligned: MisalignedPolicy = 'allow', translator?: Translator) {
    this.hart = board.hart;
    this.s = board.hart.state;
    this.mem = new GuestMemory(board.bus, this.s, () => this.sync(), misaligned, translator);
  }

  /** Executes at most `limit` instructions. */
  run(limit: number): StopReason {
    const s = this.s;
    const hart = this.hart;
    this.executed = Number(s[SLOT.executed]);
    this.retired = Number(s[SLOT.retired]);
    const end = this.executed + limit;
    let reason = StopReason.Limit;
    try {
      while (this.executed < end) {
        if (hart.interruptsDirty) this.checkInterrupts();
        if (hart.stopRequested) { reason = StopReason.Requested; break; }
        const pc = s[SLOT.pc];
        let insn: Insn | undefined;
        try {
          const raw = this.mem.fetch(pc);
          insn = this.decoded.get(raw);
          if (insn === undefined) insn = this.decodeAndCache(raw);
          if (this.trace) this.trace(pc, insn, Number(s[SLOT.priv]));
          const idle = this.execute(insn, pc);
          this.executed++;
          this.retired++;
          if (idle) { reason = StopReason.Idle; break; }
        } catch (e) {
          if (!(e instanceof TrapSignal)) throw e;
          this.executed++;
          if (this.takeException(e, insn, pc)) { reason = StopReason.TrapLoop; break; }
        }
      }
      if (hart.stopRequested && reason !== StopReason.TrapLoop) reason = StopReason.Requested;
    } finally {
      this.sync();
    }
    return reason;
  }

  /** Writes the running counters back to the state block. */
  sync(): void {
    this.s[SLOT.executed] = BigInt(this.executed);
    this.s[SLOT.retired] = BigInt(this.retired);
  }

  private decodeAndCache(raw: number): Insn {
    if (this.decoded.size >= DECODE_CACHE_LIMIT) this.decoded.clear();
    const insn = decode(raw);
    this.decoded.set(raw, insn);
    return insn;
  }

  private checkInterrupts(): void {
    this.sync();
    this.hart.deliverInterrupt();
  }

  /** Returns true when the hart is stuck in a trap loop. */
  private takeException(e: TrapSignal, insn: Insn | undefined, pc: bigint): boolean {
    // Illegal-instruction traps report the instruction bits in xtval.
    const tval = e.cause === CAUSE.ILLEGAL_INSTRUCTION ? BigInt(insn?.raw ?? 0) : e.tval;
    this.sync();
    return this.hart.deliverException(e.cause, tval, pc);
  }

  private setRd(rd: number, v: bigint): void {
    if (rd !== 0) this.s[rd] = v;
  }

  /** Executes one instruction at pc. Returns true when it was a WFI that should idle. */
  private execute(insn: Insn, pc: bigint): boolean {
    const s = this.s;
    const { op, rd, rs1, rs2 } = insn;
    let next = BigInt.asUintN(64, pc + (insn.len === 2 ? 2n : 4n));
    switch (op) {
      case Op.LUI: this.setRd(rd, BigInt.asUintN(64, BigInt(insn.imm))); break;
      case Op.AUIPC: this.setRd(rd, BigInt.asUintN(64, pc + BigInt(insn.imm))); break;
      case Op.JAL:
        this.setRd(rd, next);
        next = BigInt.asUintN(64, pc + BigInt(insn.imm));
        break;
      case Op.JALR: {
        const target = BigInt.asUintN(64, s[rs1] + BigInt(insn.imm)) & ~1n;
        this.setRd(rd, next);
        next = target;
        break;
      }
      case Op.BEQ: case Op.BNE: case Op.BLT: case Op.BGE: case Op.BLTU: case Op.BGEU:
        if (branchTaken(op, s[rs1], s[rs2])) next = BigInt.asUintN(64, pc + BigInt(insn.imm));
        break;
      case Op.LB: this.setRd(rd, sext(this.mem.load(addr(s[rs1], insn.imm), 1), 8)); break;
      case Op.LH: this.setRd(rd, sext(this.mem.load(addr(s[rs1], insn.imm), 2), 16)); break;
      case Op.LW: this.setRd(rd, sext(this.mem.load(addr(s[rs1], insn.imm), 4), 32)); break;
      case Op.LD: this.setRd(rd, this.mem.load(addr(s[rs1], insn.imm), 8)); break;
      case Op.LBU: this.setRd(rd, this.mem.load(addr(s[rs1], insn.imm), 1)); break;
      case Op.LHU: this.setRd(rd, this.mem.load(addr(s[rs1], insn.imm), 2)); break;
      case Op.LWU: this.setRd(rd, this.mem.load(addr(s[rs1], insn.imm), 4)); break;
      case Op.SB: this.mem.store(addr(s[rs1], insn.imm), 1, s[rs2]); break;
      case Op.SH: this.mem.store(addr(s[rs1], insn.imm), 2, s[rs2]); break;
      case Op.SW: this.mem.store(addr(s[rs1], insn.imm), 4, s[rs2]); break;
      case Op.SD: this.mem.store(addr(s[rs1], insn.imm), 8, s[rs2]); break;
      case Op.ADDI: case Op.SLTI: case Op.SLTIU: case Op.XORI: case Op.ORI: case Op.ANDI:
      case Op.SLLI: case Op.SRLI: case Op.SRAI: case Op.ADDIW: case Op.SLLIW: case Op.SRLIW: case Op.SRAIW:
        this.setRd(rd, alu(op, s[rs1], BigInt.asUintN(64, BigInt(insn.imm)))!);
        break;
      case Op.FENCE: break; // one hart: ordering is free
      case Op.LR_W: case Op.LR_D: case Op.SC_W: case Op.SC_D:
        this.setRd(rd, executeAtomic(this.mem, s, op, s[rs1], s[rs2], s[rd]));
        break;
      case Op.ILLEGAL: raise(CAUSE.ILLEGAL_INSTRUCTION);
      // falls through
      default: {
        const v = alu(op, s[rs1], s[rs2]);
        if (v !== undefined) { this.setRd(rd, v); break; }
        if (isSensitiveOp(op)) {
          this.sync(); // CSR accesses see exact counters
          const result = executeSystem(insn, pc, this.hart, this.csr);
          if (result === SystemResult.Jumped) return false;
          s[SLOT.pc] = next;
          return result === SystemResult.Idle;
        }
        const amo = amoShape(op);
        if (amo === undefined) throw new Error(`interpreter has no case for ${Op[op]}`);
        if (amo.bytes === 16) this.compareAndSwapQuad(insn);
        else this.setRd(rd, executeAtomic(this.mem, s, op, s[rs1], s[rs2], s[rd]));
      }
    }
    s[SLOT.pc] = next;
    return false;
  }

  /** amocas.q: 128 bits against the even register pairs rd:rd+1 and rs2:rs2+1 (x0 pairs read as zero). */
  private compareAndSwapQuad(insn: Insn): void {
    const vaddr = this.s[insn.rs1];
    if ((vaddr & 15n) !== 0n) raise(CAUSE.MISALIGNED_STORE, vaddr);
    const pa = this.mem.translateData(vaddr, Access.Store);
    const pair = (r: number): [bigint, bigint] => (r === 0 ? [0n, 0n] : [this.s[r], this.s[r + 1]]);
    const lo = this.mem.loadPhysical(pa, 8, vaddr, Access.Store);
    const hi = this.mem.loadPhysical(pa + 8, 8, vaddr, Access.Store);
    const [expectLo, expectHi] = pair(insn.rd);
    if (lo === expectLo && hi === expectHi) {
      const [newLo, newHi] = pair(insn.rs2);
      this.mem.storePhysical(pa, 8, newLo, vaddr);
      this.mem.storePhysical(pa + 8, 8, newHi, vaddr);
    }
    if (insn.rd !== 0) {
      this.s[insn.rd] = lo;
      this.s[insn.rd + 1] = hi;
    }
  }

}

function addr(base: bigint, imm: number): bigint {
  return BigInt.asUintN(64, base + BigInt(imm));
}

