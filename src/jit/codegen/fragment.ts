// Emission state for one compiled fragment: the guest registers cached in Wasm locals
// (loaded at first use, written back when dirty at every exit and before every helper
// that can see them), the instruction being emitted (its operands are constants), and
// the ways a fragment leaves.
import type { Insn } from '../../isa/insn.js';
import { SLOT } from '../../machine/hart-state.js';
import { JUMP_CACHE_ENTRIES } from '../../machine/layout.js';
import { JUMP_CACHE_FOLD } from '../jump-cache.js';
import { EXIT, INTERP_FINISH_SLOT, INTERP_SLOT } from '../exits.js';
import { I64 } from '../wasm/types.js';
import { Emitter, TlbTable } from './emitter.js';
import type { ModuleContext } from './module-context.js';

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
  /** Adds the instructions run since the region was entered to its executor count, before it leaves. */
  leaving(): void;
}

/** Where an instruction sits in its unit: for exact state on a slow path. */
export interface Position { pc: bigint; nextPc: bigint; index: number; count: number }

export class Fragment extends Emitter {
  /** Set while emitting a region. */
  region: RegionLinks | null = null;
  /** The unit being emitted: where its direct jumps come from (ModuleContext.slotFor). */
  unit: { readonly pc: bigint; readonly paddr: number } = { pc: 0n, paddr: 0 };
  private readonly regLocal = new Int32Array(32).fill(-1);
  private readonly loaded = new Uint8Array(32);
  private readonly dirty = new Uint8Array(32);
  /** The instruction being emitted, and where it sits. */
  private insn!: Insn;
  private at!: Position;

  constructor(override readonly ctx: ModuleContext) {
    super(ctx);
  }

  /** The VM base: baked in as a constant, or (shared code) parameter 0. */
  override vm(): void {
    if (this.ctx.vmBase === null) super.vm();
    else this.c.i32Const(this.ctx.vmBase);
  }

  /** Makes `insn` at `at` the instruction the operand methods refer to. */
  bind(insn: Insn, at: Position): void {
    this.insn = insn;
    this.at = at;
  }

  get position(): Position {
    return this.at;
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
      this.vm();
      this.c.i64Load(r * 8).localSet(l);
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

  // ---- Emitter: operands are the bound instruction's fields ----

  rs1(): void { this.get(this.insn.rs1); }
  rs2(): void { this.get(this.insn.rs2); }
  rdValue(): void { this.get(this.insn.rd); }
  setRd(): void { this.set(this.insn.rd); }
  get rdIsZero(): boolean { return this.insn.rd === 0; }
  imm64(): void { this.c.i64Const(BigInt(this.insn.imm)); }
  imm32(): void { this.c.i32Const(this.insn.imm); }
  get knownImm(): number { return this.insn.imm; }
  pc64(): void { this.c.i64Const(BigInt.asIntN(64, this.at.pc)); }
  nextPc64(): void { this.c.i64Const(BigInt.asIntN(64, this.at.nextPc)); }

  tlbEntry(table: TlbTable): number {
    this.c.localGet(this.t32a);
    this.vm();
    this.c.i32Add();
    return table === TlbTable.Load ? this.ctx.tlbLoadBase : this.ctx.tlbStoreBase;
  }

  beforeHelper(): void {
    const at = this.at;
    this.writeBack();
    this.storePc(at.pc);
    this.vm();
    this.c.i32Const(at.count - at.index - 1).i32Store(REFUND_OFFSET);
  }

  exitIfAttention(finish?: () => void): void {
    this.vm();
    this.c.i32Load(ATTENTION_OFFSET).if_();
    finish?.();
    this.storePc(this.at.nextPc);
    this.leaving();
    this.c.i32Const(EXIT.ATTENTION).return_();
    this.c.end();
  }

  storeRdToState(value: number): void {
    if (this.insn.rd === 0) return;
    this.vm();
    this.c.localGet(value).i64Store(this.insn.rd * 8);
  }

  jumpRelative(): void { this.chain(BigInt.asUintN(64, this.at.pc + BigInt(this.insn.imm))); }
  fallThrough(): void { this.chain(this.at.nextPc); }
  jumpIndirect(): void {
    this.writeBack();
    this.jumpThroughCache();
  }

  // ---- the fragment's own exits and bookkeeping ----

  /** Reloads guest register r from the state block, where the monitor may have written it. */
  reload(r: number): void {
    if (r === 0) return;
    this.vm();
    this.c.i64Load(r * 8).localSet(this.local(r));
    this.loaded[r] = 1;
  }

  /** Stores every dirty register (except `skip`) back to the state block. */
  writeBack(skip = -1): void {
    for (let r = 1; r < 32; r++) {
      if (this.dirty[r] && r !== skip) {
        this.vm();
        this.c.localGet(this.regLocal[r]).i64Store(r * 8);
      }
    }
  }

  storePc(pc: bigint): void {
    this.vm();
    this.c.i64Const(BigInt.asIntN(64, pc)).i64Store(PC_OFFSET);
  }

  /** A region adds its instructions to its executor count before any exit. */
  leaving(): void {
    this.region?.leaving();
  }

  /** Leaves to the monitor with `code`; state.pc = pc. */
  exit(code: number, pc: bigint): void {
    this.writeBack();
    this.storePc(pc);
    this.leaving();
    this.c.i32Const(code).return_();
  }

  /**
   * Leaves with `code` after an instruction completed inline: state.pc = nextPc, and the
   * `refund` instructions after it in the unit, charged but not run, are given back.
   */
  exitAfter(code: number, nextPc: bigint, refund: number): void {
    this.writeBack();
    this.storePc(nextPc);
    this.vm();
    this.c.i32Const(refund).i32Store(REFUND_OFFSET);
    this.leaving();
    this.c.i32Const(code).return_();
  }

  /** Continues in the fast interpreter at `pc` (registers written back, nothing else pending). */
  tailToInterpreter(): void {
    this.leaving();
    this.vm();
    this.c.i32Const(INTERP_SLOT).returnCallIndirect(this.ctx.ccfType);
  }

  /**
   * Loads `regs` up front and treats them as dirty from the start: in a region, control
   * reaches a unit from several places, so first use is no longer a single program point.
   */
  preload(regs: Iterable<number>, written: Iterable<number>): void {
    for (const r of regs) {
      if (r === 0 || this.loaded[r]) continue;
      this.vm();
      this.c.i64Load(r * 8).localSet(this.local(r));
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
        this.vm();
        this.vm();
        this.c.i32Load(counter).i32Const(1).i32Add().i32Store(counter);
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
    this.leaving();
    this.vm();
    this.c.i32Const(slot).returnCallIndirect(this.ctx.ccfType);
  }

  /**
   * Jumps to the address in t64c (registers already written back) through the jump cache
   * (src/jit/jump-cache.ts): the entry's tag and context must match; on a miss the fast
   * interpreter runs the target (state.pc).
   */
  jumpThroughCache(): void {
    const c = this.c;
    const base = this.ctx.jumpCacheBase;
    this.vm();
    c.localGet(this.t64c).i64Store(PC_OFFSET);
    emitJumpCacheIndex(this, this.t64c);
    c.localTee(this.t32a).i64Load(base).localGet(this.t64c).i64Eq()
      .localGet(this.t32a).i32Load(base + 8);
    this.vm();
    c.i32Load(CONTEXT_OFFSET).i32Eq().i32And()
      .if_();
    this.countChained();
    this.leaving();
    this.vm();
    c.localGet(this.t32a).i32Load(base + 12).returnCallIndirect(this.ctx.ccfType);
    c.end();
    this.tailToInterpreter();
  }

  /** With counting on: one more exit from a fragment that went straight to another. */
  countChained(): void {
    if (!this.ctx.countChains) return;
    this.vm();
    this.vm();
    this.c.i64Load(CHAINED_OFFSET).i64Const(1n).i64Add().i64Store(CHAINED_OFFSET);
  }

  /**
   * Charges the unit's instruction count; when the budget cannot cover it, the fast
   * interpreter runs what is left of the slice, instruction by instruction, from here.
   */
  chargeBudget(count: number, pc: bigint): void {
    const c = this.c;
    this.vm();
    c.i32Load(BUDGET_OFFSET).localTee(this.t32a).i32Const(count).i32LtS().if_();
    // In a region, earlier units may have left registers dirty.
    this.writeBack();
    this.storePc(pc);
    this.leaving();
    this.vm();
    c.i32Const(INTERP_FINISH_SLOT).returnCallIndirect(this.ctx.ccfType);
    c.end();
    this.vm();
    c.localGet(this.t32a).i32Const(count).i32Sub().i32Store(BUDGET_OFFSET);
  }
}

/**
 * Pushes the address (i32, without the jump cache's own offset) of the entry for the
 * target address in local `target` (i64): the VM base plus jumpCacheIndex(t) * 16, as
 * src/jit/jump-cache.ts computes it.
 */
export function emitJumpCacheIndex(e: Emitter, target: number): void {
  const c = e.c;
  c.localGet(target).i32WrapI64().localTee(e.t32a).i32Const(1).i32ShrU()
    .localGet(e.t32a).i32Const(JUMP_CACHE_FOLD).i32ShrU().i32Xor()
    .i32Const(JUMP_CACHE_ENTRIES - 1).i32And().i32Const(4).i32Shl();
  e.vm();
  c.i32Add();
}
