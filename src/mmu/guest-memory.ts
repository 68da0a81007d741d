// The reference path to guest memory: alignment check, Sv39 translation at the
// effective privilege (MPRV), then the physical bus. Faults become TrapSignals.
import { CAUSE, MSTATUS, PRIV } from '../isa/csr-numbers.js';
import { readRam, writeRam, type AccessSize, type Bus } from '../machine/bus.js';
import { SLOT } from '../machine/hart-state.js';
import { raise } from '../machine/trap.js';
import { Access, accessFaultCause, translate as referenceTranslate } from './sv39.js';

/**
 * What a misaligned load or store does. 'allow': it completes, byte by byte, as on hardware
 * with Zicclsm (each page translated on its own; only RAM, a device access faults).
 * 'trap': it raises address-misaligned, for firmware that emulates such accesses itself.
 * AMOs, LR and SC always raise address-misaligned.
 */
export type MisalignedPolicy = 'allow' | 'trap';

/** Translates a virtual address for an access (sv39.ts's translate, or an MMU mode's). */
export type Translator = (vaddr: bigint, access: Access, priv: number, satp: bigint, mstatus: bigint) => number;

export class GuestMemory {
  constructor(
    private readonly bus: Bus,
    private readonly s: BigUint64Array,
    /** Called before a device access, so devices see up-to-date counters. */
    private readonly beforeDeviceAccess: () => void,
    private readonly misaligned: MisalignedPolicy,
    /** The reference walker unless an MMU mode (src/mmu/mmu.ts) translates. */
    private readonly translate: Translator = (vaddr, access, priv, satp, mstatus) =>
      referenceTranslate(bus, vaddr, access, priv, satp, mstatus),
  ) {}

  /** The privilege loads and stores use: MPP when M-mode sets MPRV. */
  dataPrivilege(): number {
    const priv = Number(this.s[SLOT.priv]);
    if (priv === PRIV.M && (this.s[SLOT.mstatus] & MSTATUS.MPRV)) return Number((this.s[SLOT.mstatus] & MSTATUS.MPP) >> 11n);
    return priv;
  }

  translateData(vaddr: bigint, access: Access.Load | Access.Store): number {
    return this.translate(vaddr, access, this.dataPrivilege(), this.s[SLOT.satp], this.s[SLOT.mstatus]);
  }

  /** Zero-extended load. */
  load(vaddr: bigint, size: AccessSize): bigint {
    if (size > 1 && (vaddr & BigInt(size - 1)) !== 0n) return this.loadMisaligned(vaddr, size);
    return this.loadPhysical(this.translateData(vaddr, Access.Load), size, vaddr, Access.Load);
  }

  store(vaddr: bigint, size: AccessSize, value: bigint): void {
    if (size > 1 && (vaddr & BigInt(size - 1)) !== 0n) return this.storeMisaligned(vaddr, size, value);
    this.storePhysical(this.translateData(vaddr, Access.Store), size, value, vaddr);
  }

  /**
   * The physical address of each byte of a misaligned access. Translating byte by byte
   * makes a fault report the first byte of the page that faulted, as the spec asks for
   * accesses that straddle pages; every byte is checked before anything is written.
   */
  private misalignedBytes(vaddr: bigint, size: number, access: Access.Load | Access.Store): number[] {
    const paddrs: number[] = [];
    for (let i = 0; i < size; i++) {
      const pa = this.translateData(BigInt.asUintN(64, vaddr + BigInt(i)), access);
      // Devices are not expected to handle split accesses: report an access fault.
      if (this.bus.ramOffset(pa, 1) < 0) raise(accessFaultCause(access), vaddr);
      paddrs.push(pa);
    }
    return paddrs;
  }

  private loadMisaligned(vaddr: bigint, size: AccessSize): bigint {
    if (this.misaligned === 'trap') raise(CAUSE.MISALIGNED_LOAD, vaddr);
    const paddrs = this.misalignedBytes(vaddr, size, Access.Load);
    let v = 0n;
    for (let i = size - 1; i >= 0; i--) v = (v << 8n) | this.loadPhysical(paddrs[i], 1, vaddr, Access.Load);
    return v;
  }

  private storeMisaligned(vaddr: bigint, size: AccessSize, value: bigint): void {
    if (this.misaligned === 'trap') raise(CAUSE.MISALIGNED_STORE, vaddr);
    const paddrs = this.misalignedBytes(vaddr, size, Access.Store);
    for (let i = 0; i < size; i++) this.storePhysical(paddrs[i], 1, value >> BigInt(8 * i), vaddr);
  }

  loadPhysical(paddr: number, size: AccessSize, vaddr: bigint, access: Access): bigint {
    const off = this.bus.ramOffset(paddr, size);
    if (off >= 0) return readRam(this.bus.view, off, size);
    this.beforeDeviceAccess();
    const v = this.bus.read(paddr, size);
    if (v === undefined) raise(accessFaultCause(access), vaddr);
    return v;
  }

  storePhysical(paddr: number, size: AccessSize, value: bigint, vaddr: bigint): void {
    const off = this.bus.ramOffset(paddr, size);
    if (off >= 0 && !this.bus.watched(paddr, size)) {
      writeRam(this.bus.view, off, size, value);
      return;
    }
    this.beforeDeviceAccess();
    if (!this.bus.write(paddr, size, value)) raise(CAUSE.STORE_ACCESS, vaddr);
  }

  /**
   * Fetches the instruction at pc: 16 bits, or 32 when the low bits say so. A 32-bit
   * instruction may straddle a page boundary; each half is translated on its own, and a
   * fault on the second half reports pc + 2.
   */
  fetch(pc: bigint): number {
    const priv = Number(this.s[SLOT.priv]);
    const satp = this.s[SLOT.satp];
    const mstatus = this.s[SLOT.mstatus];
    const pa = this.translate(pc, Access.Fetch, priv, satp, mstatus);
    const off = this.bus.ramOffset(pa, 2);
    if (off < 0) raise(CAUSE.FETCH_ACCESS, pc);
    const lo = this.bus.view.getUint16(off, true);
    if ((lo & 3) !== 3) return lo;
    let hiOff: number;
    if ((pc & 0xfffn) !== 0xffen) {
      hiOff = this.bus.ramOffset(pa + 2, 2);
    } else {
      const pa2 = this.translate(pc + 2n, Access.Fetch, priv, satp, mstatus);
      hiOff = this.bus.ramOffset(pa2, 2);
    }
    if (hiOff < 0) raise(CAUSE.FETCH_ACCESS, pc + 2n);
    return (lo | (this.bus.view.getUint16(hiOff, true) << 16)) >>> 0;
  }
}
