// The slow paths of compiled loads, stores and atomics: what the inline TLB lookup
// (codegen/memory.ts) cannot do. A TLB refill for RAM, devices, pages holding code,
// misaligned accesses, and faults (raised as TrapSignal after the fragment made its
// state exact).
import { readRam, writeRam, type AccessSize, type Bus } from '../machine/bus.js';
import { executeAtomic } from '../mmu/atomics.js';
import type { GuestMemory } from '../mmu/guest-memory.js';
import { Access } from '../mmu/sv39.js';
import { TlbKind, type Tlb } from '../mmu/tlb.js';
import { DEVICE_ACCESS_TRAPS } from './exits.js';

/** Thrown when a load or store reaches a device while devices are lowered as traps: leave to the monitor. */
export const DEVICE_ACCESS_TRAPPED = Symbol('device access left to the monitor');

export class SlowPath {
  /** `needsMonitor` raises the attention flag if a device or code write changed what the monitor watches. */
  constructor(private readonly bus: Bus, private readonly mem: GuestMemory, private readonly state: BigUint64Array,
    private readonly tlb: Tlb, private readonly needsMonitor: () => void) {}

  /** Slow-path load: TLB refill for RAM, devices, misaligned accesses and faults. */
  load(vaddr: bigint, sizeAndFlags: number): bigint {
    const size = (sizeAndFlags & 0xff) as AccessSize;
    if ((vaddr & BigInt(size - 1)) !== 0n) return this.mem.load(vaddr, size);
    const pa = this.mem.translateData(vaddr, Access.Load);
    const bus = this.bus;
    const off = bus.ramOffset(pa, size);
    if (off >= 0) {
      this.tlb.fill(TlbKind.Load, vaddr, pa);
      return readRam(bus.view, off, size);
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
    const pa = this.mem.translateData(vaddr, Access.Store);
    const bus = this.bus;
    const off = bus.ramOffset(pa, size);
    if (off >= 0 && !bus.pageNeedsSlowStores(pa)) {
      this.tlb.fill(TlbKind.Store, vaddr, pa);
      writeRam(bus.view, off, size, value);
      return;
    }
    if (off < 0 && sizeAndFlags & DEVICE_ACCESS_TRAPS) throw DEVICE_ACCESS_TRAPPED;
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
