import type { Insn } from '../../isa/insn.js';
import type { SemanticsContext } from './emitter.js';

// What the code generator needs to know about the module it emits into and the machine
// it emits for.
export interface ModuleContext extends SemanticsContext {
  /** Type index of every compiled fragment: (vm i32) -> i32 (an exit code). */
  readonly ccfType: number;
  /**
   * The base address of the VM the code is compiled for, baked into every state access;
   * null: the code reads it from its parameter and serves a VM at any base (shared code).
   */
  readonly vmBase: number | null;
  /** Software TLB layout (src/mmu/tlb.ts): the tables of the context's privilege level, as offsets from the VM base. */
  readonly tlbLoadBase: number;
  readonly tlbStoreBase: number;
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
