// CLINT (SiFive core-local interruptor) as on the virt board: msip, mtimecmp and mtime
// for hart 0. It drives mip.MSIP and mip.MTIP, and, when the monitor plays the firmware
// (src/vmm/sbi.ts), mip.STIP from the monitor's own comparator.
import { IRQ } from '../../isa/csr-numbers.js';
import type { AccessSize, MmioDevice } from '../bus.js';
import type { Clock } from '../clock.js';
import type { Hart } from '../hart.js';

export const CLINT_BASE = 0x0200_0000;
const MSIP = 0x0000;
const MTIMECMP = 0x4000;
const MTIME = 0xbff8;
const NEVER = 0xffff_ffff_ffff_ffffn;
const MTIE = 1n << BigInt(IRQ.MTI);
const STIE = 1n << BigInt(IRQ.STI);
const ALL_ENABLED = MTIE | STIE;

export class Clint implements MmioDevice {
  readonly name = 'clint';
  readonly base = CLINT_BASE;
  readonly size = 0x1_0000;
  private msip = 0;
  /** Reset value: never fires until software programs it. */
  mtimecmp = NEVER;
  /**
   * The supervisor timer the monitor keeps for S-mode's SBI set_timer, as firmware
   * would with mtimecmp. Null until the monitor serves SBI: only then does the CLINT
   * drive mip.STIP (otherwise that bit belongs to M-mode software).
   */
  supervisorTimecmp: bigint | null = null;

  constructor(private readonly hart: Hart, readonly clock: Clock) {}

  read(offset: number, size: AccessSize): bigint {
    if (offset >= MSIP && offset < MSIP + 4) return fieldRead(BigInt(this.msip), offset - MSIP, size);
    if (offset >= MTIMECMP && offset < MTIMECMP + 8) return fieldRead(this.mtimecmp, offset - MTIMECMP, size);
    if (offset >= MTIME && offset < MTIME + 8) return fieldRead(this.clock.mtime(), offset - MTIME, size);
    return 0n;
  }

  write(offset: number, size: AccessSize, value: bigint): void {
    if (offset >= MSIP && offset < MSIP + 4) {
      this.msip = Number(fieldWrite(BigInt(this.msip), offset - MSIP, size, value) & 1n);
      this.hart.setInterruptLine(IRQ.MSI, this.msip !== 0);
    } else if (offset >= MTIMECMP && offset < MTIMECMP + 8) {
      this.mtimecmp = fieldWrite(this.mtimecmp, offset - MTIMECMP, size, value);
      this.updateTimer(true);
    } else if (offset >= MTIME && offset < MTIME + 8) {
      this.clock.setMtime(fieldWrite(this.clock.mtime(), offset - MTIME, size, value));
      this.updateTimer(true);
    }
  }

  /**
   * Re-evaluates mip.MTIP against the current time. After a guest write it also asks the
   * run loop to re-plan its slice, so the interrupt arrives at the exact instruction.
   */
  updateTimer(fromGuest = false): void {
    const now = this.clock.mtime();
    this.hart.setInterruptLine(IRQ.MTI, now >= this.mtimecmp);
    if (this.supervisorTimecmp !== null) this.hart.setInterruptLine(IRQ.STI, now >= this.supervisorTimecmp);
    if (fromGuest) this.hart.stopRequested = true;
  }

  /** The monitor's SBI set_timer: STIP clears now and rises when mtime reaches `value`. */
  setSupervisorTimer(value: bigint): void {
    this.supervisorTimecmp = value;
    this.updateTimer(true);
  }

  /**
   * The next mtime at which one of the comparators fires, or null if none is armed.
   * With `mie`, only comparators whose interrupt it enables count (what can wake WFI).
   */
  nextDeadline(mie = ALL_ENABLED): bigint | null {
    const machine = mie & MTIE ? this.mtimecmp : NEVER;
    const supervisor = mie & STIE ? this.supervisorTimecmp ?? NEVER : NEVER;
    const next = supervisor < machine ? supervisor : machine;
    return next === NEVER ? null : next;
  }
}

/** Reads `size` bytes at byte `at` of a 64-bit register. */
function fieldRead(reg: bigint, at: number, size: AccessSize): bigint {
  const bits = BigInt(size * 8);
  return (reg >> BigInt(at * 8)) & ((1n << bits) - 1n);
}

/** Replaces `size` bytes at byte `at` of a 64-bit register. */
function fieldWrite(reg: bigint, at: number, size: AccessSize, value: bigint): bigint {
  const shift = BigInt(at * 8);
  const mask = ((1n << BigInt(size * 8)) - 1n) << shift;
  return ((reg & ~mask) | ((value << shift) & mask)) & 0xffff_ffff_ffff_ffffn;
}
