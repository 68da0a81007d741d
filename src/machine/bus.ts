// The guest-physical bus: DRAM backed by the one WebAssembly.Memory, plus MMIO devices.
// Addresses are JS numbers; anything at or above 2^53 is outside every region and faults.
import { DRAM_BASE, RAM_OFFSET } from './layout.js';

export type AccessSize = 1 | 2 | 4 | 8;

export interface MmioDevice {
  readonly name: string;
  readonly base: number;
  readonly size: number;
  /** `offset` is relative to base; returns the zero-extended value. */
  read(offset: number, size: AccessSize): bigint;
  write(offset: number, size: AccessSize, value: bigint): void;
}

/** Something that wants to see every store to a small RAM range (HTIF's tohost). */
export interface StoreWatcher {
  readonly start: number;
  readonly end: number;
  stored(paddr: number, size: AccessSize): void;
}

export class Bus {
  readonly view: DataView;
  readonly bytes: Uint8Array;
  readonly ramBase = DRAM_BASE;
  readonly ramEnd: number;
  private readonly devices: MmioDevice[] = [];
  private watcher: StoreWatcher | null = null;

  constructor(readonly memory: WebAssembly.Memory, readonly ramSize: number) {
    this.view = new DataView(memory.buffer);
    this.bytes = new Uint8Array(memory.buffer);
    this.ramEnd = DRAM_BASE + ramSize;
  }

  attach(device: MmioDevice): void {
    for (const d of this.devices) {
      if (device.base < d.base + d.size && d.base < device.base + device.size) {
        throw new Error(`device ${device.name} overlaps ${d.name}`);
      }
    }
    this.devices.push(device);
  }

  watchStores(watcher: StoreWatcher | null): void {
    this.watcher = watcher;
  }

  /** True when a store to this RAM range must go through write() so a watcher sees it. */
  watched(paddr: number, size: number): boolean {
    const w = this.watcher;
    return w !== null && paddr < w.end && paddr + size > w.start;
  }

  /** Machine-memory offset of a guest-physical RAM range, or -1 if it is not all RAM. */
  ramOffset(paddr: number, size: number): number {
    if (paddr >= this.ramBase && paddr + size <= this.ramEnd) return paddr - this.ramBase + RAM_OFFSET;
    return -1;
  }

  deviceAt(paddr: number, size: number): MmioDevice | undefined {
    for (const d of this.devices) if (paddr >= d.base && paddr + size <= d.base + d.size) return d;
    return undefined;
  }

  /** Reads `size` bytes, zero-extended; undefined means an access fault. */
  read(paddr: number, size: AccessSize): bigint | undefined {
    const off = this.ramOffset(paddr, size);
    if (off >= 0) return readRam(this.view, off, size);
    const d = this.deviceAt(paddr, size);
    return d ? d.read(paddr - d.base, size) : undefined;
  }

  /** Writes `size` bytes; false means an access fault. */
  write(paddr: number, size: AccessSize, value: bigint): boolean {
    const off = this.ramOffset(paddr, size);
    if (off >= 0) {
      writeRam(this.view, off, size, value);
      if (this.watched(paddr, size)) this.watcher!.stored(paddr, size);
      return true;
    }
    const d = this.deviceAt(paddr, size);
    if (!d) return false;
    d.write(paddr - d.base, size, value);
    return true;
  }

  /** Copies bytes into RAM (loaders); false if the range is not all RAM. */
  writeBytes(paddr: number, data: Uint8Array): boolean {
    const off = this.ramOffset(paddr, data.length);
    if (off < 0) return false;
    this.bytes.set(data, off);
    return true;
  }

  readBytes(paddr: number, length: number): Uint8Array | undefined {
    const off = this.ramOffset(paddr, length);
    return off < 0 ? undefined : this.bytes.slice(off, off + length);
  }
}

export function readRam(view: DataView, off: number, size: AccessSize): bigint {
  switch (size) {
    case 1: return BigInt(view.getUint8(off));
    case 2: return BigInt(view.getUint16(off, true));
    case 4: return BigInt(view.getUint32(off, true));
    default: return view.getBigUint64(off, true);
  }
}

export function writeRam(view: DataView, off: number, size: AccessSize, value: bigint): void {
  switch (size) {
    case 1: view.setUint8(off, Number(value & 0xffn)); return;
    case 2: view.setUint16(off, Number(value & 0xffffn), true); return;
    case 4: view.setUint32(off, Number(value & 0xffff_ffffn), true); return;
    default: view.setBigUint64(off, value, true);
  }
}
