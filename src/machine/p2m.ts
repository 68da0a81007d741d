// The physical-to-machine map (P2M): which machine frame (a 4 KiB page of the one
// WebAssembly.Memory) backs each guest-physical page of RAM, and the allocator those
// frames come from. The frames need not be contiguous or in order; this is the one place
// that knows where a guest page lives, so later work (ballooning, page sharing) remaps a
// page here and tells the listeners (the MMU's derived tables: TLBs, the G-stage table).
//
// It sits in the machine layer, not src/mmu/, because the physical bus resolves every
// RAM access through it, and the bus is below the MMU.
import { PAGE_SIZE } from './layout.js';

/** How guest pages are laid out over machine frames at boot. */
export type FramePlacement = 'linear' | 'scattered';
export const FRAME_PLACEMENTS: readonly FramePlacement[] = ['linear', 'scattered'];

/** Machine frames, handed out one at a time or as aligned runs (a G-stage root is 16 KiB). */
export class FrameAllocator {
  private readonly used: Uint8Array;
  private hint = 0;
  private inUse = 0;

  /** Manages frames [firstFrame, firstFrame + count) (frame n is machine bytes n * 4096 onwards). */
  constructor(readonly firstFrame: number, readonly count: number) {
    this.used = new Uint8Array(count);
  }

  get free(): number {
    return this.count - this.inUse;
  }

  /** A free frame's number; throws RangeError when none is left. */
  allocate(): number {
    return this.allocateRun(1, 1);
  }

  /** `count` contiguous free frames whose first frame number is a multiple of `align`. */
  allocateRun(count: number, align: number): number {
    const i = this.findRun(this.hint, count, align) ?? this.findRun(0, count, align);
    if (i === undefined) throw new RangeError(`out of machine frames (${count} wanted, ${this.free} of ${this.count} free)`);
    this.used.fill(1, i, i + count);
    this.inUse += count;
    this.hint = i + count;
    return this.firstFrame + i;
  }

  /** The index of the first free aligned run of `count` frames at or after index `from`. */
  private findRun(from: number, count: number, align: number): number | undefined {
    let i = from;
    while (i + count <= this.count) {
      const misalign = (this.firstFrame + i) % align;
      if (misalign !== 0) { i += align - misalign; continue; }
      let run = 0;
      while (run < count && !this.used[i + run]) run++;
      if (run === count) return i;
      i += run + 1;
    }
    return undefined;
  }

  release(frame: number): void {
    const i = frame - this.firstFrame;
    if (i < 0 || i >= this.count || !this.used[i]) throw new Error(`release of frame ${frame}, which is not allocated`);
    this.used[i] = 0;
    this.inUse--;
  }
}

/** Told when a guest page's backing frame changes. */
export type RemapListener = (guestPage: number, machineOffset: number) => void;

export class PhysicalToMachine {
  /**
   * The machine byte offset of each guest RAM page's frame (page 0 is the first page of
   * DRAM); 0 when the page has no frame (offset 0 is the hart state, never a frame).
   */
  readonly offsets: Uint32Array;
  /** The reverse: the guest page each machine frame backs (by frame - allocator.firstFrame), or -1. */
  private readonly owners: Int32Array;
  private readonly listeners: RemapListener[] = [];

  constructor(readonly pages: number, readonly allocator: FrameAllocator, placement: FramePlacement) {
    this.offsets = new Uint32Array(pages);
    this.owners = new Int32Array(allocator.count).fill(-1);
    const frames = Array.from({ length: pages }, () => allocator.allocate());
    if (placement === 'scattered') shuffle(frames);
    for (let page = 0; page < pages; page++) {
      this.offsets[page] = frames[page] * PAGE_SIZE;
      this.owners[frames[page] - allocator.firstFrame] = page;
    }
  }

  /** The guest RAM page backed by the machine frame at byte offset `machine`, or -1. */
  guestPageOf(machine: number): number {
    const i = Math.floor(machine / PAGE_SIZE) - this.allocator.firstFrame;
    return i >= 0 && i < this.owners.length ? this.owners[i] : -1;
  }

  /** Machine byte offset of RAM page `page`'s frame (0: none). */
  frameOffset(page: number): number {
    return this.offsets[page];
  }

  onRemap(listener: RemapListener): void {
    this.listeners.push(listener);
  }

  /** Backs guest page `page` with machine frame `frame` (the caller moved the contents). */
  remap(page: number, frame: number): void {
    const old = this.offsets[page] / PAGE_SIZE - this.allocator.firstFrame;
    if (old >= 0 && old < this.owners.length) this.owners[old] = -1;
    this.owners[frame - this.allocator.firstFrame] = page;
    this.offsets[page] = frame * PAGE_SIZE;
    for (const l of this.listeners) l(page, this.offsets[page]);
  }
}

/**
 * A fixed permutation (xorshift32, constant seed): runs stay reproducible, and no guest
 * page sits next to its neighbour, so anything that assumes contiguous RAM breaks at once.
 */
function shuffle(frames: number[]): void {
  let x = 0x9e3779b9;
  for (let i = frames.length - 1; i > 0; i--) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    const j = (x >>> 0) % (i + 1);
    [frames[i], frames[j]] = [frames[j], frames[i]];
  }
}
