// HTIF, the Spike host-target interface: the guest writes a command to `tohost` in RAM
// and the host answers through `fromhost`. A command is dev(8) | cmd(8) | payload(48).
// Device 0 (syscall proxy): payload odd = exit with code payload>>1 (1 means pass);
// payload even = address of a "magic memory" block [sysno, a0, a1, a2, ...].
// Device 1 (console): command 1 = putchar(payload & 0xff).
import type { AccessSize, Bus, StoreWatcher } from '../bus.js';

const SYS_WRITE = 64n;
const SYS_EXIT = 93n;
const ENOSYS = -38n;

export interface HtifHost {
  exit(code: number): void;
  output(fd: number, bytes: Uint8Array): void;
}

export class Htif implements StoreWatcher {
  readonly start: number;
  readonly end: number;
  /** A store touched only the low half; act when the high half follows or at slice end. */
  pending = false;

  constructor(private readonly bus: Bus, readonly tohost: number, readonly fromhost: number | undefined, private readonly host: HtifHost) {
    this.start = tohost;
    this.end = tohost + 8;
  }

  stored(paddr: number, size: AccessSize): void {
    // A 64-bit command may arrive as two 32-bit stores, low half first (RV32-style code);
    // acting on the low half alone could misread a putchar as an exit.
    if (paddr + size <= this.start + 4) this.pending = true;
    else this.poll();
  }

  /** Handles a command sitting in tohost, if any. */
  poll(): void {
    this.pending = false;
    const value = this.bus.read(this.tohost, 8) ?? 0n;
    if (value === 0n) return;
    this.bus.write(this.tohost, 8, 0n); // acknowledge
    const device = Number(value >> 56n);
    const command = Number((value >> 48n) & 0xffn);
    const payload = value & 0xffff_ffff_ffffn;
    if (device === 0 && command === 0) {
      if (payload & 1n) this.host.exit(Number(payload >> 1n));
      else this.syscall(payload);
    } else if (device === 1 && command === 1) {
      // As in Spike, a console write gets no response in fromhost.
      this.host.output(1, Uint8Array.of(Number(payload & 0xffn)));
    }
  }

  private syscall(block: bigint): void {
    const addr = Number(block);
    const word = (i: number) => this.bus.read(addr + 8 * i, 8) ?? 0n;
    const sysno = word(0);
    let result = ENOSYS;
    if (sysno === SYS_EXIT) {
      this.host.exit(Number(word(1) & 0xffn));
      return;
    }
    if (sysno === SYS_WRITE) {
      const fd = Number(word(1));
      const len = word(3);
      const bytes = len <= BigInt(this.bus.ramSize) ? this.bus.readBytes(Number(word(2)), Number(len)) : undefined;
      if (bytes && (fd === 1 || fd === 2)) {
        this.host.output(fd, bytes);
        result = BigInt(len);
      } else {
        result = -14n; // EFAULT or EBADF: report a failure rather than guess
      }
    }
    this.bus.write(addr, 8, BigInt.asUintN(64, result));
    this.respond(1n);
  }

  private respond(value: bigint): void {
    if (this.fromhost !== undefined) this.bus.write(this.fromhost, 8, value);
  }
}
