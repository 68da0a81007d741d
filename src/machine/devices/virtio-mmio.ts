// The virtio-mmio transport, version 2 (VIRTIO 1.2, "Virtio Over MMIO"; no legacy
// interface), as on QEMU's virt board: eight 4 KiB slots from 0x1000_1000, slot n on PLIC
// source 1 + n. A slot with no device still answers as a virtio-mmio device with
// DeviceID 0, because Linux and U-Boot probe every slot the device tree lists and skip
// ID 0 quietly.
//
// The device-type logic (block, entropy) sits behind VirtioDevice; this file owns the
// registers, status and feature negotiation, the queues' registers and the interrupt
// line. Requests are handled synchronously when the driver writes QueueNotify.
import type { AccessSize, MmioDevice } from '../bus.js';
import { MalformedRingError, MAX_QUEUE_SIZE, SplitVirtqueue, type GuestMemory } from './virtio-queue.js';

export const VIRTIO_MMIO_BASE = 0x1000_1000;
export const VIRTIO_MMIO_SLOT_SIZE = 0x1000;
export const VIRTIO_MMIO_SLOTS = 8;

/** The MMIO base of virt slot `slot` (0..7). */
export function virtioMmioBase(slot: number): number {
  return VIRTIO_MMIO_BASE + slot * VIRTIO_MMIO_SLOT_SIZE;
}

/** The PLIC source of virt slot `slot`. */
export function virtioMmioIrq(slot: number): number {
  return 1 + slot;
}

/** "virt" in little-endian ASCII. */
export const VIRTIO_MMIO_MAGIC = 0x7472_6976;
/**
 * "QEMU" in little-endian ASCII, QEMU's own VendorID. Nothing in Linux, U-Boot or
 * OpenSBI matches on it (there is no vendor registry for virtio), and reporting the same
 * value as QEMU keeps what the guest sees (sysfs `vendor`, modalias) identical to a
 * reference run on QEMU's virt board, so guest-side outputs diff cleanly against it.
 */
export const VIRTIO_VENDOR_ID = 0x554d_4551;

export const VIRTIO_F_INDIRECT_DESC = 1n << 28n;
export const VIRTIO_F_VERSION_1 = 1n << 32n;

export const STATUS_ACKNOWLEDGE = 1;
export const STATUS_DRIVER = 2;
export const STATUS_DRIVER_OK = 4;
export const STATUS_FEATURES_OK = 8;
export const STATUS_DEVICE_NEEDS_RESET = 0x40;
export const STATUS_FAILED = 0x80;

export const INTERRUPT_USED_BUFFER = 1;
export const INTERRUPT_CONFIG_CHANGE = 2;

/** Register offsets (all 32-bit). */
export const VirtioMmioReg = {
  MagicValue: 0x000,
  Version: 0x004,
  DeviceID: 0x008,
  VendorID: 0x00c,
  DeviceFeatures: 0x010,
  DeviceFeaturesSel: 0x014,
  DriverFeatures: 0x020,
  DriverFeaturesSel: 0x024,
  QueueSel: 0x030,
  QueueNumMax: 0x034,
  QueueNum: 0x038,
  QueueReady: 0x044,
  QueueNotify: 0x050,
  InterruptStatus: 0x060,
  InterruptACK: 0x064,
  Status: 0x070,
  QueueDescLow: 0x080,
  QueueDescHigh: 0x084,
  QueueDriverLow: 0x090,
  QueueDriverHigh: 0x094,
  QueueDeviceLow: 0x0a0,
  QueueDeviceHigh: 0x0a4,
  SHMSel: 0x0ac,
  SHMLenLow: 0x0b0,
  SHMLenHigh: 0x0b4,
  SHMBaseLow: 0x0b8,
  SHMBaseHigh: 0x0bc,
  QueueReset: 0x0c0,
  ConfigGeneration: 0x0fc,
  Config: 0x100,
} as const;

/** A device type behind the transport. */
export interface VirtioDevice {
  /** Short name for diagnostics: "blk", "rng". */
  readonly name: string;
  /** The virtio DeviceID (2 = block, 4 = entropy). */
  readonly deviceId: number;
  /** Device-type feature bits offered; the transport adds VIRTIO_F_VERSION_1 and VIRTIO_F_INDIRECT_DESC. */
  readonly features: bigint;
  /** QueueNumMax of each queue (powers of two); their number is the number of queues. */
  readonly queueSizes: readonly number[];
  /** Reads the device-specific configuration space (offset from its start); 0 beyond it. */
  readConfig(offset: number, size: AccessSize): bigint;
  writeConfig(offset: number, size: AccessSize, value: bigint): void;
  /**
   * Serves everything the driver made available on queue `index`: pop, do, push.
   * Throws MalformedRingError when the driver broke the protocol.
   */
  processQueue(index: number, queue: SplitVirtqueue): void;
  /** Forgets all per-driver state (the transport reset the device). */
  reset(): void;
}

interface QueueRegisters {
  num: number;
  ready: boolean;
  desc: [low: number, high: number];
  driver: [low: number, high: number];
  device: [low: number, high: number];
  ring: SplitVirtqueue | null;
}

export class VirtioMmio implements MmioDevice {
  readonly name: string;
  readonly size = VIRTIO_MMIO_SLOT_SIZE;
  /** Why the device last set DEVICE_NEEDS_RESET, for diagnostics; cleared by reset. */
  lastFault: string | undefined;
  private readonly offered: bigint;
  private readonly queues: QueueRegisters[];
  private status = 0;
  private deviceFeaturesSel = 0;
  private driverFeaturesSel = 0;
  private driverFeatures = 0n;
  private queueSel = 0;
  private interruptStatus = 0;
  private configGeneration = 0;
  private irqLevel = false;

  constructor(
    readonly base: number,
    private readonly device: VirtioDevice | null,
    private readonly memory: GuestMemory,
    private readonly irq: (level: boolean) => void = () => {},
  ) {
    this.name = `virtio-${device?.name ?? 'empty'}@0x${base.toString(16)}`;
    this.offered = device ? device.features | VIRTIO_F_VERSION_1 | VIRTIO_F_INDIRECT_DESC : 0n;
    for (const size of device?.queueSizes ?? []) {
      if (size < 1 || size > MAX_QUEUE_SIZE || (size & (size - 1)) !== 0) {
        throw new RangeError(`virtio-${device!.name}: queue size ${size} is not a power of two up to ${MAX_QUEUE_SIZE}`);
      }
    }
    this.queues = (device?.queueSizes ?? []).map((max) => ({
      num: max, ready: false, desc: [0, 0], driver: [0, 0], device: [0, 0], ring: null,
    }));
  }

  /** The features both sides agreed on (meaningful once FEATURES_OK is set). */
  get negotiatedFeatures(): bigint {
    return this.driverFeatures & this.offered;
  }

  /** The device changed its configuration space (e.g. a disk was resized): tell the driver. */
  configChanged(): void {
    this.configGeneration = (this.configGeneration + 1) >>> 0;
    if (this.status & STATUS_DRIVER_OK) this.raise(INTERRUPT_CONFIG_CHANGE);
  }

  read(offset: number, size: AccessSize): bigint {
    if (offset >= VirtioMmioReg.Config) {
      return this.device ? this.device.readConfig(offset - VirtioMmioReg.Config, size) : 0n;
    }
    // The spec allows only aligned 32-bit accesses to the registers; others read as 0.
    if (size !== 4 || offset & 3) return 0n;
    return BigInt(this.readRegister(offset) >>> 0);
  }

  write(offset: number, size: AccessSize, value: bigint): void {
    if (offset >= VirtioMmioReg.Config) {
      this.device?.writeConfig(offset - VirtioMmioReg.Config, size, value);
      return;
    }
    if (size !== 4 || offset & 3 || !this.device) return;
    this.writeRegister(offset, Number(value & 0xffff_ffffn));
  }

  private readRegister(offset: number): number {
    const R = VirtioMmioReg;
    switch (offset) {
      case R.MagicValue: return VIRTIO_MMIO_MAGIC;
      case R.Version: return 2;
      case R.DeviceID: return this.device?.deviceId ?? 0;
      case R.VendorID: return VIRTIO_VENDOR_ID;
    }
    if (!this.device) return 0;
    const q = this.queues[this.queueSel] as QueueRegisters | undefined;
    switch (offset) {
      case R.DeviceFeatures:
        return this.deviceFeaturesSel > 1 ? 0 : Number((this.offered >> BigInt(32 * this.deviceFeaturesSel)) & 0xffff_ffffn);
      case R.QueueNumMax: return q ? this.device.queueSizes[this.queueSel] : 0; // 0: no such queue
      case R.QueueNum: return q?.num ?? 0;
      case R.QueueReady: return q?.ready ? 1 : 0;
      case R.InterruptStatus: return this.interruptStatus;
      case R.Status: return this.status;
      case R.QueueDescLow: return q?.desc[0] ?? 0;
      case R.QueueDescHigh: return q?.desc[1] ?? 0;
      case R.QueueDriverLow: return q?.driver[0] ?? 0;
      case R.QueueDriverHigh: return q?.driver[1] ?? 0;
      case R.QueueDeviceLow: return q?.device[0] ?? 0;
      case R.QueueDeviceHigh: return q?.device[1] ?? 0;
      // No shared memory regions: a non-existent region reads as length and base -1.
      case R.SHMLenLow: case R.SHMLenHigh: case R.SHMBaseLow: case R.SHMBaseHigh: return 0xffff_ffff;
      case R.ConfigGeneration: return this.configGeneration;
      default: return 0;
    }
  }

  private writeRegister(offset: number, v: number): void {
    const R = VirtioMmioReg;
    const q = this.queues[this.queueSel] as QueueRegisters | undefined;
    switch (offset) {
      case R.DeviceFeaturesSel: this.deviceFeaturesSel = v; return;
      case R.DriverFeaturesSel: this.driverFeaturesSel = v; return;
      case R.DriverFeatures: this.setDriverFeatures(v); return;
      case R.QueueSel: this.queueSel = v; return;
      case R.QueueNum: if (q && !q.ready) q.num = v; return;
      case R.QueueReady: if (q) this.setQueueReady(q, v !== 0); return;
      case R.QueueNotify: this.notify(v & 0xffff); return;
      case R.InterruptACK: this.interruptStatus &= ~v; this.updateIrq(); return;
      case R.Status: this.setStatus(v & 0xff); return;
      case R.QueueDescLow: if (q && !q.ready) q.desc[0] = v; return;
      case R.QueueDescHigh: if (q && !q.ready) q.desc[1] = v; return;
      case R.QueueDriverLow: if (q && !q.ready) q.driver[0] = v; return;
      case R.QueueDriverHigh: if (q && !q.ready) q.driver[1] = v; return;
      case R.QueueDeviceLow: if (q && !q.ready) q.device[0] = v; return;
      case R.QueueDeviceHigh: if (q && !q.ready) q.device[1] = v; return;
      default: return; // read-only registers, SHMSel (no regions), QueueReset (RING_RESET not offered)
    }
  }

  private setDriverFeatures(word: number): void {
    // Once FEATURES_OK is set the features are fixed; the spec forbids changing them.
    if (this.status & STATUS_FEATURES_OK || this.driverFeaturesSel > 1) return;
    const shift = BigInt(32 * this.driverFeaturesSel);
    this.driverFeatures = (this.driverFeatures & ~(0xffff_ffffn << shift)) | (BigInt(word) << shift);
  }

  private setStatus(v: number): void {
    if (v === 0) { this.reset(); return; }
    let next = v | (this.status & STATUS_DEVICE_NEEDS_RESET);
    if (next & STATUS_FEATURES_OK && !(this.status & STATUS_FEATURES_OK) && !this.featuresAcceptable()) {
      // Refusing FEATURES_OK is how a device rejects a feature set: the driver reads the
      // status back, sees the bit clear and gives up.
      next &= ~STATUS_FEATURES_OK;
    }
    this.status = next;
  }

  /** Only offered features, and VERSION_1: without it the driver expects the legacy interface we lack. */
  private featuresAcceptable(): boolean {
    return (this.driverFeatures & ~this.offered) === 0n && (this.driverFeatures & VIRTIO_F_VERSION_1) !== 0n;
  }

  private setQueueReady(q: QueueRegisters, ready: boolean): void {
    if (!ready) { q.ready = false; q.ring = null; return; }
    if (q.ready) return;
    const max = this.device!.queueSizes[this.queueSel];
    if (q.num < 1 || q.num > max || (q.num & (q.num - 1)) !== 0) {
      this.needsReset(`queue ${this.queueSel}: size ${q.num} is not a power of two from 1 to ${max}`);
      return;
    }
    const address = ([low, high]: [number, number]) => high * 2 ** 32 + low;
    // Ring parts must be JS-exact addresses; anything at 2^53 or above is not RAM anyway.
    if (q.desc[1] >= 2 ** 21 || q.driver[1] >= 2 ** 21 || q.device[1] >= 2 ** 21) {
      this.needsReset(`queue ${this.queueSel}: a ring address is outside guest-physical memory`);
      return;
    }
    q.ring = new SplitVirtqueue(this.memory, {
      size: q.num, descAddr: address(q.desc), driverAddr: address(q.driver), deviceAddr: address(q.device),
    }, (this.negotiatedFeatures & VIRTIO_F_INDIRECT_DESC) !== 0n);
    q.ready = true;
  }

  private notify(index: number): void {
    const q = this.queues[index] as QueueRegisters | undefined;
    // The device may not touch the rings before DRIVER_OK, nor after it asked for a reset.
    if (!q?.ring || !(this.status & STATUS_DRIVER_OK) || this.status & STATUS_DEVICE_NEEDS_RESET) return;
    const ring = q.ring;
    try {
      this.device!.processQueue(index, ring);
    } catch (e) {
      if (!(e instanceof MalformedRingError)) throw e;
      this.needsReset(`queue ${index}: ${e.message}`);
    }
    // Requests finished before a malformed one are still owed their interrupt.
    try {
      if (ring.takeInterrupt()) this.raise(INTERRUPT_USED_BUFFER);
    } catch (e) {
      if (!(e instanceof MalformedRingError)) throw e;
      this.needsReset(`queue ${index}: ${e.message}`);
      this.raise(INTERRUPT_USED_BUFFER);
    }
  }

  /** The driver broke the protocol: stop serving it and tell it through a configuration-change interrupt. */
  private needsReset(reason: string): void {
    this.lastFault = reason;
    this.status |= STATUS_DEVICE_NEEDS_RESET;
    if (this.status & STATUS_DRIVER_OK) this.raise(INTERRUPT_CONFIG_CHANGE);
  }

  /** Writing 0 to Status: back to the state at power-on (ConfigGeneration aside, which only moves forward). */
  private reset(): void {
    this.status = 0;
    this.deviceFeaturesSel = 0;
    this.driverFeaturesSel = 0;
    this.driverFeatures = 0n;
    this.queueSel = 0;
    this.interruptStatus = 0;
    this.lastFault = undefined;
    this.queues.forEach((q, i) => {
      q.num = this.device!.queueSizes[i];
      q.ready = false;
      q.ring = null;
      q.desc = [0, 0];
      q.driver = [0, 0];
      q.device = [0, 0];
    });
    this.device?.reset();
    this.updateIrq();
  }

  private raise(bits: number): void {
    this.interruptStatus |= bits;
    this.updateIrq();
  }

  private updateIrq(): void {
    const level = this.interruptStatus !== 0;
    if (level !== this.irqLevel) {
      this.irqLevel = level;
      this.irq(level);
    }
  }
}
