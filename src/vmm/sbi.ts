// The Supervisor Binary Interface served by the monitor itself (`rvwasm boot --bios
// none`): the paravirtual interface, the analogue of hypercalls, so a kernel boots in
// S-mode with no machine-mode firmware. An S-mode ecall reaches here instead of trapping
// to M (Hart.supervisorCalls); extension ids and semantics follow the RISC-V SBI
// specification v2.0. Every call is counted by extension and function.
import { IRQ } from '../isa/csr-numbers.js';
import type { Bus } from '../machine/bus.js';
import type { Clint } from '../machine/devices/clint.js';
import type { PowerEvent } from '../machine/devices/syscon.js';
import type { Uart } from '../machine/devices/uart.js';
import { SLOT } from '../machine/hart-state.js';
import type { Hart, SupervisorCallHandler } from '../machine/hart.js';

export const SBI_EXT = {
  LEGACY_SET_TIMER: 0x00, LEGACY_CONSOLE_PUTCHAR: 0x01, LEGACY_CONSOLE_GETCHAR: 0x02,
  LEGACY_CLEAR_IPI: 0x03, LEGACY_SEND_IPI: 0x04, LEGACY_REMOTE_FENCE_I: 0x05,
  LEGACY_REMOTE_SFENCE_VMA: 0x06, LEGACY_REMOTE_SFENCE_VMA_ASID: 0x07, LEGACY_SHUTDOWN: 0x08,
  BASE: 0x10, TIME: 0x5449_4d45, IPI: 0x73_5049, RFENCE: 0x5246_4e43, HSM: 0x48_534d,
  SRST: 0x5352_5354, DBCN: 0x4442_434e,
} as const;

const EXTENSION_NAMES: Record<number, string> = {
  [SBI_EXT.LEGACY_SET_TIMER]: 'legacy-set-timer', [SBI_EXT.LEGACY_CONSOLE_PUTCHAR]: 'legacy-putchar',
  [SBI_EXT.LEGACY_CONSOLE_GETCHAR]: 'legacy-getchar', [SBI_EXT.LEGACY_CLEAR_IPI]: 'legacy-clear-ipi',
  [SBI_EXT.LEGACY_SEND_IPI]: 'legacy-send-ipi', [SBI_EXT.LEGACY_REMOTE_FENCE_I]: 'legacy-remote-fence-i',
  [SBI_EXT.LEGACY_REMOTE_SFENCE_VMA]: 'legacy-remote-sfence-vma',
  [SBI_EXT.LEGACY_REMOTE_SFENCE_VMA_ASID]: 'legacy-remote-sfence-vma-asid', [SBI_EXT.LEGACY_SHUTDOWN]: 'legacy-shutdown',
  [SBI_EXT.BASE]: 'base', [SBI_EXT.TIME]: 'time', [SBI_EXT.IPI]: 'ipi', [SBI_EXT.RFENCE]: 'rfence',
  [SBI_EXT.HSM]: 'hsm', [SBI_EXT.SRST]: 'srst', [SBI_EXT.DBCN]: 'dbcn',
};

const FUNCTION_NAMES: Record<number, readonly string[]> = {
  [SBI_EXT.BASE]: ['get_spec_version', 'get_impl_id', 'get_impl_version', 'probe_extension', 'get_mvendorid', 'get_marchid', 'get_mimpid'],
  [SBI_EXT.TIME]: ['set_timer'],
  [SBI_EXT.IPI]: ['send_ipi'],
  [SBI_EXT.RFENCE]: ['remote_fence_i', 'remote_sfence_vma', 'remote_sfence_vma_asid', 'remote_hfence_gvma_vmid',
    'remote_hfence_gvma', 'remote_hfence_vvma_asid', 'remote_hfence_vvma'],
  [SBI_EXT.HSM]: ['hart_start', 'hart_stop', 'hart_get_status', 'hart_suspend'],
  [SBI_EXT.SRST]: ['system_reset'],
  [SBI_EXT.DBCN]: ['console_write', 'console_read', 'console_write_byte'],
};

/** Standard SBI error codes (returned in a0). */
export const SBI_ERR = {
  SUCCESS: 0n, FAILED: -1n, NOT_SUPPORTED: -2n, INVALID_PARAM: -3n, DENIED: -4n,
  INVALID_ADDRESS: -5n, ALREADY_AVAILABLE: -6n,
} as const;

/** SBI specification version 2.0: major in bits 30:24, minor in 23:0. */
const SPEC_VERSION = 2n << 24n;
/**
 * Our implementation id. The SBI specification keeps a registry of ids (0 BBL,
 * 1 OpenSBI, 3 KVM, ...); rvwasm is not in it, so it answers with a value far from the
 * registered ones, spelling "rvwa".
 */
export const SBI_IMPL_ID = 0x7276_7761n;
const IMPL_VERSION = 1n;
/** -1 as an unsigned XLEN value: a hart mask base naming every hart, or a fence size naming every address. */
const ALL_ONES = 0xffff_ffff_ffff_ffffn;

const SRST_SHUTDOWN = 0n, SRST_COLD_REBOOT = 1n, SRST_WARM_REBOOT = 2n;
const SRST_REASON_FAILURE = 1n;
const HSM_STARTED = 0n;

export interface SbiPorts {
  hart: Hart;
  bus: Bus;
  clint: Clint;
  uart: Uart;
  /** Console output (fd 1). */
  output(bytes: Uint8Array): void;
  /** The guest asked to power off or reboot. */
  power(event: PowerEvent): void;
}

interface SbiResult { error: bigint; value: bigint }

export class SbiFirmware implements SupervisorCallHandler {
  /** Calls served, by "extension.function" name (legacy ones by extension name alone). */
  readonly counts = new Map<string, number>();
  private readonly oneByte = new Uint8Array(1);

  constructor(private readonly ports: SbiPorts) {
    // From now on mtimecmp is the monitor's, and S-mode's timer comes from SBI set_timer.
    ports.clint.supervisorTimecmp = 0xffff_ffff_ffff_ffffn;
  }

  /**
   * The machine state firmware leaves for an S-mode kernel: interrupts and exceptions
   * S-mode handles are delegated to it (everything but environment calls from S and M),
   * and the counters (cycle, time, instret) are readable from S and U.
   */
  prepareHart(): void {
    const s = this.ports.hart.state;
    s[SLOT.mideleg] = (1n << BigInt(IRQ.SSI)) | (1n << BigInt(IRQ.STI)) | (1n << BigInt(IRQ.SEI));
    s[SLOT.medeleg] = 0xb1ffn; // causes 0-8, 12, 13, 15
    s[SLOT.mcounteren] = 0x7n;
  }

  environmentCall(hart: Hart): boolean {
    const s = hart.state;
    const ext = Number(s[17] & 0xffff_ffffn); // a7
    const fid = Number(s[16] & 0xffff_ffffn); // a6
    if (ext <= SBI_EXT.LEGACY_SHUTDOWN) {
      this.count(EXTENSION_NAMES[ext]);
      s[10] = BigInt.asUintN(64, this.legacy(ext, s));
      return true;
    }
    const name = EXTENSION_NAMES[ext];
    this.count(name === undefined ? `unknown-0x${ext.toString(16)}` : `${name}.${FUNCTION_NAMES[ext]?.[fid] ?? `fid-${fid}`}`);
    const r = this.call(ext, fid, s);
    s[10] = BigInt.asUintN(64, r.error);
    s[11] = BigInt.asUintN(64, r.value);
    return true;
  }

  private count(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  private call(ext: number, fid: number, s: BigUint64Array): SbiResult {
    const a = (i: number) => s[10 + i];
    switch (ext) {
      case SBI_EXT.BASE: return this.base(fid, a(0));
      case SBI_EXT.TIME:
        if (fid !== 0) break;
        this.setTimer(a(0));
        return ok();
      case SBI_EXT.IPI:
        if (fid !== 0) break;
        if (includesHartZero(a(0), a(1))) this.raiseSoftwareInterrupt();
        return ok();
      case SBI_EXT.RFENCE: return this.remoteFence(fid, a(0), a(1), a(2), a(3));
      case SBI_EXT.HSM: return this.hartState(fid, a(0));
      case SBI_EXT.SRST:
        if (fid !== 0) break;
        return this.systemReset(a(0), a(1));
      case SBI_EXT.DBCN: return this.debugConsole(fid, a(0), a(1), a(2));
    }
    return fail(SBI_ERR.NOT_SUPPORTED);
  }

  private base(fid: number, arg: bigint): SbiResult {
    switch (fid) {
      case 0: return ok(SPEC_VERSION);
      case 1: return ok(SBI_IMPL_ID);
      case 2: return ok(IMPL_VERSION);
      case 3: return ok(this.supports(Number(arg & 0xffff_ffffn)) ? 1n : 0n);
      case 4: case 5: case 6: return ok(0n); // mvendorid, marchid, mimpid all read 0 here
    }
    return fail(SBI_ERR.NOT_SUPPORTED);
  }

  private supports(ext: number): boolean {
    return ext in EXTENSION_NAMES;
  }

  private setTimer(value: bigint): void {
    this.ports.clint.setSupervisorTimer(value);
  }

  private raiseSoftwareInterrupt(): void {
    this.ports.hart.setInterruptLine(IRQ.SSI, true);
  }

  private remoteFence(fid: number, mask: bigint, maskBase: bigint, start: bigint, size: bigint): SbiResult {
    if (fid > 2) return fail(SBI_ERR.NOT_SUPPORTED); // the hypervisor fences: no H extension here
    if (!includesHartZero(mask, maskBase)) return ok();
    // fence.i needs nothing: stores to code already invalidate its translations.
    if (fid !== 0) this.fenceRange(start, size);
    return ok();
  }

  /** sfence.vma of [start, start + size) on the one hart; a large or whole range flushes everything. */
  private fenceRange(start: bigint, size: bigint): void {
    const hart = this.ports.hart;
    const wholeSpace = (start === 0n && size === 0n) || size === ALL_ONES;
    if (wholeSpace || size > 16n * 4096n) {
      hart.fenceTranslations(null);
      return;
    }
    for (let page = start & ~0xfffn; page < start + size; page += 4096n) hart.fenceTranslations(page);
  }

  private hartState(fid: number, hartId: bigint): SbiResult {
    switch (fid) {
      case 0: return fail(hartId === 0n ? SBI_ERR.ALREADY_AVAILABLE : SBI_ERR.INVALID_PARAM); // hart_start
      case 1: return fail(SBI_ERR.FAILED); // hart_stop: the only hart cannot stop
      case 2: return hartId === 0n ? ok(HSM_STARTED) : fail(SBI_ERR.INVALID_PARAM);
    }
    return fail(SBI_ERR.NOT_SUPPORTED);
  }

  private systemReset(type: bigint, reason: bigint): SbiResult {
    if (type === SRST_SHUTDOWN) {
      this.ports.power(reason === SRST_REASON_FAILURE ? { kind: 'fail', code: 1 } : { kind: 'pass' });
      return ok();
    }
    if (type === SRST_COLD_REBOOT || type === SRST_WARM_REBOOT) {
      this.ports.power({ kind: 'reset' });
      return ok();
    }
    return fail(SBI_ERR.INVALID_PARAM);
  }

  private debugConsole(fid: number, count: bigint, low: bigint, high: bigint): SbiResult {
    const { bus, uart } = this.ports;
    if (fid === 2) {
      this.putByte(Number(count & 0xffn));
      return ok();
    }
    if (fid !== 0 && fid !== 1) return fail(SBI_ERR.NOT_SUPPORTED);
    // The buffer is a physical address: high:low on RV32, low alone on RV64 (high must be 0).
    if (high !== 0n || low >= 2n ** 53n) return fail(SBI_ERR.INVALID_PARAM);
    const addr = low;
    // At most 1 MiB a call: a bigger request is served in part, as the spec allows.
    const length = count > 1n << 20n ? 1 << 20 : Number(count);
    if (fid === 0) {
      const bytes = bus.readBytes(Number(addr), length);
      if (!bytes) return fail(SBI_ERR.INVALID_PARAM);
      this.ports.output(bytes);
      return ok(BigInt(length));
    }
    const input: number[] = [];
    for (let b; input.length < length && (b = uart.takeInput()) >= 0;) input.push(b);
    if (!bus.writeBytes(Number(addr), Uint8Array.from(input))) return fail(SBI_ERR.INVALID_PARAM);
    return ok(BigInt(input.length));
  }

  private putByte(byte: number): void {
    this.oneByte[0] = byte;
    this.ports.output(this.oneByte);
  }

  /**
   * The SBI v0.1 calls, which Linux 6.1 still uses for earlycon=sbi and the hvc console.
   * Their hart masks are pointers to S-mode memory; with one hart every mask that is not
   * empty names it, so they are not read.
   */
  private legacy(ext: number, s: BigUint64Array): bigint {
    switch (ext) {
      case SBI_EXT.LEGACY_SET_TIMER: this.setTimer(s[10]); return 0n;
      case SBI_EXT.LEGACY_CONSOLE_PUTCHAR: this.putByte(Number(s[10] & 0xffn)); return 0n;
      case SBI_EXT.LEGACY_CONSOLE_GETCHAR: return BigInt(this.ports.uart.takeInput());
      case SBI_EXT.LEGACY_CLEAR_IPI:
        this.ports.hart.setInterruptLine(IRQ.SSI, false);
        return 0n;
      case SBI_EXT.LEGACY_SEND_IPI: this.raiseSoftwareInterrupt(); return 0n;
      case SBI_EXT.LEGACY_REMOTE_FENCE_I: return 0n;
      case SBI_EXT.LEGACY_REMOTE_SFENCE_VMA: case SBI_EXT.LEGACY_REMOTE_SFENCE_VMA_ASID:
        this.fenceRange(s[11], s[12]);
        return 0n;
      case SBI_EXT.LEGACY_SHUTDOWN: this.ports.power({ kind: 'pass' }); return 0n;
    }
    return SBI_ERR.NOT_SUPPORTED;
  }
}

function ok(value = 0n): SbiResult {
  return { error: SBI_ERR.SUCCESS, value };
}

function fail(error: bigint): SbiResult {
  return { error, value: 0n };
}

/** Whether a (hart_mask, hart_mask_base) pair names hart 0, the only hart. */
function includesHartZero(mask: bigint, maskBase: bigint): boolean {
  if (maskBase === ALL_ONES) return true;
  return maskBase === 0n && (mask & 1n) !== 0n;
}
