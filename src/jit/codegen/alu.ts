// Integer computation: RV64I register/immediate operations and the M extension, on i64
// values in Wasm locals. Division follows RISC-V (no traps): x/0 = -1, x%0 = x, and the
// signed overflow case returns the dividend (Wasm's rem_s already returns 0 there).
import type { Insn } from '../../isa/insn.js';
import { Op } from '../../isa/opcodes.js';
import { I64 } from '../wasm/types.js';
import type { Fragment } from './fragment.js';

const MIN64 = -(1n << 63n);

/** Emits `insn` if it is a computation; returns false otherwise. */
export function emitAlu(f: Fragment, insn: Insn, pc: bigint): boolean {
  const { op, rd, rs1, rs2 } = insn;
  const c = f.c;
  const imm = BigInt(insn.imm);
  if (!isAlu(op)) return false;
  if (rd === 0) return true; // no side effects: results written to x0 are simply not computed
  switch (op) {
    case Op.LUI: c.i64Const(imm); break;
    case Op.AUIPC: c.i64Const(BigInt.asIntN(64, pc + imm)); break;
    case Op.ADDI: f.get(rs1); if (imm !== 0n) c.i64Const(imm).i64Add(); break; // mv is addi rd, rs, 0
    case Op.SLTI: f.get(rs1); c.i64Const(imm).i64LtS().i64ExtendI32U(); break;
    case Op.SLTIU: f.get(rs1); c.i64Const(imm).i64LtU().i64ExtendI32U(); break;
    case Op.XORI: f.get(rs1); c.i64Const(imm).i64Xor(); break;
    case Op.ORI: f.get(rs1); c.i64Const(imm).i64Or(); break;
    case Op.ANDI: f.get(rs1); c.i64Const(imm).i64And(); break;
    case Op.SLLI: f.get(rs1); c.i64Const(imm).i64Shl(); break;
    case Op.SRLI: f.get(rs1); c.i64Const(imm).i64ShrU(); break;
    case Op.SRAI: f.get(rs1); c.i64Const(imm).i64ShrS(); break;
    case Op.ADDIW: f.get(rs1); c.i64Const(imm).i64Add().i64Extend32S(); break;
    case Op.SLLIW: f.get(rs1); c.i32WrapI64().i32Const(insn.imm).i32Shl().i64ExtendI32S(); break;
    case Op.SRLIW: f.get(rs1); c.i32WrapI64().i32Const(insn.imm).i32ShrU().i64ExtendI32S(); break;
    case Op.SRAIW: f.get(rs1); c.i32WrapI64().i32Const(insn.imm).i32ShrS().i64ExtendI32S(); break;
    case Op.ADD: f.get(rs1); f.get(rs2); c.i64Add(); break;
    case Op.SUB: f.get(rs1); f.get(rs2); c.i64Sub(); break;
    case Op.SLL: f.get(rs1); f.get(rs2); c.i64Shl(); break;
    case Op.SLT: f.get(rs1); f.get(rs2); c.i64LtS().i64ExtendI32U(); break;
    case Op.SLTU: f.get(rs1); f.get(rs2); c.i64LtU().i64ExtendI32U(); break;
    case Op.XOR: f.get(rs1); f.get(rs2); c.i64Xor(); break;
    case Op.SRL: f.get(rs1); f.get(rs2); c.i64ShrU(); break;
    case Op.SRA: f.get(rs1); f.get(rs2); c.i64ShrS(); break;
    case Op.OR: f.get(rs1); f.get(rs2); c.i64Or(); break;
    case Op.AND: f.get(rs1); f.get(rs2); c.i64And(); break;
    case Op.ADDW: f.get(rs1); f.get(rs2); c.i64Add().i64Extend32S(); break;
    case Op.SUBW: f.get(rs1); f.get(rs2); c.i64Sub().i64Extend32S(); break;
    case Op.SLLW: word2(f, rs1, rs2); c.i32Shl().i64ExtendI32S(); break;
    case Op.SRLW: word2(f, rs1, rs2); c.i32ShrU().i64ExtendI32S(); break;
    case Op.SRAW: word2(f, rs1, rs2); c.i32ShrS().i64ExtendI32S(); break;
    case Op.MUL: f.get(rs1); f.get(rs2); c.i64Mul(); break;
    case Op.MULW: f.get(rs1); f.get(rs2); c.i64Mul().i64Extend32S(); break;
    case Op.MULH: f.get(rs1); f.get(rs2); c.call(f.ctx.mulhFn); break;
    case Op.MULHU: f.get(rs1); f.get(rs2); c.call(f.ctx.mulhuFn); break;
    case Op.MULHSU: f.get(rs1); f.get(rs2); c.call(f.ctx.mulhsuFn); break;
    case Op.DIV: case Op.DIVU: case Op.REM: case Op.REMU: divide64(f, op, rs1, rs2); break;
    case Op.DIVW: case Op.DIVUW: case Op.REMW: case Op.REMUW: divide32(f, op, rs1, rs2); break;
    default: throw new Error(`emitAlu: unhandled ${Op[op]}`);
  }
  f.set(rd);
  return true;
}

function isAlu(op: Op): boolean {
  return op === Op.LUI || op === Op.AUIPC || (op >= Op.ADDI && op <= Op.SRAW) || (op >= Op.MUL && op <= Op.REMUW);
}

function word2(f: Fragment, rs1: number, rs2: number): void {
  f.get(rs1);
  f.c.i32WrapI64();
  f.get(rs2);
  f.c.i32WrapI64();
}

/** 64-bit division and remainder with RISC-V's results for x/0 and MIN/-1. */
function divide64(f: Fragment, op: Op, rs1: number, rs2: number): void {
  const c = f.c;
  const a = f.t64a, b = f.t64b;
  f.get(rs1); c.localSet(a);
  f.get(rs2); c.localSet(b);
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
function divide32(f: Fragment, op: Op, rs1: number, rs2: number): void {
  const c = f.c;
  const a = f.t64a, b = f.t64b;
  f.get(rs1); c.localSet(a);
  f.get(rs2); c.localSet(b);
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
