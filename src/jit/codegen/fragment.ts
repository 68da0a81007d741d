// Emission state for one compiled fragment: the guest registers cached in Wasm locals
// (loaded at first use, written back when dirty at every exit and before every helper
// that can see them), and the ways a fragment leaves.
import { SLOT } from '../../machine/hart-state.js';
import { JUMP_CACHE_ENTRIES } from '../../machine/layout.js';
import { PAGE_BLOCK_BITS } from '../jump-cache.js';
import { EXIT } from '../exits.js';
import { CodeBuilder } from '../wasm/code-builder.js';
import { I32, I64 } from '../wasm/types.js';
import type { ModuleContext } from './module-context.js';

export const STATE = 0; // base address of the hart state block
export const PC_OFFSET = SLOT.pc * 8;
export const BUDGET_OFFSET = SLOT.budget * 8;
export const REFUND_OFFSET = SLOT.refund * 8;
export const ATTENTION_OFFSET = SLOT.attention * 8;
export const CONTEXT_OFFSET = SLOT.context * 8;
export const CHAINED_OFFSET = SLOT.chainedExits * 8;

/**
 * A tier-2 region: several units in one function, dispatched by a loop around a br_table,
 * so jumps between them stay inside Wasm and guest registers stay in locals.
 */
export interface RegionLinks {
  /** The region's index of the unit at `pc`, if it is in the region. */
  indexOf(pc: bigint): number | undefined;
  /** The local holding the index of the unit to run next. */
  readonly nextLocal: number;
  /** CodeBuilder.openBlocks just inside the dispatch loop. */
  readonly loopLevel: number;
  /** Address of the i32 counting jumps back to the head (loop iterations), if counted. */
  readonly iterationsAddress?: number;
}

export class Fragment {
  /** Set while emitting a region. */
  region: RegionLinks | null = null;
  /** The unit being emitted: where its direct jumps come from (ModuleContext.slotFor). */
  unit: { readonly pc: bigint; readonly paddr: number } = { pc: 0n, paddr: 0 };
  readonly c = new CodeBuilder([]);
  private readonly regLocal = new Int32Array(32).fill(-1);
  private readonly loaded = new Uint8Array(32);
  private readonly dirty = new Uint8Array(32);
  /** Scratch locals. */
  readonly t64a: number;
  readonly t64b: number;
  readonly t64c: number;
  readonly t32a: number;

  private t32bLocal = -1;

  /** A second i32 scratch local, declared on first use (few fragments need it). */
  get t32b(): number {
    if (this.t32bLocal < 0) this.t32bLocal = this.c.addLocal(I32);
    return this.t32bLocal;
  }

  constructor(readonly ctx: ModuleContext) {
    this.t64a = this.c.addLocal(I64);
    this.t64b = this.c.addLocal(I64);
    this.t64c = this.c.addLocal(I64);
    this.t32a = this.c.addLocal(I32);
  }

  private local(r: number): number {
    let l = this.regLocal[r];
    if (l < 0) {
      l = this.c.addLocal(I64);
      this.regLocal[r] = l;
    }
    return l;
  }

  /** Pushes guest register r (i64). Must be called at the fragment's top level. */
  get(r: number): void {
    if (r === 0) { this.c.i64Const(0n); return; }
    const l = this.local(r);
    if (!this.loaded[r]) {
      this.c.i32Const(STATE).i64Load(r * 8).localSet(l);
      this.loaded[r] = 1;
    }
    this.c.localGet(l);
  }

  /** Pops an i64 into guest register r (x0 discards). */
  set(r: number): void {
    if (r === 0) { this.c.drop(); return; }
    this.c.localSet(this.local(r));
    this.loaded[r] = 1;
    this.dirty[r] = 1;
  }

  /** Reloads guest register r from the state block, where the monitor may have written it. */
  reload(r: number): void {
    if (r === 0) return;
    this.c.i32Const(STATE).i64Load(r * 8).localSet(this.local(r));
    this.loaded[r] = 1;
  }

  /** Stores every dirty register (except `skip`) back to the state block. */
  writeBack(skip = -1): void {
    for (let r = 1; r < 32; r++) {
      if (this.dirty[r] && r !== skip) this.c.i32Const(STATE).localGet(this.regLocal[r]).i64Store(r * 8);
    }
  }

  storePc(pc: bigint): void {
    this.c.i32Const(STATE).i64Const(BigInt.asIntN(64, pc)).i64Store(PC_OFFSET);
  }

  /** Leaves to the monitor with `code`; state.pc = pc. */
  exit(code: number, pc: bigint): void {
    this.writeBack();
    this.storePc(pc);
    this.c.i32Const(code).return_();
  }

  /**
   * Leaves with `code` after an instruction completed inline: state.pc = nextPc, and the
   * `refund` instructions after it in the unit, charged but not run, are given back.
   */
  exitAfter(code: number, nextPc: bigint, refund: number): void {
    this.writeBack();
    this.storePc(nextPc);
    this.c.i32Const(STATE).i32Const(refund).i32Store(REFUND_OFFSET);
    this.c.i32Const(code).return_();
  }

  /**
   * Loads `regs` up front and treats them as dirty from the start: in a region, control
   * reaches a unit from several places, so first use is no longer a single program point.
   */
  preload(regs: Iterable<number>, written: Iterable<number>): void {
    for (const r of regs) {
      if (r === 0 || this.loaded[r]) continue;
      this.c.i32Const(STATE).i64Load(r * 8).localSet(this.local(r));
      this.loaded[r] = 1;
    }
    for (const r of written) if (r !== 0) this.dirty[r] = 1;
  }

  /** Continues at a known address: inside the region by a branch, else through its table slot (chaining). */
  chain(pc: bigint): void {
    const inRegion = this.region?.indexOf(pc);
    if (this.region && inRegion !== undefined) {
      const counter = this.region.iterationsAddress;
      if (inRegion === 0 && counter !== undefined) {
        this.c.i32Const(STATE).i32Const(STATE).i32Load(counter).i32Const(1).i32Add().i32Store(counter);
      }
      this.c.i32Const(inRegion).localSet(this.region.nextLocal).br(this.c.openBlocks - this.region.loopLevel);
      return;
    }
    const slot = this.ctx.slotFor(pc, this.unit);
    this.writeBack();
    if (slot === null) {
      // Under paging, a jump to another page may reach different code in another address space.
      this.c.i64Const(BigInt.asIntN(64, pc)).localSet(this.t64c);
      this.jumpThroughCache();
      return;
    }
    this.storePc(pc);
    this.countChained();
    this.c.i32Const(slot).returnCallIndirect(this.ctx.ccfType);
  }

  /**
   * Jumps to the address in t64c (registers already written back) through the jump cache
   * (src/jit/jump-cache.ts): the entry's tag and context must match; a miss leaves to
   * the monitor with state.pc = the target.
   */
  jumpThroughCache(): void {
    const c = this.c;
    const base = this.ctx.jumpCacheBase;
    c.i32Const(STATE).localGet(this.t64c).i64Store(PC_OFFSET);
    // entry = (((target >>> 6) & 0xfc0) | ((target >>> 1) & 63)) * 16
    const blockMask = JUMP_CACHE_ENTRIES - (1 << PAGE_BLOCK_BITS);
    c.localGet(this.t64c).i32WrapI64().localTee(this.t32a).i32Const(12 - PAGE_BLOCK_BITS).i32ShrU().i32Const(blockMask).i32And()
      .localGet(this.t32a).i32Const(1).i32ShrU().i32Const((1 << PAGE_BLOCK_BITS) - 1).i32And().i32Or()
      .i32Const(4).i32Shl()
      .localTee(this.t32a).i64Load(base).localGet(this.t64c).i64Eq()
      .localGet(this.t32a).i32Load(base + 8).i32Const(STATE).i32Load(CONTEXT_OFFSET).i32Eq().i32And()
      .if_();
    this.countChained();
    c.localGet(this.t32a).i32Load(base + 12).returnCallIndirect(this.ctx.ccfType);
    c.end();
    c.i32Const(EXIT.JUMP_CACHE_MISS).return_();
  }

  /** With counting on: one more exit from a fragment that went straight to another. */
  countChained(): void {
    if (!this.ctx.countChains) return;
    this.c.i32Const(STATE).i32Const(STATE).i64Load(CHAINED_OFFSET).i64Const(1n).i64Add().i64Store(CHAINED_OFFSET);
  }

  /**
   * Prepares a slow-path helper call for instruction `index` of `count`: registers and pc
   * exact in memory, and the refund the monitor applies if the helper throws or asks for
   * an exit (the instructions after this one were charged but will not run).
   */
  beforeHelper(pc: bigint, index: number, count: number): void {
    this.writeBack();
    this.storePc(pc);
    this.c.i32Const(STATE).i32Const(count - index - 1).i32Store(REFUND_OFFSET);
  }

  /** After a helper: leave if it raised the attention flag (`finish` completes the instruction first). */
  exitIfAttention(nextPc: bigint, finish?: () => void): void {
    this.c.i32Const(STATE).i32Load(ATTENTION_OFFSET).if_();
    finish?.();
    this.storePc(nextPc);
    this.c.i32Const(EXIT.ATTENTION).return_();
    this.c.end();
  }

  /** Charges the unit's instruction count, or leaves if the budget cannot cover it. */
  chargeBudget(count: number, pc: bigint): void {
    const c = this.c;
    c.i32Const(STATE).i32Load(BUDGET_OFFSET).localTee(this.t32a).i32Const(count).i32LtS().if_();
    this.exit(EXIT.BUDGET, pc); // in a region, earlier units may have left registers dirty
    c.end();
    c.i32Const(STATE).localGet(this.t32a).i32Const(count).i32Sub().i32Store(BUDGET_OFFSET);
  }
}
