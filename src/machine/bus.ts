// The guest-physical bus: DRAM backed by machine frames of the one WebAssembly.Memory
// (through the P2M, src/machine/p2m.ts), plus MMIO devices. Addresses are JS numbers;
// anything at or above 2^53 is outside every region and faults.
import { DRAM_BASE, PAGE_SHIFT, PAGE_SIZE } from './layout.js';
import type { PhysicalToMachine } from './p2m.js';

export type AccessSize = 1 | 2 | 4 | 8;

/** Who watches a RAM page's contents (bit numbers of Bus.watchedPages). */
export enum PageWatch {
  /** Translated code was made from it (src/jit). */
  Code = 0,
  /** It is a guest page table that a shadow page table mirrors (src/mmu/shadow.ts). */
  PageTable = 1,
}

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
   * One byte per 4 KiB page of RAM: the PageWatch bits of whoever depends on the page's
   * contents. Every write to a watched page, by the guest or the host, is reported to
   * that watch's listener, and stores to it never go through a TLB fast path.
   */
  readonly watchedPages: Uint8Array;
  private watchedCount = 0;
  private readonly pageListeners: (((paddr: number, size: number) => void) | null)[] = [null, null, null];
  private readonly frames: Uint32Array;

  constructor(readonly memory: WebAssembly.Memory, readonly p2m: PhysicalToMachine) {
    this.view = new DataView(memory.buffer);
    this.bytes = new Uint8Array(memory.buffer);
    this.frames = p2m.offsets;
    this.ramEnd = DRAM_BASE + this.ramSize;
    this.watchedPages = new Uint8Array(p2m.pages);
  }

  get ramSize(): number {
    return this.p2m.pages * PAGE_SIZE;
  }

  /** `listener(paddr, size)` hears of every write that touches a page with the `watch` mark. */
  onPageWrite(watch: PageWatch, listener: ((paddr: number, size: number) => void) | null): void {
    this.pageListeners[watch] = listener;
  }

  /** The RAM page number (0 = first page of DRAM) of a RAM address. */
  ramPage(paddr: number): number {
    return (paddr - this.ramBase) >>> PAGE_SHIFT;
  }

  /**
   * True when stores to the RAM page holding `paddr` must always take the slow path:
   * translated code or a shadow page table depends on it, or a watcher (HTIF) sits in
   * it. Such a page is never entered in the store TLB.
   */
  pageNeedsSlowStores(paddr: number): boolean {
    const page = this.ramPage(paddr);
    const start = this.ramBase + page * PAGE_SIZE;
    return this.watchedPages[page] !== 0 || this.watcherOverlaps(start, start + PAGE_SIZE);
  }

  /** True when stores to the page holding `paddr` are watched for `watch`'s sake alone (no other mark, no watcher). */
  watchedOnlyBy(watch: PageWatch, paddr: number): boolean {
    const page = this.ramPage(paddr);
    const start = this.ramBase + page * PAGE_SIZE;
    return this.watchedPages[page] === 1 << watch && !this.watcherOverlaps(start, start + PAGE_SIZE);
  }

  private watcherOverlaps(start: number, end: number): boolean {
    const w = this.watcher;
    return w !== null && start < w.end && end > w.start;
  }

  isMarked(watch: PageWatch, ramPage: number): boolean {
    return (this.watchedPages[ramPage] & (1 << watch)) !== 0;
  }

  /** Marks RAM page `ramPage`; true if it was not marked for `watch` before. */
  mark(watch: PageWatch, ramPage: number): boolean {
    const was = this.watchedPages[ramPage];
    if (was & (1 << watch)) return false;
    if (was === 0) this.watchedCount++;
    this.watchedPages[ramPage] = was | (1 << watch);
    return true;
  }

  unmark(watch: PageWatch, ramPage: number): void {
    const was = this.watchedPages[ramPage];
    if (!(was & (1 << watch))) return;
    this.watchedPages[ramPage] = was & ~(1 << watch);
    if (this.watchedPages[ramPage] === 0) this.watchedCount--;
  }

  /** Reports writes to watched pages in [paddr, paddr + size) of RAM. */
  private watchedStore(paddr: number, size: number): void {
    if (this.watchedCount === 0) return;
    const first = this.ramPage(paddr);
    const last = this.ramPage(paddr + size - 1);
    let bits = 0;
    for (let p = first; p <= last; p++) bits |= this.watchedPages[p];
    for (let watch = 0; bits !== 0; watch++, bits >>>= 1) if (bits & 1) this.pageListeners[watch]?.(paddr, size);
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

  /** True when a store to this RAM range must go through write(): a watcher or a page watch depends on it. */
  watched(paddr: number, size: number): boolean {
    if (this.watcherOverlaps(paddr, paddr + size)) return true;
    if (this.watchedCount === 0) return false;
    return this.watchedPages[this.ramPage(paddr)] !== 0 || this.watchedPages[this.ramPage(paddr + size - 1)] !== 0;
  }

  /**
   * Machine-memory offset of a guest-physical RAM range within one page, or -1 if it is
   * not all RAM (or crosses a page: frames are not contiguous; see forEachRamPage).
   */
  ramOffset(paddr: number, size: number): number {
    if (paddr < this.ramBase || paddr + size > this.ramEnd || (paddr & 0xfff) + size > PAGE_SIZE) return -1;
    const frame = this.frames[(paddr - this.ramBase) >>> PAGE_SHIFT];
    return frame === 0 ? -1 : frame + (paddr & 0xfff);
  }

  /**
   * Calls `visit(machineOffset, length, done)` for each page-sized piece of the RAM range
   * [paddr, paddr + length), `done` bytes into it. False (and no call) if any of it is not RAM.
   */
  private forEachRamPage(paddr: number, length: number, visit: (offset: number, length: number, done: number) => void): boolean {
    if (paddr < this.ramBase || paddr + length > this.ramEnd) return false;
    const pieces: [number, number][] = [];
    for (let done = 0; done < length;) {
      const at = paddr + done;
      const piece = Math.min(length - done, PAGE_SIZE - (at & 0xfff));
      const off = this.ramOffset(at, piece);
      if (off < 0) return false;
      pieces.push([off, piece]);
      done += piece;
    }
    let done = 0;
    for (const [off, piece] of pieces) {
      visit(off, piece, done);
      done += piece;
    }
    return true;
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
      this.watchedStore(paddr, size);
      return true;
    }
    const d = this.deviceAt(paddr, size);
    if (!d) return false;
    d.write(paddr - d.base, size, value);
    return true;
  }

  /** Copies bytes into RAM (loaders); false if the range is not all RAM. */
  writeBytes(paddr: number, data: Uint8Array): boolean {
    // Rewriting the same bytes (reloading an image) need not discard translated code.
    let changed = false;
    const ok = this.forEachRamPage(paddr, data.length, (off, length, done) => {
      const piece = data.subarray(done, done + length);
      if (this.watchedCount > 0 && !changed) changed = !sameBytes(this.bytes, off, piece);
      this.bytes.set(piece, off);
    });
    if (changed) this.watchedStore(paddr, data.length);
    return ok;
  }

  /** Zero-fills RAM (loaders' .bss); false if the range is not all RAM. */
  zero(paddr: number, length: number): boolean {
    let changed = false;
    const ok = this.forEachRamPage(paddr, length, (off, piece) => {
      if (this.watchedCount > 0 && !changed) changed = this.bytes.subarray(off, off + piece).some((b) => b !== 0);
      this.bytes.fill(0, off, off + piece);
    });
    if (changed) this.watchedStore(paddr, length);
    return ok;
  }

  readBytes(paddr: number, length: number): Uint8Array | undefined {
    const out = new Uint8Array(length);
    const ok = this.forEachRamPage(paddr, length, (off, piece, done) => out.set(this.bytes.subarray(off, off + piece), done));
    return ok ? out : undefined;
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
