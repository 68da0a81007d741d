// Integer computation: RV64I register/immediate operations and the M extension, on i64
// values. Division follows RISC-V (no traps): x/0 = -1, x%0 = x, and the signed overflow
// case returns the dividend (Wasm's rem_s already returns 0 there). One home for these
// semantics: compiled units and the fast interpreter both emit them (codegen/emitter.ts).
import { Op } from '../../isa/opcodes.js';
import { I64 } from '../wasm/types.js';
import type { Emitter } from './emitter.js';

const MIN64 = -(1n << 63n);

/** Emits the computation `op` with e's operands; returns false when `op` is not one. */
export function emitAlu(e: Emitter, op: Op): boolean {
  const c = e.c;
  if (!isAlu(op)) return false;
  if (e.rdIsZero) return true; // no side effects: results written to x0 are simply not computed
  switch (op) {
    case Op.LUI: e.imm64(); break;
    case Op.AUIPC: e.pc64(); e.imm64(); c.i64Add(); break;
    case Op.ADDI: e.rs1(); if (e.knownImm !== 0) { e.imm64(); c.i64Add(); } break; // mv is addi rd, rs, 0
    case Op.SLTI: e.rs1(); e.imm64(); c.i64LtS().i64ExtendI32U(); break;
    case Op.SLTIU: e.rs1(); e.imm64(); c.i64LtU().i64ExtendI32U(); break;
    case Op.XORI: e.rs1(); e.imm64(); c.i64Xor(); break;
    case Op.ORI: e.rs1(); e.imm64(); c.i64Or(); break;
    case Op.ANDI: e.rs1(); e.imm64(); c.i64And(); break;
    case Op.SLLI: e.rs1(); e.imm64(); c.i64Shl(); break;
    case Op.SRLI: e.rs1(); e.imm64(); c.i64ShrU(); break;
    case Op.SRAI: e.rs1(); e.imm64(); c.i64ShrS(); break;
    case Op.ADDIW: e.rs1(); e.imm64(); c.i64Add().i64Extend32S(); break;
    case Op.SLLIW: e.rs1(); c.i32WrapI64(); e.imm32(); c.i32Shl().i64ExtendI32S(); break;
    case Op.SRLIW: e.rs1(); c.i32WrapI64(); e.imm32(); c.i32ShrU().i64ExtendI32S(); break;
    case Op.SRAIW: e.rs1(); c.i32WrapI64(); e.imm32(); c.i32ShrS().i64ExtendI32S(); break;
    case Op.ADD: e.rs1(); e.rs2(); c.i64Add(); break;
    case Op.SUB: e.rs1(); e.rs2(); c.i64Sub(); break;
    case Op.SLL: e.rs1(); e.rs2(); c.i64Shl(); break;
    case Op.SLT: e.rs1(); e.rs2(); c.i64LtS().i64ExtendI32U(); break;
    case Op.SLTU: e.rs1(); e.rs2(); c.i64LtU().i64ExtendI32U(); break;
    case Op.XOR: e.rs1(); e.rs2(); c.i64Xor(); break;
    case Op.SRL: e.rs1(); e.rs2(); c.i64ShrU(); break;
    case Op.SRA: e.rs1(); e.rs2(); c.i64ShrS(); break;
    case Op.OR: e.rs1(); e.rs2(); c.i64Or(); break;
    case Op.AND: e.rs1(); e.rs2(); c.i64And(); break;
    case Op.ADDW: e.rs1(); e.rs2(); c.i64Add().i64Extend32S(); break;
    case Op.SUBW: e.rs1(); e.rs2(); c.i64Sub().i64Extend32S(); break;
    case Op.SLLW: word2(e); c.i32Shl().i64ExtendI32S(); break;
    case Op.SRLW: word2(e); c.i32ShrU().i64ExtendI32S(); break;
    case Op.SRAW: word2(e); c.i32ShrS().i64ExtendI32S(); break;
    case Op.MUL: e.rs1(); e.rs2(); c.i64Mul(); break;
    case Op.MULW: e.rs1(); e.rs2(); c.i64Mul().i64Extend32S(); break;
    case Op.MULH: e.rs1(); e.rs2(); c.call(e.ctx.mulhFn); break;
    case Op.MULHU: e.rs1(); e.rs2(); c.call(e.ctx.mulhuFn); break;
    case Op.MULHSU: e.rs1(); e.rs2(); c.call(e.ctx.mulhsuFn); break;
    case Op.DIV: case Op.DIVU: case Op.REM: case Op.REMU: divide64(e, op); break;
    case Op.DIVW: case Op.DIVUW: case Op.REMW: case Op.REMUW: divide32(e, op); break;
    default: throw new Error(`emitAlu: unhandled ${Op[op]}`);
  }
  e.setRd();
  return true;
}

export function isAlu(op: Op): boolean {
  return op === Op.LUI || op === Op.AUIPC || (op >= Op.ADDI && op <= Op.SRAW) || (op >= Op.MUL && op <= Op.REMUW);
}

function word2(e: Emitter): void {
  e.rs1();
  e.c.i32WrapI64();
  e.rs2();
  e.c.i32WrapI64();
}

/** 64-bit division and remainder with RISC-V's results for x/0 and MIN/-1. */
function divide64(e: Emitter, op: Op): void {
  const c = e.c;
  const a = e.t64a, b = e.t64b;
  e.rs1(); c.localSet(a);
  e.rs2(); c.localSet(b);
  c.localGet(b).i64Eqz().if_(I64);
  if (op === Op.DIV || op === Op.DIVU) c.i64Const(-1n); else c.localGet(a);
  c.else_();
  switch (op) {
    case Op.DIV:
      // MIN / -1 overflows: the result is the dividend; Wasm would trap.
      c.localGet(a).i64Const(MIN64).i64Eq().localGet(b).i64Const(-1n).i64Eq().i32And().if_(I64);
      c.localGet(a).else_().localGet(a).localGet(b).i64DivS().end();
      break;
    case Op.DIVU: c.localGet(a).localGet(b).i64DivU(); break;
    case Op.REM: c.localGet(a).localGet(b).i64RemS(); break; // Wasm: MIN % -1 = 0, as RISC-V
    default: c.localGet(a).localGet(b).i64RemU();
  }
  c.end();
}

/** The *W forms: 32-bit operands and a sign-extended 32-bit result. */
function divide32(e: Emitter, op: Op): void {
  const c = e.c;
  const a = e.t64a, b = e.t64b;
  e.rs1(); c.localSet(a);
  e.rs2(); c.localSet(b);
  c.localGet(b).i32WrapI64().i32Eqz().if_(I64);
  if (op === Op.DIVW || op === Op.DIVUW) c.i64Const(-1n); else c.localGet(a).i64Extend32S();
  c.else_();
  const operands = () => c.localGet(a).i32WrapI64().localGet(b).i32WrapI64();
  switch (op) {
    case Op.DIVW:
      c.localGet(a).i32WrapI64().i32Const(-0x8000_0000).i32Eq()
        .localGet(b).i32WrapI64().i32Const(-1).i32Eq().i32And().if_(I64);
      c.localGet(a).i64Extend32S().else_();
      operands(); c.i32DivS().i64ExtendI32S();
      c.end();
      break;
    case Op.DIVUW: operands(); c.i32DivU().i64ExtendI32S(); break;
    case Op.REMW: operands(); c.i32RemS().i64ExtendI32S(); break;
    default: operands(); c.i32RemU().i64ExtendI32S();
  }
  c.end();
}
