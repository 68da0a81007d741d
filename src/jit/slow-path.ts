// The slow paths of compiled loads, stores and atomics: what the inline TLB lookup
// (codegen/memory.ts) cannot do. A TLB refill for RAM (the MMU mode translates: a shadow
// walk or a nested walk), devices, pages whose stores are watched (code, shadowed page
// tables), misaligned accesses, and faults (raised as TrapSignal after the fragment made
// its state exact).
import { readRam, writeRam, type AccessSize, type Bus } from '../machine/bus.js';
import { SLOT } from '../machine/hart-state.js';
import { executeAtomic } from '../mmu/atomics.js';
import type { GuestMemory } from '../mmu/guest-memory.js';
import type { Mmu } from '../mmu/mmu.js';
import { Access } from '../mmu/sv39.js';
import { TlbKind, type Tlb } from '../mmu/tlb.js';
import { PageWatch } from '../machine/bus.js';
import { PT_TLB_TAG } from '../mmu/tlb.js';
import { DEVICE_ACCESS_TRAPS, PT_WRITE_INLINE, PT_WRITE_TRAPS } from './exits.js';

/** Thrown when a load or store reaches a device while devices are lowered as traps: leave to the monitor. */
export const DEVICE_ACCESS_TRAPPED = Symbol('device access left to the monitor');
/** Thrown when a store reaches a shadowed guest page table while such writes are lowered as traps. */
export const PT_WRITE_TRAPPED = Symbol('page-table write left to the monitor');

export class SlowPath {
  /** `needsMonitor` raises the attention flag if a device or code write changed what the monitor watches. */
  constructor(private readonly bus: Bus, private readonly mem: GuestMemory, private readonly mmu: Mmu,
    private readonly state: BigUint64Array, private readonly tlb: Tlb, private readonly needsMonitor: () => void) {}

  /** Slow-path load: TLB refill for RAM, devices, misaligned accesses and faults. */
  load(vaddr: bigint, sizeAndFlags: number): bigint {
    const size = (sizeAndFlags & 0xff) as AccessSize;
    if ((vaddr & BigInt(size - 1)) !== 0n) return this.mem.load(vaddr, size);
    this.tlb.misses++;
    const pa = this.mem.translateData(vaddr, Access.Load);
    const page = this.mmu.machinePage;
    if (page >= 0) {
      this.tlb.fill(Number(this.state[SLOT.priv]), TlbKind.Load, vaddr, page, this.mmu.leafLevel);
      return readRam(this.bus.view, page + (pa & 0xfff), size);
    }
    if (sizeAndFlags & DEVICE_ACCESS_TRAPS) throw DEVICE_ACCESS_TRAPPED;
    const v = this.mem.loadPhysical(pa, size, vaddr, Access.Load);
    this.needsMonitor();
    return v;
  }

  /** Slow-path store: TLB refill for plain RAM, else through the bus (devices, code, HTIF). */
  store(vaddr: bigint, value: bigint, sizeAndFlags: number): void {
    const size = (sizeAndFlags & 0xff) as AccessSize;
    if ((vaddr & BigInt(size - 1)) !== 0n) {
      this.mem.store(vaddr, size, value);
      this.needsMonitor();
      return;
    }
    this.tlb.misses++;
    const pa = this.mem.translateData(vaddr, Access.Store);
    const page = this.mmu.machinePage;
    const bus = this.bus;
    if (page >= 0 && !bus.pageNeedsSlowStores(pa)) {
      this.tlb.fill(Number(this.state[SLOT.priv]), TlbKind.Store, vaddr, page, this.mmu.leafLevel);
      writeRam(bus.view, page + (pa & 0xfff), size, value);
      return;
    }
    if (page >= 0 && bus.isMarked(PageWatch.PageTable, bus.ramPage(pa))) {
      if (sizeAndFlags & PT_WRITE_TRAPS) throw PT_WRITE_TRAPPED;
      // An in-TC site: from now on its stores to this page run inline and are logged
      // (unless something else watches the page: code, or the HTIF mailbox).
      if (sizeAndFlags & PT_WRITE_INLINE && bus.watchedOnlyBy(PageWatch.PageTable, pa)) {
        this.tlb.fill(Number(this.state[SLOT.priv]), TlbKind.Store, vaddr, page, this.mmu.leafLevel, PT_TLB_TAG);
      }
    }
    if (page < 0 && sizeAndFlags & DEVICE_ACCESS_TRAPS) throw DEVICE_ACCESS_TRAPPED;
    this.mem.storePhysical(pa, size, value, vaddr);
    this.needsMonitor();
  }

  /** LR/SC, AMOs and CAS through the same memory path as the interpreter (src/mmu/atomics.ts). */
  atomic(op: number, vaddr: bigint, src: bigint, compare: bigint): bigint {
    const v = executeAtomic(this.mem, this.state, op, vaddr, src, compare);
    this.needsMonitor();
    return v;
  }
}
