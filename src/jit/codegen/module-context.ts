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
  readonly jumpCacheMask: number;
  /** Count chained exits in the state block (for --stats). */
  readonly countChains: boolean;
  /** The table slot of the fragment for a guest address in the current code context. */
  slotFor(pc: bigint): number;
}
