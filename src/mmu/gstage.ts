// The G-stage table of nested (EPT) mode: guest-physical to machine addresses, in the
// RISC-V Sv39x4 format of the hypervisor extension (privileged spec, "Two-Stage Address
// Translation"). It lives in machine frames of the one WebAssembly.Memory that belong to
// the monitor, and is derived from the P2M: built from it at start and updated when a
// page is remapped. A translation reads one entry per level: 3 references for a 4 KiB
// page, which is what every guest page-table reference costs in a two-dimensional walk.
//
// Sv39x4: a 41-bit guest-physical address; the root table has 2048 entries (16 KiB,
// 16 KiB-aligned) indexed by bits 40:30, the next levels 512 entries by bits 29:21 and
// 20:12. Leaves must have U set (G-stage accesses count as user accesses).
import type { FrameAllocator, PhysicalToMachine } from '../machine/p2m.js';
import { PAGE_SIZE } from '../machine/layout.js';
import { PTE_A, PTE_D, PTE_R, PTE_U, PTE_V, PTE_W, PTE_X } from './pte.js';

const ROOT_ENTRIES = 2048;
const GPA_LIMIT = 2 ** 41;
const LEAF_FLAGS = PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D;

export class GStageTable {
  /** Machine byte offset of the root table. */
  readonly root: number;
  /** Entries read by translations so far. */
  references = 0;
  private readonly words: Uint32Array;
  tables = 0;

  constructor(memory: WebAssembly.Memory, private readonly frames: FrameAllocator, p2m: PhysicalToMachine, ramBase: number) {
    this.words = new Uint32Array(memory.buffer);
    this.root = frames.allocateRun(ROOT_ENTRIES / 512, ROOT_ENTRIES / 512) * PAGE_SIZE;
    this.zero(this.root, ROOT_ENTRIES);
    this.tables = 1;
    for (let page = 0; page < p2m.pages; page++) this.map(ramBase + page * PAGE_SIZE, p2m.frameOffset(page));
    p2m.onRemap((page, machine) => this.map(ramBase + page * PAGE_SIZE, machine));
  }

  /** Maps the guest-physical page at `gpa` to the machine frame at `machine` (0: unmaps it). */
  map(gpa: number, machine: number): void {
    let table = this.root;
    for (let level = 2; level > 0; level--) {
      const at = table + index(gpa, level) * 8;
      let lo = this.words[at >>> 2];
      if (!(lo & PTE_V)) {
        const next = this.frames.allocate() * PAGE_SIZE;
        this.zero(next, 512);
        this.tables++;
        lo = ((next / PAGE_SIZE) << 10) | PTE_V;
        this.words[at >>> 2] = lo;
        this.words[(at >>> 2) + 1] = 0;
      }
      table = (lo >>> 10) * PAGE_SIZE;
    }
    const at = table + index(gpa, 0) * 8;
    this.words[at >>> 2] = machine === 0 ? 0 : (((machine / PAGE_SIZE) << 10) | LEAF_FLAGS) >>> 0;
    this.words[(at >>> 2) + 1] = 0;
  }

  /**
   * The machine offset of the page holding guest-physical `gpa`, or -1 when no leaf maps
   * it (a guest-page fault on hardware; here it means the address is a device's).
   */
  translate(gpa: number): number {
    if (gpa < 0 || gpa >= GPA_LIMIT) return -1;
    const words = this.words;
    let table = this.root;
    for (let level = 2; level >= 0; level--) {
      this.references++;
      const lo = words[(table + index(gpa, level) * 8) >>> 2];
      if (!(lo & PTE_V)) return -1;
      const frame = (lo >>> 10) * PAGE_SIZE;
      if (lo & (PTE_R | PTE_X)) return level === 0 ? frame : -1; // the monitor maps 4 KiB leaves only
      table = frame;
    }
    return -1;
  }

  private zero(offset: number, entries: number): void {
    this.words.fill(0, offset >>> 2, (offset >>> 2) + entries * 2);
  }
}

/** The index at `level` of a guest-physical address (the root's has 11 bits). */
function index(gpa: number, level: number): number {
  if (level === 2) return Math.floor(gpa / 2 ** 30) & (ROOT_ENTRIES - 1);
  return Math.floor(gpa / 2 ** (12 + 9 * level)) & 0x1ff;
}
