// The machine's timebase. By default mtime is derived from the instruction count, so a
// run is deterministic: the same guest and inputs give the same interrupts at the same
// instructions under every engine. --realtime uses the host clock instead.
import { SLOT } from './hart-state.js';

/** mtime frequency of the virt board. */
export const TIMEBASE_HZ = 10_000_000;
/** Deterministic mode's nominal speed: 10 instructions per mtime tick (a 100 MHz hart). */
export const INSNS_PER_TICK = 10n;

export interface Clock {
  readonly realtime: boolean;
  mtime(): bigint;
  setMtime(value: bigint): void;
  /**
   * How many more instructions may execute before mtime reaches `target`, or null when
   * that cannot be known in instructions (realtime). 0 means it has been reached.
   */
  instructionsUntil(target: bigint): bigint | null;
  /** WFI with nothing else to do: jump the clock forward to `target` (deterministic mode). */
  skipTo(target: bigint): void;
}

export class InstructionClock implements Clock {
  readonly realtime = false;
  constructor(private readonly state: BigUint64Array) {}

  /**
   * Ticks added by writes to mtime and by idle skips. Kept in the state block so that
   * compiled code can read the time inline (src/jit/codegen/sensitive-intc.ts).
   */
  private get offset(): bigint {
    return BigInt.asIntN(64, this.state[SLOT.mtimeOffset]);
  }

  mtime(): bigint {
    return BigInt.asUintN(64, this.state[SLOT.executed] / INSNS_PER_TICK + this.offset);
  }
  setMtime(value: bigint): void {
    this.state[SLOT.mtimeOffset] = BigInt.asUintN(64, value - this.state[SLOT.executed] / INSNS_PER_TICK);
  }
  instructionsUntil(target: bigint): bigint | null {
    const now = this.mtime();
    if (now >= target) return 0n;
    const executed = this.state[SLOT.executed];
    // mtime reaches target once executed/INSNS_PER_TICK >= target - offset.
    return (target - this.offset) * INSNS_PER_TICK - executed;
  }
  skipTo(target: bigint): void {
    if (target > this.mtime()) this.setMtime(target);
  }
}

export class HostClock implements Clock {
  readonly realtime = true;
  private readonly start = performance.now();
  private offset = 0n;

  mtime(): bigint {
    // performance.now() is in milliseconds; one tick is 100 ns. Works in Node and browsers.
    const ticks = BigInt(Math.floor((performance.now() - this.start) * (TIMEBASE_HZ / 1000)));
    return BigInt.asUintN(64, ticks + this.offset);
  }
  setMtime(value: bigint): void {
    this.offset += value - this.mtime();
  }
  instructionsUntil(target: bigint): bigint | null {
    return this.mtime() >= target ? 0n : null;
  }
  skipTo(): void {
    // Real time cannot be skipped; the monitor sleeps instead.
  }
}
