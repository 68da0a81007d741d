// The guest-physical bus: DRAM backed by the one WebAssembly.Memory, plus MMIO devices.
// Addresses are JS numbers; anything at or above 2^53 is outside every region and faults.
import { DRAM_BASE, RAM_OFFSET } from './layout.js';

export type AccessSize = 1 | 2 | 4 | 8;

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;

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
  /**
   * One byte per 4 KiB page of RAM, non-zero while translated code depends on the page.
   * Every write to such a page, by the guest or the host, is reported to the listener
   * (the JIT), which drops the stale translations and clears the mark.
   */
  readonly codePages: Uint8Array;
  private codeCount = 0;
  private codeWritten: ((paddr: number, size: number) => void) | null = null;

  constructor(readonly memory: WebAssembly.Memory, readonly ramSize: number) {
    this.view = new DataView(memory.buffer);
    this.bytes = new Uint8Array(memory.buffer);
    this.ramEnd = DRAM_BASE + ramSize;
    this.codePages = new Uint8Array(Math.ceil(ramSize / PAGE_SIZE));
  }

  /** `listener(paddr, size)` hears of every write that touches a page marked as code. */
  onCodeWrite(listener: ((paddr: number, size: number) => void) | null): void {
    this.codeWritten = listener;
  }

  /**
   * True when stores to the RAM page holding `paddr` must always take the slow path:
   * translated code depends on it, or a watcher (HTIF) sits in it. Such a page is never
   * entered in the store TLB.
   */
  pageNeedsSlowStores(paddr: number): boolean {
    const page = (paddr - this.ramBase) >>> PAGE_SHIFT;
    const start = this.ramBase + page * PAGE_SIZE;
    return this.codePages[page] !== 0 || this.watcherOverlaps(start, start + PAGE_SIZE);
  }

  private watcherOverlaps(start: number, end: number): boolean {
    const w = this.watcher;
    return w !== null && start < w.end && end > w.start;
  }

  /** Marks the RAM page holding `paddr` as a source of translated code. */
  markCode(paddr: number): void {
    const page = (paddr - this.ramBase) >>> PAGE_SHIFT;
    if (!this.codePages[page]) {
      this.codePages[page] = 1;
      this.codeCount++;
    }
  }

  unmarkCode(ramPage: number): void {
    if (this.codePages[ramPage]) {
      this.codePages[ramPage] = 0;
      this.codeCount--;
    }
  }

  /** Reports writes to code pages in [paddr, paddr + size) of RAM. */
  private codeStore(paddr: number, size: number): void {
    if (this.codeCount === 0) return;
    const first = (paddr - this.ramBase) >>> PAGE_SHIFT;
    const last = (paddr + size - 1 - this.ramBase) >>> PAGE_SHIFT;
    for (let p = first; p <= last; p++) {
      if (this.codePages[p]) {
        this.codeWritten?.(paddr, size);
        return;
      }
    }
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

  /** True when a store to this RAM range must go through write(): a watcher or translated code depends on it. */
  watched(paddr: number, size: number): boolean {
    if (this.watcherOverlaps(paddr, paddr + size)) return true;
    if (this.codeCount === 0) return false;
    const rel = paddr - this.ramBase;
    return this.codePages[rel >>> PAGE_SHIFT] !== 0 || this.codePages[(rel + size - 1) >>> PAGE_SHIFT] !== 0;
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
      if (this.watcherOverlaps(paddr, paddr + size)) this.watcher!.stored(paddr, size);
      this.codeStore(paddr, size);
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
    // Rewriting the same bytes (reloading an image) need not discard translated code.
    const changed = this.codeCount > 0 && !sameBytes(this.bytes, off, data);
    this.bytes.set(data, off);
    if (changed) this.codeStore(paddr, data.length);
    return true;
  }

  /** Zero-fills RAM (loaders' .bss); false if the range is not all RAM. */
  zero(paddr: number, length: number): boolean {
    const off = this.ramOffset(paddr, length);
    if (off < 0) return false;
    const changed = this.codeCount > 0 && this.bytes.subarray(off, off + length).some((b) => b !== 0);
    this.bytes.fill(0, off, off + length);
    if (changed) this.codeStore(paddr, length);
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

function sameBytes(memory: Uint8Array, off: number, data: Uint8Array): boolean {
  for (let i = 0; i < data.length; i++) if (memory[off + i] !== data[i]) return false;
  return true;
}
