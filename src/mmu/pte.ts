// Sv39 page-table entries: their bits, the faults a walk raises, and helpers that take an
// entry as two 32-bit words, for the monitor's walkers (shadow fills, nested
// two-dimensional walks), which run on every TLB miss and so avoid BigInt. The reference
// walker (sv39.ts) is the plain BigInt version the interpreter uses; both follow the
// privileged spec's rules, and the differential tests hold them to the same results.
import { CAUSE } from '../isa/csr-numbers.js';
import { raise } from '../machine/trap.js';

export enum Access { Fetch, Load, Store }

export const PTE_V = 1, PTE_R = 2, PTE_W = 4, PTE_X = 8, PTE_U = 16, PTE_G = 32, PTE_A = 64, PTE_D = 128;

const PAGE_FAULT = [CAUSE.FETCH_PAGE_FAULT, CAUSE.LOAD_PAGE_FAULT, CAUSE.STORE_PAGE_FAULT] as const;
const ACCESS_FAULT = [CAUSE.FETCH_ACCESS, CAUSE.LOAD_ACCESS, CAUSE.STORE_ACCESS] as const;

export function accessFaultCause(access: Access): number {
  return ACCESS_FAULT[access];
}

export function pageFault(access: Access, vaddr: bigint): never {
  return raise(PAGE_FAULT[access], vaddr);
}

export function accessFault(access: Access, vaddr: bigint): never {
  return raise(ACCESS_FAULT[access], vaddr);
}

/** A virtual address split for a walk: its 27-bit virtual page number, checked canonical. */
export function virtualPageNumber(vaddr: bigint, access: Access): number {
  const top = vaddr >> 38n;
  if (top !== 0n && top !== 0x3ff_ffffn) pageFault(access, vaddr);
  return Number((vaddr >> 12n) & 0x7ff_ffffn);
}

/** The 9-bit index into the level-`level` table of virtual page number `vpn`. */
export function vpnIndex(vpn: number, level: number): number {
  return (vpn >>> (9 * level)) & 0x1ff;
}

/** True for an entry a walk must stop at with a page fault: not valid, W without R, or reserved bits 63:54 set. */
export function pteInvalid(lo: number, hi: number): boolean {
  return (lo & PTE_V) === 0 || (lo & (PTE_R | PTE_W)) === PTE_W || hi >>> 22 !== 0;
}

export function pteIsLeaf(lo: number): boolean {
  return (lo & (PTE_R | PTE_X)) !== 0;
}

/** The physical page number of an entry (up to 44 bits, exact as a Number). */
export function ptePpn(lo: number, hi: number): number {
  return (hi & 0x3f_ffff) * 0x40_0000 + (lo >>> 10);
}

/** The guest-physical address a PPN names, or -1 beyond 2^53 (which nothing can be at). */
export function ppnAddress(ppn: number): number {
  return ppn < 2 ** 41 ? ppn * 4096 : -1;
}

/**
 * The guest-physical page that virtual page `vpn` maps to through a leaf at `level` with
 * page number `ppn`; a superpage leaf whose PPN is not aligned to its size page-faults.
 */
export function leafPage(ppn: number, level: number, vpn: number, access: Access, vaddr: bigint): number {
  if (level === 0) return ppnAddress(ppn);
  const span = 2 ** (9 * level);
  if (ppn % span !== 0) pageFault(access, vaddr);
  return ppnAddress(ppn + (vpn % span));
}

/** The A and D bits an access needs set in a leaf with `flags`. */
export function accessedDirty(flags: number, access: Access): number {
  return flags | PTE_A | (access === Access.Store ? PTE_D : 0);
}
