// The monitor's MMU modes: how a TLB miss in compiled code becomes a machine address.
// Both give the guest the same results (translations, faults, A/D bits); only what they
// cost and count differs:
//   shadow  the monitor keeps shadow tables (guest-virtual to machine), filled lazily
//           from guest page-table walks, and write-protects guest page tables so that
//           writes to them are traced (shadow.ts);
//   ept     (nested) no shadow: every miss walks the guest table with each guest-physical
//           reference itself translated by a G-stage table in the Sv39x4 format (nested.ts).
import type { Access } from './sv39.js';

export type MmuMode = 'shadow' | 'ept';
export const MMU_MODES: readonly MmuMode[] = ['shadow', 'ept'];

/** The mode for an option value; 'nested' is another name for 'ept'. */
export function parseMmuMode(text: string): MmuMode | undefined {
  if (text === 'nested') return 'ept';
  return (MMU_MODES as readonly string[]).includes(text) ? (text as MmuMode) : undefined;
}

/** Counters a mode keeps, by name (for --stats), and histograms. */
export interface MmuCounters {
  readonly counts: Record<string, number>;
  readonly histograms: Record<string, number[]>;
}

export interface Mmu {
  readonly mode: MmuMode;
  /**
   * Translates `vaddr` for an access at effective privilege `priv` and returns the
   * guest-physical address (-1 when it cannot exist); guest faults are thrown as
   * TrapSignals. Afterwards `machinePage` is the machine offset of the RAM page it lands
   * in (-1 when it is not RAM: a device), and `leafLevel` the level of the leaf that
   * mapped it (0 for a 4 KiB page or no translation), for TLB fills.
   */
  translate(vaddr: bigint, access: Access, priv: number, satp: bigint, mstatus: bigint): number;
  readonly machinePage: number;
  readonly leafLevel: number;
  /** sfence.vma for one virtual address, or for all (null). */
  fence(vaddr: bigint | null): void;
  counters(): MmuCounters;
}
