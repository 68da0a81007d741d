// A hart: its state block in linear memory plus the two flags the engines poll between
// instructions. The flags live here (not in each engine) so devices and CSR writes can
// raise them without knowing which engine runs.
import { CAUSE, IRQ } from '../isa/csr-numbers.js';
import { STATE_SLOTS, SLOT, NO_RESERVATION, readCount } from './hart-state.js';
import { resetCsrs } from './csr-file.js';
import { STATE_OFFSET } from './layout.js';
import { enterTrap, pendingInterrupt } from './trap.js';

const SEIP = 1n << BigInt(IRQ.SEI);
/** This many exceptions with no instruction retired in between is a trap loop. */
export const TRAP_LOOP_LIMIT = 1000;
const MAX_PENDING_FENCES = 16;

/**
 * Firmware served by the monitor (src/vmm/sbi.ts): it sees an S-mode ecall before the
 * hart would trap to M, and returns true when it has served it. The hart then goes on
 * after the ecall, as it would after the firmware's mret.
 */
export interface SupervisorCallHandler {
  environmentCall(hart: Hart): boolean;
}

export class Hart {
  readonly state: BigUint64Array;
  /** The state block as 32-bit words, for counts read and written without BigInt (readCount, writeCount). */
  readonly stateWords: Uint32Array;
  /** Set when something may have made an interrupt pending or enabled; cleared by the engine after it checks. */
  interruptsDirty = true;
  /** Set when the run loop must regain control at the next instruction boundary (guest exit, HTIF, device). */
  stopRequested = false;
  /**
   * Bumped whenever an engine must look at translation again: a privilege change, a
   * change of translation regime, or an sfence.vma.
   */
  translationEpoch = 0;
  /** Bumped when every cached translation is stale: satp, MPRV/MPP, SUM or MXR changed (or a reset). */
  regimeEpoch = 0;
  /**
   * sfence.vma requests an engine has not applied yet, oldest first: the virtual address
   * whose translations may be stale, or null for all of them.
   */
  readonly pendingFences: (bigint | null)[] = [];
  /** Exceptions taken, indexed by cause; interrupts taken, indexed by interrupt number. */
  readonly exceptionCounts: number[] = new Array(16).fill(0);
  readonly interruptCounts: number[] = new Array(16).fill(0);
  /** The most recent exception, for messages. */
  lastTrap: { cause: number; pc: bigint; tval: bigint } | null = null;
  /** Set when the monitor plays the machine-mode firmware (rvwasm boot --bios none). */
  supervisorCalls: SupervisorCallHandler | null = null;
  private trapLoopRetired = -1n;
  private trapLoopLength = 0;

  constructor(memory: WebAssembly.Memory) {
    this.state = new BigUint64Array(memory.buffer, STATE_OFFSET, STATE_SLOTS);
    this.stateWords = new Uint32Array(memory.buffer, STATE_OFFSET, STATE_SLOTS * 2);
    this.reset(0n);
  }

  reset(pc: bigint): void {
    this.state.fill(0n);
    resetCsrs(this.state);
    this.state[SLOT.pc] = pc;
    this.state[SLOT.reservation] = NO_RESERVATION;
    this.interruptsDirty = true;
    this.translationsChanged();
    // A fresh start: exceptions before the reset do not count towards a trap loop.
    this.trapLoopRetired = -1n;
    this.trapLoopLength = 0;
  }

  get pc(): bigint { return this.state[SLOT.pc]; }
  set pc(v: bigint) { this.state[SLOT.pc] = BigInt.asUintN(64, v); }
  get priv(): number { return Number(this.state[SLOT.priv]); }

  reg(i: number): bigint { return this.state[i]; }
  setReg(i: number, v: bigint): void { if (i !== 0) this.state[i] = BigInt.asUintN(64, v); }

  /** A device drives an interrupt-pending bit of mip (MSIP, MTIP, MEIP, SEIP). */
  setInterruptLine(irq: number, level: boolean): void {
    const bit = 1n << BigInt(irq);
    const mip = this.state[SLOT.mip];
    const next = level ? mip | bit : mip & ~bit;
    if (next !== mip) {
      this.state[SLOT.mip] = next;
      this.interruptsDirty = true;
    }
  }

  /** The PLIC's supervisor-context line: the external half of mip.SEIP. */
  setExternalSupervisorInterrupt(level: boolean): void {
    this.state[SLOT.seipExternal] = level ? SEIP : 0n;
    this.setInterruptLine(IRQ.SEI, (this.state[SLOT.seipSoftware] | this.state[SLOT.seipExternal]) !== 0n);
  }

  /**
   * Takes the highest-priority pending and enabled interrupt, if any, before the next
   * instruction. Engines call this whenever interruptsDirty is set.
   */
  deliverInterrupt(): boolean {
    this.interruptsDirty = false;
    const irq = pendingInterrupt(this.state);
    if (irq < 0) return false;
    this.interruptCounts[irq]++;
    enterTrap(this.state, irq, 0n, true, this.state[SLOT.pc]);
    this.privilegeChanged();
    return true;
  }

  /**
   * Enters the handler for an exception raised by the instruction at `pc`. Returns true
   * when the hart is in a trap loop: TRAP_LOOP_LIMIT exceptions with no instruction
   * retired in between (say, a trap vector that itself faults), so it can never progress.
   */
  deliverException(cause: number, tval: bigint, pc: bigint): boolean {
    if (cause === CAUSE.SUPERVISOR_ECALL && this.supervisorCalls) {
      // Like an ecall that firmware serves: not retired, and no trap the guest can see.
      if (this.supervisorCalls.environmentCall(this)) {
        this.state[SLOT.pc] = BigInt.asUintN(64, pc + 4n);
        return false;
      }
    }
    this.exceptionCounts[cause]++;
    enterTrap(this.state, cause, tval, false, pc);
    this.privilegeChanged();
    const retired = this.state[SLOT.retired];
    if (retired !== this.trapLoopRetired) {
      this.trapLoopRetired = retired;
      this.trapLoopLength = 0;
    }
    this.lastTrap = { cause, pc, tval };
    return ++this.trapLoopLength >= TRAP_LOOP_LIMIT;
  }

  /** After a trap or xRET: enables and translations depend on the privilege level. */
  privilegeChanged(): void {
    this.interruptsDirty = true;
    this.translationEpoch++;
  }

  /** satp, MPRV/MPP, SUM or MXR changed: every cached translation is stale. */
  translationsChanged(): void {
    this.translationEpoch++;
    this.regimeEpoch++;
  }

  /** sfence.vma: translations of `vaddr` (or of everything, for null) may be stale. */
  fenceTranslations(vaddr: bigint | null): void {
    const fences = this.pendingFences;
    // Past a few addresses, one flush of everything is cheaper than many of one page.
    if (vaddr === null || fences.length >= MAX_PENDING_FENCES) {
      fences.length = 0;
      fences.push(null);
    } else if (fences[0] !== null) {
      fences.push(vaddr); // (after a pending flush of everything, one address adds nothing)
    }
    this.translationEpoch++;
  }

  get executed(): bigint { return this.state[SLOT.executed]; }
  /** The same, as a number read without allocating a BigInt (for the monitor's loops). */
  get executedCount(): number { return readCount(this.stateWords, SLOT.executed); }
}
