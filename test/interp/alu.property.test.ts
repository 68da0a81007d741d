// Property tests: the interpreter's ALU, M and shift semantics against a model written a
// different way, from the spec's mathematical definitions (integers, floor and truncating
// division, products modulo 2^128), so a shared mistake is unlikely.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AmoKind } from '../../src/isa/amo.js';
import { Op } from '../../src/isa/opcodes.js';
import { alu, branchTaken } from '../../src/interp/alu.js';
import { amoResult } from '../../src/mmu/atomics.js';

const TWO64 = 1n << 64n;
const TWO32 = 1n << 32n;
const signed = (v: bigint, bits: bigint) => (v >= 1n << (bits - 1n) ? v - (1n << bits) : v);
const mod = (v: bigint, m: bigint) => ((v % m) + m) % m;
const floorDiv = (a: bigint, b: bigint) => (a - mod(a, b)) / b;
const truncDiv = (a: bigint, b: bigint) => {
  const q = (a < 0n ? -a : a) / (b < 0n ? -b : b);
  return (a < 0n) !== (b < 0n) ? -q : q;
};
const lo32 = (v: bigint) => mod(v, TWO32);
const sext32 = (v: bigint) => mod(signed(lo32(v), 32n), TWO64);

/** Edge values get picked often: zero, one, all ones, the signed extremes, 32-bit borders. */
const edges = [0n, 1n, 2n, TWO64 - 1n, 1n << 63n, (1n << 63n) - 1n, TWO32 - 1n, TWO32, 1n << 31n, (1n << 31n) - 1n,
  TWO64 - (1n << 31n), 0xffff_ffff_8000_0000n, 0x8000_0000n];
const u64 = fc.oneof(fc.constantFrom(...edges), fc.bigInt({ min: 0n, max: TWO64 - 1n }));

function model(op: Op, a: bigint, b: bigint): bigint {
  const sa = signed(a, 64n), sb = signed(b, 64n);
  const sh = Number(b % 64n), sh32 = Number(b % 32n);
  const wa = signed(lo32(a), 32n), wb = signed(lo32(b), 32n);
  switch (op) {
    case Op.ADD: return mod(a + b, TWO64);
    case Op.SUB: return mod(a - b, TWO64);
    case Op.SLT: return sa < sb ? 1n : 0n;
    case Op.SLTU: return a < b ? 1n : 0n;
    case Op.XOR: case Op.OR: case Op.AND: {
      let r = 0n;
      for (let i = 0n; i < 64n; i++) {
        const x = (a / 2n ** i) % 2n, y = (b / 2n ** i) % 2n;
        const bit = op === Op.XOR ? (x + y) % 2n : op === Op.OR ? (x + y > 0n ? 1n : 0n) : x * y;
        r += bit * 2n ** i;
      }
      return r;
    }
    case Op.SLL: return mod(a * 2n ** BigInt(sh), TWO64);
    case Op.SRL: return a / 2n ** BigInt(sh);
    case Op.SRA: return mod(floorDiv(sa, 2n ** BigInt(sh)), TWO64);
    case Op.ADDW: return sext32(a + b);
    case Op.SUBW: return sext32(a - b);
    case Op.SLLW: return sext32(lo32(a) * 2n ** BigInt(sh32));
    case Op.SRLW: return sext32(lo32(a) / 2n ** BigInt(sh32));
    case Op.SRAW: return sext32(floorDiv(wa, 2n ** BigInt(sh32)));
    case Op.MUL: return mod(a * b, TWO64);
    case Op.MULH: return mod(sa * sb, 1n << 128n) / TWO64;
    case Op.MULHSU: return mod(sa * b, 1n << 128n) / TWO64;
    case Op.MULHU: return (a * b) / TWO64;
    case Op.MULW: return sext32(a * b);
    // Division per the spec's table: x/0 = -1 (all ones), x%0 = x, overflow: -2^63/-1 = -2^63, rem 0.
    case Op.DIV: return sb === 0n ? TWO64 - 1n : mod(truncDiv(sa, sb), TWO64);
    case Op.DIVU: return b === 0n ? TWO64 - 1n : a / b;
    case Op.REM: return sb === 0n ? a : mod(sa - truncDiv(sa, sb) * sb, TWO64);
    case Op.REMU: return b === 0n ? a : a - (a / b) * b;
    case Op.DIVW: return wb === 0n ? TWO64 - 1n : sext32(truncDiv(wa, wb));
    case Op.DIVUW: return lo32(b) === 0n ? TWO64 - 1n : sext32(lo32(a) / lo32(b));
    case Op.REMW: return wb === 0n ? sext32(wa) : sext32(wa - truncDiv(wa, wb) * wb);
    case Op.REMUW: return lo32(b) === 0n ? sext32(lo32(a)) : sext32(lo32(a) % lo32(b));
    default: throw new Error(`no model for ${Op[op]}`);
  }
}

const REGISTER_OPS = [Op.ADD, Op.SUB, Op.SLT, Op.SLTU, Op.XOR, Op.OR, Op.AND, Op.SLL, Op.SRL, Op.SRA,
  Op.ADDW, Op.SUBW, Op.SLLW, Op.SRLW, Op.SRAW, Op.MUL, Op.MULH, Op.MULHSU, Op.MULHU, Op.MULW,
  Op.DIV, Op.DIVU, Op.REM, Op.REMU, Op.DIVW, Op.DIVUW, Op.REMW, Op.REMUW];
/** Immediate forms share their register form's meaning, with b = the sign-extended immediate. */
const IMMEDIATE_FORMS: [Op, Op][] = [[Op.ADDI, Op.ADD], [Op.SLTI, Op.SLT], [Op.SLTIU, Op.SLTU], [Op.XORI, Op.XOR],
  [Op.ORI, Op.OR], [Op.ANDI, Op.AND], [Op.ADDIW, Op.ADDW]];
const SHIFT_IMMEDIATES: [Op, Op, number][] = [[Op.SLLI, Op.SLL, 63], [Op.SRLI, Op.SRL, 63], [Op.SRAI, Op.SRA, 63],
  [Op.SLLIW, Op.SLLW, 31], [Op.SRLIW, Op.SRLW, 31], [Op.SRAIW, Op.SRAW, 31]];

describe('ALU and M semantics against a BigInt model', () => {
  for (const op of REGISTER_OPS) {
    it(Op[op], () => {
      fc.assert(fc.property(u64, u64, (a, b) => { expect(alu(op, a, b)).toBe(model(op, a, b)); }), { numRuns: 400 });
    });
  }
  for (const [imm, reg] of IMMEDIATE_FORMS) {
    it(`${Op[imm]} (12-bit immediate)`, () => {
      fc.assert(fc.property(u64, fc.integer({ min: -2048, max: 2047 }), (a, i) => {
        const b = mod(BigInt(i), TWO64);
        expect(alu(imm, a, b)).toBe(model(reg, a, b));
      }), { numRuns: 300 });
    });
  }
  for (const [imm, reg, max] of SHIFT_IMMEDIATES) {
    it(`${Op[imm]} (shift amount 0..${max})`, () => {
      fc.assert(fc.property(u64, fc.integer({ min: 0, max }), (a, sh) => {
        expect(alu(imm, a, BigInt(sh))).toBe(model(reg, a, BigInt(sh)));
      }), { numRuns: 300 });
    });
  }
  it('division corner cases from the spec table', () => {
    const MIN = 1n << 63n, ALL = TWO64 - 1n;
    expect(alu(Op.DIV, 5n, 0n)).toBe(ALL);
    expect(alu(Op.REM, 5n, 0n)).toBe(5n);
    expect(alu(Op.DIV, MIN, ALL)).toBe(MIN);
    expect(alu(Op.REM, MIN, ALL)).toBe(0n);
    expect(alu(Op.DIVW, 0x8000_0000n, ALL)).toBe(0xffff_ffff_8000_0000n);
    expect(alu(Op.REMW, 0x8000_0000n, ALL)).toBe(0n);
    expect(alu(Op.DIVUW, 7n, 1n << 32n)).toBe(ALL); // divisor's low 32 bits are zero
    expect(alu(Op.REMUW, 0xffff_ffffn, 0n)).toBe(ALL);
  });
  it('branch conditions', () => {
    const cases: [Op, (a: bigint, b: bigint) => boolean][] = [
      [Op.BEQ, (a, b) => a === b], [Op.BNE, (a, b) => a !== b],
      [Op.BLT, (a, b) => signed(a, 64n) < signed(b, 64n)], [Op.BGE, (a, b) => signed(a, 64n) >= signed(b, 64n)],
      [Op.BLTU, (a, b) => a < b], [Op.BGEU, (a, b) => a >= b]];
    for (const [op, m] of cases) {
      fc.assert(fc.property(u64, u64, (a, b) => { expect(branchTaken(op, a, b)).toBe(m(a, b)); }), { numRuns: 200 });
    }
  });
  it('AMO operations at every width (Zabha bytes and halves, words, doublewords)', () => {
    for (const bits of [8, 16, 32, 64]) {
      const w = (v: bigint) => mod(v, 1n << BigInt(bits));
      fc.assert(fc.property(u64, u64, (a, b) => {
        const x = w(a), y = w(b);
        expect(amoResult(AmoKind.ADD, x, y, bits)).toBe(w(x + y));
        expect(amoResult(AmoKind.SWAP, x, y, bits)).toBe(y);
        expect(amoResult(AmoKind.MIN, x, y, bits)).toBe(signed(x, BigInt(bits)) < signed(y, BigInt(bits)) ? x : y);
        expect(amoResult(AmoKind.MAX, x, y, bits)).toBe(signed(x, BigInt(bits)) > signed(y, BigInt(bits)) ? x : y);
        expect(amoResult(AmoKind.MINU, x, y, bits)).toBe(x < y ? x : y);
        expect(amoResult(AmoKind.MAXU, x, y, bits)).toBe(x > y ? x : y);
        expect(amoResult(AmoKind.AND, x, y, bits)).toBe(model(Op.AND, x, y));
        expect(amoResult(AmoKind.OR, x, y, bits)).toBe(model(Op.OR, x, y));
        expect(amoResult(AmoKind.XOR, x, y, bits)).toBe(model(Op.XOR, x, y));
      }), { numRuns: 100 });
    }
  });
});
