// What the instruction semantics (alu.ts, memory.ts, control.ts) need from whoever emits
// them. The semantics live once; two emitters give them their operands:
//   Fragment     (fragment.ts)  a compiled unit: the instruction is known at translation
//                               time, so registers are Wasm locals and immediates constants;
//   InterpEmitter (../fast-interp/interp-emitter.ts)  the fast interpreter: one handler
//                               per operation, with register numbers and immediates read at
//                               run time from the decoded-instruction cache.
//
// Every function emitted this way takes the VM's base address as parameter 0: the hart
// state block is at that address, and every per-VM structure (TLBs, jump cache, counters)
// at a fixed offset from it (src/machine/layout.ts), so one piece of code can serve any
// VM placed anywhere in the one linear memory. The fast interpreter reads the base from
// its parameter. Compiled fragments bake their VM's base in as a constant by default
// (ModuleContext.vmBase): V8 folds a constant into the address of every state access,
// and reading the parameter instead made matmul's hot loop 17% slower.
import { CodeBuilder } from '../wasm/code-builder.js';
import { I32, I64, type ValType } from '../wasm/types.js';

/** The parameter every fragment and the interpreter take: the VM's base address (i32). */
export const VM_PARAM = 0;
/** The parameters of every compiled fragment and interpreter entry: (vm i32) -> exit i32. */
export const CCF_PARAMS: readonly ValType[] = [I32];

/** Functions and layout facts the semantics call on (both emitters have them). */
export interface SemanticsContext {
  /** Imported helpers: load(vaddr i64, size i32) -> i64, store(vaddr i64, value i64, size i32). */
  readonly loadFn: number;
  readonly storeFn: number;
  /** atomic(op i32, vaddr i64, src i64, compare i64) -> i64: LR/SC/AMO/CAS through the monitor's memory path. */
  readonly atomicFn: number;
  /** Module-local functions for the high halves of 64x64 products (a, b) -> i64. */
  readonly mulhuFn: number;
  readonly mulhFn: number;
  readonly mulhsuFn: number;
  /** Entries in each software TLB table, less one (src/mmu/tlb.ts). */
  readonly tlbMask: number;
}

/** Which software TLB table a load or store looks up. */
export enum TlbTable { Load, Store }

export abstract class Emitter {
  readonly c: CodeBuilder;
  /** Scratch locals. */
  readonly t64a: number;
  readonly t64b: number;
  readonly t64c: number;
  readonly t32a: number;
  private t32bLocal = -1;

  constructor(readonly ctx: SemanticsContext, params: readonly ValType[] = CCF_PARAMS) {
    this.c = new CodeBuilder(params);
    this.t64a = this.c.addLocal(I64);
    this.t64b = this.c.addLocal(I64);
    this.t64c = this.c.addLocal(I64);
    this.t32a = this.c.addLocal(I32);
  }

  /** A second i32 scratch local, declared on first use (few functions need it). */
  get t32b(): number {
    if (this.t32bLocal < 0) this.t32bLocal = this.c.addLocal(I32);
    return this.t32bLocal;
  }

  /** Pushes the VM's base address (i32): add a state-block offset to reach a field. */
  vm(): void {
    this.c.localGet(VM_PARAM);
  }

  // ---- the current instruction's operands ----

  /** Pushes x[rs1], x[rs2], x[rd] (i64). */
  abstract rs1(): void;
  abstract rs2(): void;
  abstract rdValue(): void;
  /** Pops an i64 into rd (x0 discards). */
  abstract setRd(): void;
  /** True when rd is known to be x0: a computation need not be made at all. */
  abstract readonly rdIsZero: boolean;
  /** Pushes the immediate, sign-extended to i64 / as i32 (shift amounts). */
  abstract imm64(): void;
  abstract imm32(): void;
  /** The immediate when it is known while emitting (a compiled unit), else null. */
  abstract readonly knownImm: number | null;
  /** Pushes the instruction's own address (i64). */
  abstract pc64(): void;

  // ---- memory ----

  /**
   * Pushes the address (i32, without the table's static offset) of the TLB entry at byte
   * index `index*16` held in t32a, and returns the static offset to load it with.
   */
  abstract tlbEntry(table: TlbTable): number;

  // ---- slow paths and exits ----

  /** Makes the state exact for a helper that may read it or raise a guest exception. */
  abstract beforeHelper(): void;
  /**
   * After a helper: leave if it raised the attention flag. `finish` completes the
   * instruction in the state block first (rd written from a local).
   */
  abstract exitIfAttention(finish?: () => void): void;
  /** Stores local `value` (i64) to rd in the state block, as an exit after the instruction needs. */
  abstract storeRdToState(value: number): void;

  // ---- control ----

  /** Continues at pc + imm (a taken branch, jal). */
  abstract jumpRelative(): void;
  /** Continues at the instruction after this one (a branch not taken). */
  abstract fallThrough(): void;
  /** Continues at the address in t64c (jalr), registers already as the jump leaves them. */
  abstract jumpIndirect(): void;
  /** Pushes the address of the next instruction (i64), for jal/jalr's link. */
  abstract nextPc64(): void;
}
