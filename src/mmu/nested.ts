// Nested (EPT) mode: no shadow tables. A TLB miss walks the guest's Sv39 table, and
// every guest-physical address the walk touches (each level's entry, then the final
// page) is itself translated through the G-stage table (gstage.ts): the two-dimensional
// walk of nested paging. For a 4 KiB page that is 3 guest levels x (3 G-stage reads + the
// entry itself) + 3 G-stage reads for the final address = 15 references, the figure the
// theory gives for Sv39 over Sv39x4. Page-table writes are plain stores: nothing to trace.
import type { Bus } from '../machine/bus.js';
import type { FrameAllocator, PhysicalToMachine } from '../machine/p2m.js';
import type { Mmu, MmuCounters } from './mmu.js';
import {
  accessedDirty, accessFault, leafPage, pageFault, ppnAddress, pteInvalid, pteIsLeaf, ptePpn, virtualPageNumber, vpnIndex,
} from './pte.js';
import { Access, checkPermissions, isTranslated, physical } from './sv39.js';
import { GStageTable } from './gstage.js';

/** The most references one walk can make (15), plus one bucket for anything beyond. */
const HISTOGRAM_BUCKETS = 17;

export class NestedMmu implements Mmu {
  readonly mode = 'ept';
  readonly gstage: GStageTable;
  machinePage = -1;
  leafLevel = 0;
  private walks = 0;
  private readonly referencesPerWalk = new Array<number>(HISTOGRAM_BUCKETS).fill(0);
  private readonly words: Uint32Array;

  constructor(private readonly bus: Bus, frames: FrameAllocator, p2m: PhysicalToMachine) {
    this.gstage = new GStageTable(bus.memory, frames, p2m, bus.ramBase);
    this.words = new Uint32Array(bus.memory.buffer);
  }

  translate(vaddr: bigint, access: Access, priv: number, satp: bigint, mstatus: bigint): number {
    const g = this.gstage;
    const before = g.references;
    this.walks++;
    this.leafLevel = 0;
    try {
      const gpa = isTranslated(satp, priv) ? this.walkGuest(vaddr, access, priv, satp, mstatus) : physical(vaddr);
      this.machinePage = g.translate(gpa - (gpa & 0xfff));
      return gpa;
    } finally {
      const refs = g.references - before;
      this.referencesPerWalk[Math.min(refs, HISTOGRAM_BUCKETS - 1)]++;
    }
  }

  /** The guest's own walk, each of its references through the G-stage table. */
  private walkGuest(vaddr: bigint, access: Access, priv: number, satp: bigint, mstatus: bigint): number {
    const vpn = virtualPageNumber(vaddr, access);
    let table = ppnAddress(Number(satp & 0xfff_ffff_ffffn));
    for (let level = 2; level >= 0; level--) {
      const pteGpa = table + vpnIndex(vpn, level) * 8;
      const { lo, hi } = this.readPte(pteGpa, access, vaddr);
      if (pteInvalid(lo, hi)) pageFault(access, vaddr);
      const ppn = ptePpn(lo, hi);
      if (!pteIsLeaf(lo)) {
        table = ppnAddress(ppn);
        continue;
      }
      const flags = lo & 0xff;
      checkPermissions(flags, access, priv, mstatus, vaddr);
      const page = leafPage(ppn, level, vpn, access, vaddr);
      const wanted = accessedDirty(flags, access);
      // The guest sees A and D set as hardware would set them (through the bus, so a
      // page-table page that also holds code or a watcher is still seen).
      if (wanted !== flags && !this.bus.write(pteGpa, 4, BigInt(((lo & ~0xff) | wanted) >>> 0))) accessFault(access, vaddr);
      this.leafLevel = level;
      return page < 0 ? -1 : page + Number(vaddr & 0xfffn);
    }
    return pageFault(access, vaddr);
  }

  /** A guest page-table entry: G-stage translate its address, then read it (one more reference). */
  private readPte(gpa: number, access: Access, vaddr: bigint): { lo: number; hi: number } {
    const frame = this.gstage.translate(gpa - (gpa & 0xfff));
    if (frame >= 0) {
      this.gstage.references++;
      const at = (frame + (gpa & 0xfff)) >>> 2;
      return { lo: this.words[at], hi: this.words[at + 1] };
    }
    // Not RAM: a device answers, as for the reference walker (or nothing does: access fault).
    const v = gpa < 0 ? undefined : this.bus.read(gpa, 8);
    if (v === undefined) return accessFault(access, vaddr);
    return { lo: Number(v & 0xffff_ffffn), hi: Number(v >> 32n) };
  }

  fence(): void {
    // Nothing cached here: the TLB (flushed by the engine) is the only copy.
  }

  counters(): MmuCounters {
    return {
      counts: { walks: this.walks, references: this.gstage.references, 'g-stage tables': this.gstage.tables },
      histograms: { 'references per walk': [...this.referencesPerWalk] },
    };
  }
}
