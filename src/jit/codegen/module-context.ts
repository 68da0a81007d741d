import type { Insn } from '../../isa/insn.js';

// What the code generator needs to know about the module it emits into and the machine
// it emits for.
export interface ModuleContext {
  /** Type index of every compiled fragment: () -> i32 (an exit code). */
  readonly ccfType: number;
  /** Imported helpers: load(vaddr i64, size i32) -> i64, store(vaddr i64, value i64, size i32). */
  readonly loadFn: number;
  readonly storeFn: number;
  /** atomic(op i32, vaddr i64, src i64, compare i64) -> i64: LR/SC/AMO/CAS through the monitor's memory path. */
  readonly atomicFn: number;
  /** Module-local functions for the high halves of 64x64 products (a, b) -> i64. */
  readonly mulhuFn: number;
  readonly mulhFn: number;
  readonly mulhsuFn: number;
  /** Software TLB layout (src/mmu/tlb.ts). */
  readonly tlbLoadBase: number;
  readonly tlbStoreBase: number;
  readonly tlbMask: number;
  /** Jump cache layout (src/jit/jump-cache.ts). */
  readonly jumpCacheBase: number;
  /** Count chained exits in the state block (for --stats). */
  readonly countChains: boolean;
  /** Imported monitor entry for sensitive instructions compiled as callouts: callout(site i32) -> i32 (non-zero: leave). */
  readonly calloutFn: number;
  /** The privilege level of the code context (fixed per context, so per fragment). */
  readonly priv: number;
  /** mtime comes from the host clock: the time CSR cannot be computed inline. */
  readonly realtime: boolean;
  /** Count in-TC emulations by class in the state block (for --stats). */
  readonly countIntc: boolean;
  /** Registers a callout site (the pre-decoded instruction and where it sits) and returns its id. */
  siteFor(insn: Insn, pc: bigint, nextPc: bigint): number;
  /**
   * The table slot of the fragment for a guest address the module's code jumps to
   * directly, or null when the jump must go through the jump cache (another page, under
   * paging: the mapping may differ from one address space to the next).
   */
  slotFor(target: bigint, from: { readonly pc: bigint; readonly paddr: number }): number | null;
}
