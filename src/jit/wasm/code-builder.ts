// One function body (core spec 5.5.13 `func`): local declarations, then instructions,
// then `end`. The code generator drives it instruction by instruction; all bytes go into
// one growable buffer, and finish() prepends the local declarations.
//
// Local indices are handed out in the order addLocal() is called and never move, so the
// code can use them at once; finish() then declares locals as runs of consecutive equal
// types. Allocating all locals of one type together (e.g. the cached guest registers,
// then the i32 temporaries) gives the fewest declaration groups, but any order is valid.
//
// The builder checks structure cheaply (block nesting, branch depths) and throws on a
// generator bug there; it does not type-check the operand stack: wabt (validateModule)
// or WebAssembly.Module does that.

import { ByteBuffer } from './byte-buffer.js';
import { NumericOps } from './code-builder-ops.js';
import { OP } from './opcodes.js';
import { BLOCK_VOID, type ValType } from './types.js';

// finish() builds the local declarations here first to learn their size; shared because
// finish() never re-enters.
const declScratch = new ByteBuffer(64);

export class CodeBuilder extends NumericOps {
  private numParams = 0;
  private readonly localTypes: ValType[] = [];
  /** Open block/loop/if constructs, i.e. the label depth of the function body's own label. */
  private depth = 0;

  /** `params` take local indices 0..n-1. */
  constructor(params: readonly ValType[] = [], initialCapacity = 512) {
    super(initialCapacity);
    this.numParams = params.length;
  }

  /** Starts a new body, keeping the grown buffer: one builder can emit many functions. */
  reset(params: readonly ValType[] = []): this {
    this.code.reset();
    this.numParams = params.length;
    this.localTypes.length = 0;
    this.depth = 0;
    return this;
  }

  // ---------------------------------------------------------------- locals

  /** Declares a local and returns its index (after the parameters and earlier locals). */
  addLocal(type: ValType): number {
    this.localTypes.push(type);
    return this.numParams + this.localTypes.length - 1;
  }

  /** Declares `count` locals of one type and returns the index of the first. */
  addLocals(type: ValType, count: number): number {
    const first = this.numParams + this.localTypes.length;
    for (let i = 0; i < count; i++) this.localTypes.push(type);
    return first;
  }

  /** Parameters plus declared locals. */
  get numLocals(): number {
    return this.numParams + this.localTypes.length;
  }

  // ---------------------------------------------------------------- control

  block(bt: ValType = BLOCK_VOID): this {
    this.code.byte2(OP.block, bt);
    this.depth++;
    return this;
  }

  loop(bt: ValType = BLOCK_VOID): this {
    this.code.byte2(OP.loop, bt);
    this.depth++;
    return this;
  }

  if_(bt: ValType = BLOCK_VOID): this {
    this.code.byte2(OP.if, bt);
    this.depth++;
    return this;
  }

  else_(): this {
    if (this.depth === 0) throw new Error('CodeBuilder: else without an open if');
    this.code.byte(OP.else);
    return this;
  }

  /** Closes the innermost block/loop/if. The body's final end is added by finish(). */
  end(): this {
    if (this.depth === 0) throw new Error('CodeBuilder: end without an open block (finish() adds the last end)');
    this.code.byte(OP.end);
    this.depth--;
    return this;
  }

  /** Branch to the label `depth` levels out (0 = innermost; openBlocks = the function). */
  br(depth: number): this {
    this.checkDepth(depth);
    this.code.byteU32leb(OP.br, depth);
    return this;
  }

  brIf(depth: number): this {
    this.checkDepth(depth);
    this.code.byteU32leb(OP.brIf, depth);
    return this;
  }

  brTable(depths: readonly number[], dflt: number): this {
    this.code.byte(OP.brTable);
    this.code.u32leb(depths.length);
    for (let i = 0; i < depths.length; i++) {
      this.checkDepth(depths[i]!);
      this.code.u32leb(depths[i]!);
    }
    this.checkDepth(dflt);
    this.code.u32leb(dflt);
    return this;
  }

  return_(): this { this.code.byte(OP.return); return this; }
  unreachable(): this { this.code.byte(OP.unreachable); return this; }
  nop(): this { this.code.byte(OP.nop); return this; }
  drop(): this { this.code.byte(OP.drop); return this; }
  /** select on numeric operands (the untyped form). */
  select(): this { this.code.byte(OP.select); return this; }

  /** select with an explicit result type (required for reference operands). */
  selectTyped(type: ValType): this {
    this.code.byte(OP.selectTyped);
    this.code.byte2(1, type);
    return this;
  }

  call(funcIndex: number): this {
    this.code.byteU32leb(OP.call, funcIndex);
    return this;
  }

  callIndirect(typeIndex: number, tableIndex = 0): this {
    this.code.byteU32leb(OP.callIndirect, typeIndex);
    this.code.u32leb(tableIndex);
    return this;
  }

  /** Tail call: the callee's results become this function's; the frame is replaced. */
  returnCall(funcIndex: number): this {
    this.code.byteU32leb(OP.returnCall, funcIndex);
    return this;
  }

  /** Tail call through a table slot: how one CCF chains to the next without growing the stack. */
  returnCallIndirect(typeIndex: number, tableIndex = 0): this {
    this.code.byteU32leb(OP.returnCallIndirect, typeIndex);
    this.code.u32leb(tableIndex);
    return this;
  }

  // ---------------------------------------------------------------- variables

  localGet(i: number): this {
    this.code.byteU32leb(OP.localGet, i);
    return this;
  }

  localSet(i: number): this {
    this.code.byteU32leb(OP.localSet, i);
    return this;
  }

  localTee(i: number): this {
    this.code.byteU32leb(OP.localTee, i);
    return this;
  }

  globalGet(i: number): this {
    this.code.byteU32leb(OP.globalGet, i);
    return this;
  }

  globalSet(i: number): this {
    this.code.byteU32leb(OP.globalSet, i);
    return this;
  }

  /** [i32 index] -> [ref]; traps when the index is out of bounds. */
  tableGet(tableIndex = 0): this {
    this.code.byteU32leb(OP.tableGet, tableIndex);
    return this;
  }

  /** [i32 index, ref] -> []; traps when the index is out of bounds. */
  tableSet(tableIndex = 0): this {
    this.code.byteU32leb(OP.tableSet, tableIndex);
    return this;
  }

  // ---------------------------------------------------------------- constants

  /** Accepts any 32-bit pattern, signed or unsigned (0xffff_ffff and -1 are the same). */
  i32Const(v: number): this {
    this.code.byte(OP.i32Const);
    this.code.s32leb(v);
    return this;
  }

  /**
   * Accepts a BigInt (any 64-bit pattern, signed or unsigned) or a safe-integer Number,
   * which avoids BigInt entirely on the generator's side.
   */
  i64Const(v: bigint | number): this {
    this.code.byte(OP.i64Const);
    if (typeof v === 'number') this.code.s64lebNumber(v);
    else this.code.s64leb(v);
    return this;
  }

  /** i64.const from two 32-bit halves, for generators that keep 64-bit values as hi/lo pairs. */
  i64ConstHiLo(hi: number, lo: number): this {
    this.code.byte(OP.i64Const);
    this.code.s64lebHiLo(hi, lo);
    return this;
  }

  f32Const(v: number): this {
    this.code.byte(OP.f32Const);
    this.code.f32(v);
    return this;
  }

  f64Const(v: number): this {
    this.code.byte(OP.f64Const);
    this.code.f64(v);
    return this;
  }

  // ---------------------------------------------------------------- memory
  // memarg = (align: log2 of the alignment hint, offset). The offset is added to the
  // i32 address without wrapping, so a constant displacement costs nothing at run time.
  // The align hint never affects semantics: misaligned accesses still work in Wasm.

  i32Load(offset = 0, align = 2): this { return this.mem(OP.i32Load, offset, align); }
  i64Load(offset = 0, align = 3): this { return this.mem(OP.i64Load, offset, align); }
  f32Load(offset = 0, align = 2): this { return this.mem(OP.f32Load, offset, align); }
  f64Load(offset = 0, align = 3): this { return this.mem(OP.f64Load, offset, align); }
  i32Load8S(offset = 0, align = 0): this { return this.mem(OP.i32Load8S, offset, align); }
  i32Load8U(offset = 0, align = 0): this { return this.mem(OP.i32Load8U, offset, align); }
  i32Load16S(offset = 0, align = 1): this { return this.mem(OP.i32Load16S, offset, align); }
  i32Load16U(offset = 0, align = 1): this { return this.mem(OP.i32Load16U, offset, align); }
  i64Load8S(offset = 0, align = 0): this { return this.mem(OP.i64Load8S, offset, align); }
  i64Load8U(offset = 0, align = 0): this { return this.mem(OP.i64Load8U, offset, align); }
  i64Load16S(offset = 0, align = 1): this { return this.mem(OP.i64Load16S, offset, align); }
  i64Load16U(offset = 0, align = 1): this { return this.mem(OP.i64Load16U, offset, align); }
  i64Load32S(offset = 0, align = 2): this { return this.mem(OP.i64Load32S, offset, align); }
  i64Load32U(offset = 0, align = 2): this { return this.mem(OP.i64Load32U, offset, align); }

  i32Store(offset = 0, align = 2): this { return this.mem(OP.i32Store, offset, align); }
  i64Store(offset = 0, align = 3): this { return this.mem(OP.i64Store, offset, align); }
  f32Store(offset = 0, align = 2): this { return this.mem(OP.f32Store, offset, align); }
  f64Store(offset = 0, align = 3): this { return this.mem(OP.f64Store, offset, align); }
  i32Store8(offset = 0, align = 0): this { return this.mem(OP.i32Store8, offset, align); }
  i32Store16(offset = 0, align = 1): this { return this.mem(OP.i32Store16, offset, align); }
  i64Store8(offset = 0, align = 0): this { return this.mem(OP.i64Store8, offset, align); }
  i64Store16(offset = 0, align = 1): this { return this.mem(OP.i64Store16, offset, align); }
  i64Store32(offset = 0, align = 2): this { return this.mem(OP.i64Store32, offset, align); }

  /** [] -> [i32 pages] of memory 0. */
  memorySize(): this {
    this.code.byte2(OP.memorySize, 0x00);
    return this;
  }

  /** [i32 delta pages] -> [i32 old size, or -1] of memory 0. */
  memoryGrow(): this {
    this.code.byte2(OP.memoryGrow, 0x00);
    return this;
  }

  private mem(opcode: number, offset: number, align: number): this {
    const c = this.code;
    c.byteU32leb(opcode, align);
    c.u32leb(offset);
    return this;
  }

  // ---------------------------------------------------------------- output

  /** Bytes of instructions so far (no local declarations, no final end): for code-size accounting. */
  get byteLength(): number {
    return this.code.length;
  }

  /** Blocks opened and not yet closed. */
  get openBlocks(): number {
    return this.depth;
  }

  /**
   * The complete function body, without its size prefix: local declarations, the
   * instructions and the final `end`. Leaves the builder untouched (call reset() to reuse).
   */
  finish(): Uint8Array<ArrayBuffer> {
    if (this.depth !== 0) throw new Error(`CodeBuilder: ${this.depth} block(s) left open at finish()`);
    const decl = declScratch;
    decl.reset();
    const types = this.localTypes;
    const n = types.length;
    let groups = 0;
    for (let i = 0; i < n; i++) if (i === 0 || types[i] !== types[i - 1]) groups++;
    decl.u32leb(groups);
    for (let i = 0; i < n; ) {
      const t = types[i]!;
      let j = i + 1;
      while (j < n && types[j] === t) j++;
      decl.u32leb(j - i);
      decl.byte(t);
      i = j;
    }
    const code = this.code.view();
    const out = new Uint8Array(decl.length + code.length + 1);
    out.set(decl.view(), 0);
    out.set(code, decl.length);
    out[out.length - 1] = OP.end;
    return out;
  }

  private checkDepth(depth: number): void {
    if (depth > this.depth || depth < 0) {
      throw new Error(`CodeBuilder: branch depth ${depth} but only ${this.depth} block(s) open`);
    }
  }
}
