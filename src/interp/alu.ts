// Integer semantics of RV64I and M on raw 64-bit patterns (unsigned BigInts). Written
// straight from the unprivileged spec's definitions, for clarity over speed: this is the
// oracle the JIT is checked against.
import { sext } from '../isa/bits.js';
import { Op } from '../isa/opcodes.js';

const MASK64 = 0xffff_ffff_ffff_ffffn;
const MIN64 = 1n << 63n;
const MIN32 = -(1n << 31n);

const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);
const s64 = (v: bigint): bigint => BigInt.asIntN(64, v);
const s32 = (v: bigint): bigint => BigInt.asIntN(32, v);
/** Sign-extends the low 32 bits to a 64-bit pattern (every *W result). */
const w = (v: bigint): bigint => sext(v, 32);

/**
 * The result of a register-register or register-immediate ALU/M operation. `a` is rs1's
 * value; `b` is rs2's value or the immediate as a 64-bit pattern (shift amount for
 * shift-immediates). Returns undefined for operations that are not ALU operations.
 */
export function alu(op: Op, a: bigint, b: bigint): bigint | undefined {
  switch (op) {
    case Op.ADD: case Op.ADDI: return u64(a + b);
    case Op.SUB: return u64(a - b);
    case Op.SLT: case Op.SLTI: return s64(a) < s64(b) ? 1n : 0n;
    case Op.SLTU: case Op.SLTIU: return a < b ? 1n : 0n;
    case Op.XOR: case Op.XORI: return a ^ b;
    case Op.OR: case Op.ORI: return a | b;
    case Op.AND: case Op.ANDI: return a & b;
    case Op.SLL: case Op.SLLI: return u64(a << (b & 63n));
    case Op.SRL: case Op.SRLI: return a >> (b & 63n);
    case Op.SRA: case Op.SRAI: return u64(s64(a) >> (b & 63n));
    case Op.ADDW: case Op.ADDIW: return w(a + b);
    case Op.SUBW: return w(a - b);
    case Op.SLLW: case Op.SLLIW: return w(a << (b & 31n));
    case Op.SRLW: case Op.SRLIW: return w((a & 0xffff_ffffn) >> (b & 31n));
    case Op.SRAW: case Op.SRAIW: return w(s32(a) >> (b & 31n));
    case Op.MUL: return u64(a * b);
    case Op.MULH: return u64((s64(a) * s64(b)) >> 64n);
    case Op.MULHSU: return u64((s64(a) * b) >> 64n);
    case Op.MULHU: return (a * b) >> 64n;
    case Op.MULW: return w(a * b);
    case Op.DIV: {
      if (b === 0n) return MASK64;
      if (a === MIN64 && b === MASK64) return MIN64; // overflow: the dividend
      return u64(s64(a) / s64(b)); // BigInt division truncates toward zero, as RISC-V does
    }
    case Op.DIVU: return b === 0n ? MASK64 : a / b;
    case Op.REM: {
      if (b === 0n) return a;
      if (a === MIN64 && b === MASK64) return 0n;
      return u64(s64(a) % s64(b)); // the remainder takes the dividend's sign
    }
    case Op.REMU: return b === 0n ? a : a % b;
    case Op.DIVW: {
      const x = s32(a), y = s32(b);
      if (y === 0n) return MASK64;
      if (x === MIN32 && y === -1n) return w(x);
      return w(x / y);
    }
    case Op.DIVUW: {
      const x = a & 0xffff_ffffn, y = b & 0xffff_ffffn;
      return y === 0n ? MASK64 : w(x / y);
    }
    case Op.REMW: {
      const x = s32(a), y = s32(b);
      if (y === 0n) return w(x);
      if (x === MIN32 && y === -1n) return 0n;
      return w(x % y);
    }
    case Op.REMUW: {
      const x = a & 0xffff_ffffn, y = b & 0xffff_ffffn;
      return y === 0n ? w(x) : w(x % y);
    }
    default: return undefined;
  }
}

/** Whether a conditional branch is taken. */
export function branchTaken(op: Op, a: bigint, b: bigint): boolean {
  switch (op) {
    case Op.BEQ: return a === b;
    case Op.BNE: return a !== b;
    case Op.BLT: return s64(a) < s64(b);
    case Op.BGE: return s64(a) >= s64(b);
    case Op.BLTU: return a < b;
    case Op.BGEU: return a >= b;
    default: throw new Error(`not a branch: ${Op[op]}`);
  }
}
