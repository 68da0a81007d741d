// Sv39 address translation (privileged spec 20211203, section 4.4), as the reference
// walker: every access walks the guest page table through the physical bus. It sets the
// A and D bits itself (the spec allows this instead of faulting), and checks R/W/X/U,
// SUM, MXR, superpage alignment and the canonical form of the virtual address.
import { MSTATUS, PRIV } from '../isa/csr-numbers.js';
import type { Bus } from '../machine/bus.js';
import { Access, accessFault, accessFaultCause, pageFault, PTE_A, PTE_D, PTE_R, PTE_U, PTE_V, PTE_W, PTE_X } from './pte.js';

export { Access, accessFaultCause };

const PPN_MASK = (1n << 44n) - 1n;
const SATP_MODE_SV39 = 8n;
/** Compared as a BigInt: mixed BigInt/Number comparisons are slow in V8. */
const MAX_SAFE = 1n << 53n;

/** A guest-physical address as a bus address; anything unrepresentable maps nowhere. */
export function physical(addr: bigint): number {
  return addr < MAX_SAFE ? Number(addr) : -1;
}

/** True when accesses at privilege `priv` under this satp are translated. */
export function isTranslated(satp: bigint, priv: number): boolean {
  return priv !== PRIV.M && satp >> 60n === SATP_MODE_SV39;
}

/**
 * Translates a virtual address for an access at effective privilege `priv`. Returns the
 * guest-physical address as a bus address (-1 when it cannot exist). Throws a
 * TrapSignal page fault or access fault with tval = vaddr.
 */
export function translate(bus: Bus, vaddr: bigint, access: Access, priv: number, satp: bigint, mstatus: bigint): number {
  if (!isTranslated(satp, priv)) return physical(vaddr);
  const top = vaddr >> 38n;
  if (top !== 0n && top !== 0x3ff_ffffn) pageFault(access, vaddr);

  let table = (satp & PPN_MASK) << 12n;
  for (let level = 2; level >= 0; level--) {
    const vpn = (vaddr >> BigInt(12 + 9 * level)) & 0x1ffn;
    const pteAddr = physical(table + vpn * 8n);
    const pte = bus.read(pteAddr, 8);
    if (pte === undefined) accessFault(access, vaddr);
    const flags = Number(pte & 0x3ffn);
    // Bits 63:54 are reserved (no Svnapot/Svpbmt) and must be zero.
    if (!(flags & PTE_V) || (!(flags & PTE_R) && (flags & PTE_W)) || pte >> 54n !== 0n) pageFault(access, vaddr);
    const ppn = (pte >> 10n) & PPN_MASK;
    if (!(flags & (PTE_R | PTE_X))) {
      table = ppn << 12n;
      continue;
    }
    checkPermissions(flags, access, priv, mstatus, vaddr);
    const lowBits = BigInt(9 * level);
    if (level > 0 && (ppn & ((1n << lowBits) - 1n)) !== 0n) pageFault(access, vaddr); // misaligned superpage
    const wanted = flags | PTE_A | (access === Access.Store ? PTE_D : 0);
    if (wanted !== flags) {
      if (!bus.write(pteAddr, 8, (pte & ~0x3ffn) | BigInt(wanted))) accessFault(access, vaddr);
    }
    const offsetBits = 12n + lowBits;
    const base = (ppn >> lowBits) << offsetBits;
    return physical(base | (vaddr & ((1n << offsetBits) - 1n)));
  }
  return pageFault(access, vaddr);
}

/** Page-faults unless a leaf with `flags` allows this access at `priv` (U, SUM, MXR). */
export function checkPermissions(flags: number, access: Access, priv: number, mstatus: bigint, vaddr: bigint): void {
  if (priv === PRIV.U) {
    if (!(flags & PTE_U)) pageFault(access, vaddr);
  } else if (flags & PTE_U) {
    // S-mode may never execute user pages, and may load/store them only with SUM.
    if (access === Access.Fetch || !(mstatus & MSTATUS.SUM)) pageFault(access, vaddr);
  }
  let ok: boolean;
  if (access === Access.Fetch) ok = (flags & PTE_X) !== 0;
  else if (access === Access.Load) ok = (flags & PTE_R) !== 0 || ((mstatus & MSTATUS.MXR) !== 0n && (flags & PTE_X) !== 0);
  else ok = (flags & PTE_W) !== 0;
  if (!ok) pageFault(access, vaddr);
}
