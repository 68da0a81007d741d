// The fast interpreter's side of the shared instruction semantics (codegen/emitter.ts):
// operands are read at run time from the decoded-instruction cache entry of the
// instruction being executed, registers live in the state block (no caching across
// instructions), and control transfers move the interpreter's pc.
import { SLOT } from '../../machine/hart-state.js';
import { Emitter, TlbTable, type SemanticsContext } from '../codegen/emitter.js';
import { SPAN, spanAdd } from '../codegen/spans.js';
import { I32, I64 } from '../wasm/types.js';
import { DECODED } from './decode-cache.js';
import { EXIT } from '../exits.js';

const PC = SLOT.pc * 8;
const BUDGET = SLOT.budget * 8;
const REFUND = SLOT.refund * 8;
const ATTENTION = SLOT.attention * 8;

/** The interpreter's parameters: (vm i32, count the entry towards compiling i32). */
export const INTERP_LOOP_PARAMS = [I32, I32] as const;

export class InterpEmitter extends Emitter {
  /** The guest pc of the instruction being executed, and its length in bytes (i64). */
  readonly pc: number;
  readonly len: number;
  /** Instructions this slice may still run (i32). */
  readonly budget: number;
  /** The decode-cache entry of the current instruction (i32 address), and its bits. */
  readonly entry: number;
  readonly raw: number;
  /** The virtual page whose fetch translation the loop holds (-1: none). */
  readonly fetchPage: number;
  /** A result on its way to rd. */
  private readonly value: number;
  /** The current privilege level's TLB tables (absolute addresses of their entry 0). */
  readonly tlbFetch: number;
  readonly tlbLoad: number;
  readonly tlbStore: number;
  /** Where handlers branch: after a control transfer (pc set), and to the next instruction (pc += len). */
  jumpedLevel = -1;
  nextLevel = -1;

  constructor(ctx: SemanticsContext) {
    super(ctx, INTERP_LOOP_PARAMS);
    const c = this.c;
    this.pc = c.addLocal(I64);
    this.len = c.addLocal(I64);
    this.value = c.addLocal(I64);
    this.fetchPage = c.addLocal(I64);
    this.budget = c.addLocal(I32);
    this.entry = c.addLocal(I32);
    this.raw = c.addLocal(I32);
    this.tlbFetch = c.addLocal(I32);
    this.tlbLoad = c.addLocal(I32);
    this.tlbStore = c.addLocal(I32);
  }

  private register(field: number): void {
    this.vm();
    this.c.localGet(this.entry).i32Load8U(field).i32Add().i64Load(0);
  }

  rs1(): void { this.register(DECODED.rs1); }
  rs2(): void { this.register(DECODED.rs2); }
  rdValue(): void { this.register(DECODED.rdRead); }

  setRd(): void {
    const c = this.c;
    c.localSet(this.value);
    this.storeRdToState(this.value);
  }

  readonly rdIsZero = false;
  readonly knownImm = null;
  imm64(): void { this.c.localGet(this.entry).i64Load32S(DECODED.imm); }
  imm32(): void { this.c.localGet(this.entry).i32Load(DECODED.imm); }
  pc64(): void { this.c.localGet(this.pc); }
  nextPc64(): void { this.c.localGet(this.pc).localGet(this.len).i64Add(); }

  tlbEntry(table: TlbTable): number {
    this.c.localGet(this.t32a).localGet(table === TlbTable.Load ? this.tlbLoad : this.tlbStore).i32Add();
    return 0;
  }

  /** Stores pc and budget, and a zero refund (the interpreter charges one instruction at a time). */
  beforeHelper(): void {
    const c = this.c;
    this.vm();
    c.localGet(this.pc).i64Store(PC);
    this.vm();
    c.localGet(this.budget).i32Store(BUDGET);
    this.vm();
    c.i32Const(0).i32Store(REFUND);
  }

  exitIfAttention(finish?: () => void): void {
    const c = this.c;
    this.vm();
    c.i32Load(ATTENTION).if_();
    finish?.();
    c.localGet(this.pc).localGet(this.len).i64Add().localSet(this.pc);
    this.exit(EXIT.ATTENTION);
    c.end();
  }

  storeRdToState(value: number): void {
    this.vm();
    this.c.localGet(this.entry).i32Load16U(DECODED.rdWrite).i32Add().localGet(value).i64Store(0);
  }

  jumpRelative(): void {
    this.c.localGet(this.pc).localGet(this.entry).i64Load32S(DECODED.imm).i64Add().localSet(this.pc);
    this.c.br(this.c.openBlocks - this.jumpedLevel);
  }

  fallThrough(): void {
    this.c.localGet(this.pc).localGet(this.len).i64Add().localSet(this.pc);
    this.c.br(this.c.openBlocks - this.jumpedLevel);
  }

  jumpIndirect(): void {
    this.c.localGet(this.t64c).localSet(this.pc);
    this.c.br(this.c.openBlocks - this.jumpedLevel);
  }

  /** Goes on with the next instruction. */
  next(): void {
    this.c.br(this.c.openBlocks - this.nextLevel);
  }

  /** Makes pc and budget exact in the state block and closes the interpreter's span. */
  leave(): void {
    const c = this.c;
    this.vm();
    c.localGet(this.pc).i64Store(PC);
    this.vm();
    c.localGet(this.budget).i32Store(BUDGET);
    spanAdd(this, SPAN.Interpreter, () => c.localGet(this.budget));
  }

  /** Returns `code` to the monitor with state.pc = the pc local. */
  exit(code: number): void {
    this.leave();
    this.c.i32Const(code).return_();
  }
}
