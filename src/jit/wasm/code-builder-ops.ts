// The immediate-free numeric instructions of a function body: every i32/i64 comparison,
// arithmetic, bit and conversion operator of Wasm 2.0 plus the sign-extension operators.
// They live in a base class of CodeBuilder only to keep each file to one concern: here
// the long flat list of one-byte operators, there the instructions that carry immediates
// or structure (control, variables, memory, constants, locals).
//
// Each method is a single byte write so that V8 inlines it into the code generator.

import { ByteBuffer } from './byte-buffer.js';
import { OP } from './opcodes.js';

export abstract class NumericOps {
  /** The instruction bytes of the body (without the local declarations or the final end). */
  protected readonly code: ByteBuffer;

  protected constructor(initialCapacity: number) {
    this.code = new ByteBuffer(initialCapacity);
  }

  /** Emits any one-byte opcode; the escape hatch for operators without a named method. */
  op(opcode: number): this {
    this.code.byte(opcode);
    return this;
  }

  /** Emits an opcode followed by one u32 LEB immediate. */
  opU32(opcode: number, imm: number): this {
    this.code.byteU32leb(opcode, imm);
    return this;
  }

  // ---- i32 comparisons (result i32 0/1) ----
  i32Eqz(): this { this.code.byte(OP.i32Eqz); return this; }
  i32Eq(): this { this.code.byte(OP.i32Eq); return this; }
  i32Ne(): this { this.code.byte(OP.i32Ne); return this; }
  i32LtS(): this { this.code.byte(OP.i32LtS); return this; }
  i32LtU(): this { this.code.byte(OP.i32LtU); return this; }
  i32GtS(): this { this.code.byte(OP.i32GtS); return this; }
  i32GtU(): this { this.code.byte(OP.i32GtU); return this; }
  i32LeS(): this { this.code.byte(OP.i32LeS); return this; }
  i32LeU(): this { this.code.byte(OP.i32LeU); return this; }
  i32GeS(): this { this.code.byte(OP.i32GeS); return this; }
  i32GeU(): this { this.code.byte(OP.i32GeU); return this; }

  // ---- i64 comparisons (result i32 0/1) ----
  i64Eqz(): this { this.code.byte(OP.i64Eqz); return this; }
  i64Eq(): this { this.code.byte(OP.i64Eq); return this; }
  i64Ne(): this { this.code.byte(OP.i64Ne); return this; }
  i64LtS(): this { this.code.byte(OP.i64LtS); return this; }
  i64LtU(): this { this.code.byte(OP.i64LtU); return this; }
  i64GtS(): this { this.code.byte(OP.i64GtS); return this; }
  i64GtU(): this { this.code.byte(OP.i64GtU); return this; }
  i64LeS(): this { this.code.byte(OP.i64LeS); return this; }
  i64LeU(): this { this.code.byte(OP.i64LeU); return this; }
  i64GeS(): this { this.code.byte(OP.i64GeS); return this; }
  i64GeU(): this { this.code.byte(OP.i64GeU); return this; }

  // ---- i32 arithmetic and bits ----
  i32Clz(): this { this.code.byte(OP.i32Clz); return this; }
  i32Ctz(): this { this.code.byte(OP.i32Ctz); return this; }
  i32Popcnt(): this { this.code.byte(OP.i32Popcnt); return this; }
  i32Add(): this { this.code.byte(OP.i32Add); return this; }
  i32Sub(): this { this.code.byte(OP.i32Sub); return this; }
  i32Mul(): this { this.code.byte(OP.i32Mul); return this; }
  /** Traps on a zero divisor and on INT32_MIN / -1. */
  i32DivS(): this { this.code.byte(OP.i32DivS); return this; }
  /** Traps on a zero divisor. */
  i32DivU(): this { this.code.byte(OP.i32DivU); return this; }
  /** Traps on a zero divisor (INT32_MIN % -1 is 0, no trap). */
  i32RemS(): this { this.code.byte(OP.i32RemS); return this; }
  /** Traps on a zero divisor. */
  i32RemU(): this { this.code.byte(OP.i32RemU); return this; }
  i32And(): this { this.code.byte(OP.i32And); return this; }
  i32Or(): this { this.code.byte(OP.i32Or); return this; }
  i32Xor(): this { this.code.byte(OP.i32Xor); return this; }
  /** Shift counts are taken modulo 32. */
  i32Shl(): this { this.code.byte(OP.i32Shl); return this; }
  i32ShrS(): this { this.code.byte(OP.i32ShrS); return this; }
  i32ShrU(): this { this.code.byte(OP.i32ShrU); return this; }
  i32Rotl(): this { this.code.byte(OP.i32Rotl); return this; }
  i32Rotr(): this { this.code.byte(OP.i32Rotr); return this; }

  // ---- i64 arithmetic and bits ----
  i64Clz(): this { this.code.byte(OP.i64Clz); return this; }
  i64Ctz(): this { this.code.byte(OP.i64Ctz); return this; }
  i64Popcnt(): this { this.code.byte(OP.i64Popcnt); return this; }
  i64Add(): this { this.code.byte(OP.i64Add); return this; }
  i64Sub(): this { this.code.byte(OP.i64Sub); return this; }
  i64Mul(): this { this.code.byte(OP.i64Mul); return this; }
  /** Traps on a zero divisor and on INT64_MIN / -1 (RISC-V does not: guard in the code generator). */
  i64DivS(): this { this.code.byte(OP.i64DivS); return this; }
  /** Traps on a zero divisor. */
  i64DivU(): this { this.code.byte(OP.i64DivU); return this; }
  /** Traps on a zero divisor (INT64_MIN % -1 is 0, no trap). */
  i64RemS(): this { this.code.byte(OP.i64RemS); return this; }
  /** Traps on a zero divisor. */
  i64RemU(): this { this.code.byte(OP.i64RemU); return this; }
  i64And(): this { this.code.byte(OP.i64And); return this; }
  i64Or(): this { this.code.byte(OP.i64Or); return this; }
  i64Xor(): this { this.code.byte(OP.i64Xor); return this; }
  /** Shift counts are taken modulo 64, as in RISC-V. */
  i64Shl(): this { this.code.byte(OP.i64Shl); return this; }
  i64ShrS(): this { this.code.byte(OP.i64ShrS); return this; }
  i64ShrU(): this { this.code.byte(OP.i64ShrU); return this; }
  i64Rotl(): this { this.code.byte(OP.i64Rotl); return this; }
  i64Rotr(): this { this.code.byte(OP.i64Rotr); return this; }

  // ---- conversions ----
  i32WrapI64(): this { this.code.byte(OP.i32WrapI64); return this; }
  i64ExtendI32S(): this { this.code.byte(OP.i64ExtendI32S); return this; }
  i64ExtendI32U(): this { this.code.byte(OP.i64ExtendI32U); return this; }
  i32ReinterpretF32(): this { this.code.byte(OP.i32ReinterpretF32); return this; }
  i64ReinterpretF64(): this { this.code.byte(OP.i64ReinterpretF64); return this; }
  f32ReinterpretI32(): this { this.code.byte(OP.f32ReinterpretI32); return this; }
  f64ReinterpretI64(): this { this.code.byte(OP.f64ReinterpretI64); return this; }

  // ---- sign-extension operators ----
  i32Extend8S(): this { this.code.byte(OP.i32Extend8S); return this; }
  i32Extend16S(): this { this.code.byte(OP.i32Extend16S); return this; }
  i64Extend8S(): this { this.code.byte(OP.i64Extend8S); return this; }
  i64Extend16S(): this { this.code.byte(OP.i64Extend16S); return this; }
  i64Extend32S(): this { this.code.byte(OP.i64Extend32S); return this; }
}
