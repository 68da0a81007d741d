// Shadow mode: the monitor keeps shadow page tables, guest-virtual to machine, one tree
// per guest root (satp), and caches several roots so a context switch finds its tree
// again. Each shadow table mirrors one guest page table at one level; it is filled
// lazily: a TLB miss walks the shadow tree, and where an entry is still empty it reads
// the guest's entry (a hidden fault) and fills it, or, when the guest's own walk fails,
// reflects the page fault to the guest (a true fault).
//
// Guest page-table pages that a shadow table mirrors are write-protected: the bus marks
// them (PageWatch.PageTable), so no store to them goes through a TLB fast path, and every
// write reaches traced() (a tracing fault), which zaps the shadow entries the written
// guest entries had filled (a resync). So the shadow never disagrees with the guest's
// tables, and sfence.vma has only the TLB to flush. Leaves keep the guest's leaf (its
// PPN and flags); the machine frame comes from the P2M when the TLB is filled, so a P2M
// remap needs no shadow change.
//
// Stores compiled with the in-TC page-table-write form write guest tables inline and log
// the machine page (codegen/memory.ts): before it serves another miss (and at every
// sfence.vma) the monitor reads the log and resyncs those pages, zapping each shadow entry
// whose guest entry no longer matches the one it was filled from. (A walk never sees a
// stale shadow; only TLB entries can be stale, and only until the sfence.vma the ISA
// requires anyway.)
//
// A/D bits: a leaf is filled with A set in the guest's entry (and D, for a store); a
// store through a leaf filled without D is a hidden fault that sets it. The guest sees
// the bits exactly as the reference walker sets them.
import { PageWatch, type Bus } from '../machine/bus.js';
import { PT_WRITE_LOG_ENTRIES, PT_WRITE_LOG_OFFSET } from '../machine/layout.js';
import type { Mmu, MmuCounters } from './mmu.js';
import {
  accessedDirty, accessFault, leafPage, pageFault, ppnAddress, pteInvalid, pteIsLeaf, ptePpn, PTE_D, virtualPageNumber, vpnIndex,
} from './pte.js';
import { Access, checkPermissions, isTranslated, physical, translate as referenceTranslate } from './sv39.js';

const EMPTY = 0, TABLE = 1, LEAF = 2;
/** Guest roots whose shadow trees are kept (least recently used goes first). */
export const SHADOW_ROOTS = 8;
/** Shadow tables kept in all; past this every tree but the current one is dropped. */
const MAX_SHADOW_TABLES = 4096;

/** The shadow of one guest page table (512 entries) at one level. */
class ShadowTable {
  readonly kind = new Uint8Array(512);
  readonly child: (ShadowTable | undefined)[] = [];
  /** For a leaf: the guest entry's PPN and flags (as filled, with A/D). */
  readonly leafPpn = new Float64Array(512);
  readonly leafFlags = new Uint8Array(512);
  /** The guest entry each non-empty entry was filled from (its two words), to resync against. */
  readonly guestLo = new Uint32Array(512);
  readonly guestHi = new Uint32Array(512);
  /** Cleared when the table is dropped from its tree. */
  live = true;
  constructor(readonly guestTable: number, readonly ramPage: number, readonly level: number) {}
}

export class ShadowMmu implements Mmu {
  readonly mode = 'shadow';
  machinePage = -1;
  leafLevel = 0;
  private readonly roots = new Map<number, ShadowTable>();
  /** Shadow tables by the RAM page of the guest table they mirror (the write-protected pages). */
  private readonly byGuestPage = new Map<number, ShadowTable[]>();
  private tables = 0;
  private lastRootKey = -1;
  private lastRoot: ShadowTable | null = null;
  /** Set while the monitor itself writes a guest entry (A/D): not a tracing fault. */
  private internalWrite = false;
  private readonly words: Uint32Array;
  private readonly stats = {
    'hidden faults': 0, 'true faults': 0, 'tracing faults': 0, resyncs: 0,
    'shadow tables built': 0, 'shadow tables dropped': 0, 'roots built': 0, 'roots dropped': 0, 'logged writes': 0,
  };
  /** The page-table write log compiled code appends to: [count, pad, machine pages...]. */
  private readonly log: Uint32Array;

  /** `protectedPage` is told when a RAM page becomes write-protected (stores to it must leave any TLB). */
  constructor(private readonly bus: Bus, private readonly protectedPage: () => void) {
    this.words = new Uint32Array(bus.memory.buffer);
    this.log = new Uint32Array(bus.memory.buffer, PT_WRITE_LOG_OFFSET, 2 + PT_WRITE_LOG_ENTRIES);
    this.log[0] = 0;
    bus.onPageWrite(PageWatch.PageTable, (paddr, size) => this.traced(paddr, size));
  }

  translate(vaddr: bigint, access: Access, priv: number, satp: bigint, mstatus: bigint): number {
    if (this.log[0] !== 0) this.resyncLogged();
    this.leafLevel = 0;
    const gpa = isTranslated(satp, priv) ? this.walk(vaddr, access, priv, satp, mstatus) : physical(vaddr);
    this.machinePage = gpa < 0 ? -1 : this.bus.ramOffset(gpa - (gpa & 0xfff), 1);
    return gpa;
  }

  private walk(vaddr: bigint, access: Access, priv: number, satp: bigint, mstatus: bigint): number {
    const vpn = virtualPageNumber(vaddr, access);
    let t = this.rootFor(satp);
    if (!t) return this.unshadowed(vaddr, access, priv, satp, mstatus);
    for (let level = 2; level >= 0; level--) {
      const i = vpnIndex(vpn, level);
      const kind = t.kind[i];
      if (kind === TABLE) {
        t = t.child[i]!;
        continue;
      }
      if (kind === LEAF) {
        const flags = t.leafFlags[i];
        if (access !== Access.Store || (flags & PTE_D)) {
          this.checkLeaf(flags, access, priv, mstatus, vaddr);
          this.leafLevel = level;
          return this.leafAddress(t.leafPpn[i], level, vpn, access, vaddr);
        }
      }
      // Empty, or a store through a leaf not yet dirty: fill from the guest's entry.
      const pteGpa = t.guestTable + i * 8;
      const at = this.bus.ramOffset(pteGpa, 8);
      if (at < 0) return this.unshadowed(vaddr, access, priv, satp, mstatus);
      const lo = this.words[at >>> 2], hi = this.words[(at >>> 2) + 1];
      this.stats['hidden faults']++;
      if (pteInvalid(lo, hi)) this.trueFault(access, vaddr);
      const ppn = ptePpn(lo, hi);
      if (!pteIsLeaf(lo)) {
        if (level === 0) this.trueFault(access, vaddr);
        const child = this.build(ppnAddress(ppn), level - 1);
        if (!child) return this.unshadowed(vaddr, access, priv, satp, mstatus);
        t.kind[i] = TABLE;
        t.child[i] = child;
        t.guestLo[i] = lo;
        t.guestHi[i] = hi;
        t = child;
        continue;
      }
      const flags = lo & 0xff;
      this.checkLeaf(flags, access, priv, mstatus, vaddr);
      const gpa = this.leafAddress(ppn, level, vpn, access, vaddr);
      const wanted = accessedDirty(flags, access);
      if (wanted !== flags) {
        this.internalWrite = true;
        try {
          if (!this.bus.write(pteGpa, 4, BigInt(((lo & ~0xff) | wanted) >>> 0))) accessFault(access, vaddr);
        } finally {
          this.internalWrite = false;
        }
      }
      // The write above may have dropped this very table (a guest table that maps
      // itself); the entry is filled only while it is still part of a tree.
      if (t.live) {
        t.kind[i] = LEAF;
        t.leafPpn[i] = ppn;
        t.leafFlags[i] = wanted;
        t.guestLo[i] = ((lo & ~0xff) | wanted) >>> 0;
        t.guestHi[i] = hi;
      }
      this.leafLevel = level;
      return gpa;
    }
    return this.trueFault(access, vaddr);
  }

  private checkLeaf(flags: number, access: Access, priv: number, mstatus: bigint, vaddr: bigint): void {
    try {
      checkPermissions(flags, access, priv, mstatus, vaddr);
    } catch (e) {
      this.stats['true faults']++;
      throw e;
    }
  }

  private leafAddress(ppn: number, level: number, vpn: number, access: Access, vaddr: bigint): number {
    let page: number;
    try {
      page = leafPage(ppn, level, vpn, access, vaddr);
    } catch (e) {
      this.stats['true faults']++;
      throw e;
    }
    return page < 0 ? -1 : page + Number(vaddr & 0xfffn);
  }

  private trueFault(access: Access, vaddr: bigint): never {
    this.stats['true faults']++;
    return pageFault(access, vaddr);
  }

  /**
   * A walk through a guest table that is not in RAM (a device's registers as a page
   * table): nothing can be write-protected there, so nothing is shadowed; the reference
   * walker answers.
   */
  private unshadowed(vaddr: bigint, access: Access, priv: number, satp: bigint, mstatus: bigint): number {
    this.stats['hidden faults']++;
    return referenceTranslate(this.bus, vaddr, access, priv, satp, mstatus);
  }

  /** The shadow tree of the guest root in satp, built (empty) on first use. */
  private rootFor(satp: bigint): ShadowTable | null {
    const key = ppnAddress(Number(satp & 0xfff_ffff_ffffn));
    if (key === this.lastRootKey && this.lastRoot && this.roots.get(key) === this.lastRoot) return this.lastRoot;
    let root = this.roots.get(key);
    if (root) {
      this.roots.delete(key); // most recently used goes last
    } else {
      if (this.tables >= MAX_SHADOW_TABLES) this.dropRoots(this.roots.size);
      else if (this.roots.size >= SHADOW_ROOTS) this.dropRoots(1);
      root = this.build(key, 2) ?? undefined;
      if (!root) return null;
      this.stats['roots built']++;
    }
    this.roots.set(key, root);
    this.lastRootKey = key;
    this.lastRoot = root;
    return root;
  }

  private dropRoots(count: number): void {
    for (const [key, root] of [...this.roots].slice(0, count)) {
      this.roots.delete(key);
      this.drop(root);
      this.stats['roots dropped']++;
    }
  }

  /** A new, empty shadow of the guest table at `guestTable`; null if that is not RAM. */
  private build(guestTable: number, level: number): ShadowTable | null {
    const at = guestTable < 0 ? -1 : this.bus.ramOffset(guestTable, 8);
    if (at < 0) return null;
    const ramPage = this.bus.ramPage(guestTable);
    const t = new ShadowTable(guestTable, ramPage, level);
    let list = this.byGuestPage.get(ramPage);
    if (!list) {
      list = [];
      this.byGuestPage.set(ramPage, list);
    }
    list.push(t);
    if (this.bus.mark(PageWatch.PageTable, ramPage)) this.protectedPage();
    this.tables++;
    this.stats['shadow tables built']++;
    return t;
  }

  /** Drops a shadow table and everything below it; a guest page no table mirrors any more is unprotected. */
  private drop(t: ShadowTable): void {
    for (let i = 0; i < 512; i++) if (t.kind[i] === TABLE) this.drop(t.child[i]!);
    t.live = false;
    const list = this.byGuestPage.get(t.ramPage)!;
    list.splice(list.indexOf(t), 1);
    if (list.length === 0) {
      this.byGuestPage.delete(t.ramPage);
      this.bus.unmark(PageWatch.PageTable, t.ramPage);
    }
    this.tables--;
    this.stats['shadow tables dropped']++;
  }

  /** A write reached a write-protected guest page table: zap the shadow entries it covers. */
  private traced(paddr: number, size: number): void {
    if (!this.internalWrite) this.stats['tracing faults']++;
    for (let at = paddr; at < paddr + size; at = at - (at & 0xfff) + 4096) {
      const list = this.byGuestPage.get(this.bus.ramPage(at));
      if (!list) continue;
      const end = Math.min(paddr + size, at - (at & 0xfff) + 4096);
      const first = (at & 0xfff) >>> 3, last = ((end - 1) & 0xfff) >>> 3;
      for (const t of [...list]) {
        for (let i = first; i <= last; i++) this.zap(t, i);
      }
    }
  }

  private zap(t: ShadowTable, i: number): void {
    const kind = t.kind[i];
    if (kind === EMPTY) return;
    if (kind === TABLE) {
      this.drop(t.child[i]!);
      t.child[i] = undefined;
    }
    t.kind[i] = EMPTY;
    if (!this.internalWrite) this.stats.resyncs++;
  }

  fence(): void {
    // Tracing keeps every shadow entry in step with the guest's tables, and logged inline
    // writes are resynced here: the TLB (the engine's) is all a fence leaves to flush.
    if (this.log[0] !== 0) this.resyncLogged();
  }

  /** Resyncs the guest tables compiled code wrote inline (all of them if the log overflowed). */
  private resyncLogged(): void {
    const count = this.log[0];
    this.log[0] = 0;
    this.stats['logged writes'] += count;
    const pages = new Set<number>();
    if (count > PT_WRITE_LOG_ENTRIES) {
      for (const page of this.byGuestPage.keys()) pages.add(page);
    } else {
      for (let i = 0; i < count; i++) pages.add(this.bus.p2m.guestPageOf(this.log[2 + i]));
    }
    for (const page of pages) {
      for (const t of [...(this.byGuestPage.get(page) ?? [])]) {
        if (!t.live) continue; // dropped with an entry zapped just before
        const base = this.bus.ramOffset(t.guestTable, 8) >>> 2;
        for (let i = 0; i < 512; i++) {
          if (t.kind[i] !== EMPTY && (this.words[base + 2 * i] !== t.guestLo[i] || this.words[base + 2 * i + 1] !== t.guestHi[i])) {
            this.zap(t, i);
          }
        }
      }
    }
  }

  counters(): MmuCounters {
    return { counts: { ...this.stats, 'shadow tables live': this.tables, 'roots live': this.roots.size }, histograms: {} };
  }
}
