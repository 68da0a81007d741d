// Instruction decoder: raw encoding -> Insn. RISC-V unprivileged spec 20191213 (RV64I, M,
// A, Zicsr, Zifencei) and privileged spec 20211203 (MRET, SRET, WFI, SFENCE.VMA).
//
// Decoding is a pure function of the bits (see Insn), so callers cache the result by raw.
// It still sits behind the interpreter's decode cache miss path, so it is written as plain
// switches on the opcode fields with no allocation besides the result object, and every
// result is built by one function so V8 sees a single object shape.
//
// Anything the spec calls reserved, or that belongs to an extension this machine does not
// have (F/D, Zicbo*, H, ...), decodes as Op.ILLEGAL: the executor raises an
// illegal-instruction exception for it. HINT encodings are legal and decode to the
// operation they are encoded as (they only ever write x0).

import { Op } from './opcodes.js';
import type { Insn } from './insn.js';
import { decodeCompressed } from './decode-compressed.js';
import { mkInsn, illegal } from './insn-build.js';

/**
 * Decodes one instruction. `raw` is the 32-bit fetch (or the 16-bit parcel: the upper
 * half is ignored for compressed encodings). Bits [1:0] !== 0b11 select the 16-bit RVC
 * format (len 2); otherwise it is a 32-bit encoding (len 4). Longer encodings
 * (bits [4:2] === 0b111) are not supported and decode as ILLEGAL with len 4.
 */
export function decode(raw: number): Insn {
  if ((raw & 3) !== 3) return decodeCompressed(raw & 0xffff);
  raw >>>= 0;
  const rd = (raw >>> 7) & 31;
  const f3 = (raw >>> 12) & 7;
  const rs1 = (raw >>> 15) & 31;
  const rs2 = (raw >>> 20) & 31;
  const f7 = raw >>> 25;
  const immI = raw >> 20; // sign-extended I-type immediate
  switch (raw & 0x7f) {
    case 0x37: return mkInsn(Op.LUI, rd, 0, 0, (raw & 0xfffff000) | 0, 0, 4, raw);
    case 0x17: return mkInsn(Op.AUIPC, rd, 0, 0, (raw & 0xfffff000) | 0, 0, 4, raw);
    case 0x6f: return mkInsn(Op.JAL, rd, 0, 0, immJ(raw), 0, 4, raw);
    case 0x67:
      if (f3 !== 0) break;
      return mkInsn(Op.JALR, rd, rs1, 0, immI, 0, 4, raw);
    case 0x63: {
      const op = BRANCH_OPS[f3];
      if (op === Op.ILLEGAL) break;
      return mkInsn(op, 0, rs1, rs2, immB(raw), 0, 4, raw);
    }
    case 0x03: {
      const op = LOAD_OPS[f3];
      if (op === Op.ILLEGAL) break;
      return mkInsn(op, rd, rs1, 0, immI, 0, 4, raw);
    }
    case 0x23: {
      if (f3 > 3) break;
      return mkInsn(STORE_OPS[f3], 0, rs1, rs2, immS(raw), 0, 4, raw);
    }
    case 0x13: return decodeOpImm(raw, rd, f3, rs1, immI);
    case 0x1b: return decodeOpImm32(raw, rd, f3, rs1, f7, immI);
    case 0x33: return decodeOp(raw, rd, f3, rs1, rs2, f7);
    case 0x3b: return decodeOp32(raw, rd, f3, rs1, rs2, f7);
    case 0x0f:
      // The spec tells base implementations to ignore rd/rs1 of FENCE and FENCE.I and to
      // treat reserved fm/pred/succ combinations as an ordinary FENCE, so they all decode.
      if (f3 === 0) return mkInsn(Op.FENCE, rd, rs1, 0, raw >>> 20, 0, 4, raw);
      if (f3 === 1) return mkInsn(Op.FENCE_I, rd, rs1, 0, immI, 0, 4, raw);
      break;
    case 0x73: return decodeSystem(raw, rd, f3, rs1, rs2, f7);
    case 0x2f: return decodeAmo(raw, rd, f3, rs1, rs2);
  }
  return illegal(raw, 4);
}

// Indexed by funct3; ILLEGAL marks the reserved slots.
const BRANCH_OPS: readonly Op[] = [Op.BEQ, Op.BNE, Op.ILLEGAL, Op.ILLEGAL, Op.BLT, Op.BGE, Op.BLTU, Op.BGEU];
const LOAD_OPS: readonly Op[] = [Op.LB, Op.LH, Op.LW, Op.LD, Op.LBU, Op.LHU, Op.LWU, Op.ILLEGAL];
const STORE_OPS: readonly Op[] = [Op.SB, Op.SH, Op.SW, Op.SD];
const OP_IMM_OPS: readonly Op[] = [Op.ADDI, Op.SLLI, Op.SLTI, Op.SLTIU, Op.XORI, Op.SRLI, Op.ORI, Op.ANDI];
const OP_OPS: readonly Op[] = [Op.ADD, Op.SLL, Op.SLT, Op.SLTU, Op.XOR, Op.SRL, Op.OR, Op.AND];
const MUL_OPS: readonly Op[] = [Op.MUL, Op.MULH, Op.MULHSU, Op.MULHU, Op.DIV, Op.DIVU, Op.REM, Op.REMU];
const MULW_OPS: readonly Op[] = [Op.MULW, Op.ILLEGAL, Op.ILLEGAL, Op.ILLEGAL, Op.DIVW, Op.DIVUW, Op.REMW, Op.REMUW];

function immS(raw: number): number {
  return ((raw >> 25) << 5) | ((raw >>> 7) & 0x1f);
}

function immB(raw: number): number {
  return ((raw >> 31) << 12) | (((raw >>> 7) & 1) << 11) | (((raw >>> 25) & 0x3f) << 5)
    | (((raw >>> 8) & 0xf) << 1);
}

function immJ(raw: number): number {
  return ((raw >> 31) << 20) | (raw & 0xff000) | (((raw >>> 20) & 1) << 11)
    | (((raw >>> 21) & 0x3ff) << 1);
}

function decodeOpImm(raw: number, rd: number, f3: number, rs1: number, immI: number): Insn {
  if (f3 === 1 || f3 === 5) {
    // RV64 shifts: a 6-bit shamt in [25:20]; [31:26] must be 000000, or 010000 for SRAI.
    const shamt = (raw >>> 20) & 0x3f;
    const f6 = raw >>> 26;
    if (f6 === 0) return mkInsn(f3 === 1 ? Op.SLLI : Op.SRLI, rd, rs1, 0, shamt, 0, 4, raw);
    if (f6 === 0x10 && f3 === 5) return mkInsn(Op.SRAI, rd, rs1, 0, shamt, 0, 4, raw);
    return illegal(raw, 4);
  }
  return mkInsn(OP_IMM_OPS[f3], rd, rs1, 0, immI, 0, 4, raw);
}

function decodeOpImm32(raw: number, rd: number, f3: number, rs1: number, f7: number, immI: number): Insn {
  if (f3 === 0) return mkInsn(Op.ADDIW, rd, rs1, 0, immI, 0, 4, raw);
  // *IW shifts take a 5-bit shamt; shamt[5] (bit 25) set is reserved, hence f7 checks.
  const shamt = (raw >>> 20) & 0x1f;
  if (f3 === 1 && f7 === 0) return mkInsn(Op.SLLIW, rd, rs1, 0, shamt, 0, 4, raw);
  if (f3 === 5 && f7 === 0) return mkInsn(Op.SRLIW, rd, rs1, 0, shamt, 0, 4, raw);
  if (f3 === 5 && f7 === 0x20) return mkInsn(Op.SRAIW, rd, rs1, 0, shamt, 0, 4, raw);
  return illegal(raw, 4);
}

function decodeOp(raw: number, rd: number, f3: number, rs1: number, rs2: number, f7: number): Insn {
  let op: Op = Op.ILLEGAL;
  if (f7 === 0) op = OP_OPS[f3];
  else if (f7 === 1) op = MUL_OPS[f3];
  else if (f7 === 0x20) op = f3 === 0 ? Op.SUB : f3 === 5 ? Op.SRA : Op.ILLEGAL;
  if (op === Op.ILLEGAL) return illegal(raw, 4);
  return mkInsn(op, rd, rs1, rs2, 0, 0, 4, raw);
}

function decodeOp32(raw: number, rd: number, f3: number, rs1: number, rs2: number, f7: number): Insn {
  let op: Op = Op.ILLEGAL;
  if (f7 === 0) op = f3 === 0 ? Op.ADDW : f3 === 1 ? Op.SLLW : f3 === 5 ? Op.SRLW : Op.ILLEGAL;
  else if (f7 === 1) op = MULW_OPS[f3];
  else if (f7 === 0x20) op = f3 === 0 ? Op.SUBW : f3 === 5 ? Op.SRAW : Op.ILLEGAL;
  if (op === Op.ILLEGAL) return illegal(raw, 4);
  return mkInsn(op, rd, rs1, rs2, 0, 0, 4, raw);
}

function decodeSystem(raw: number, rd: number, f3: number, rs1: number, rs2: number, f7: number): Insn {
  switch (f3) {
    case 0:
      // The privileged instructions are fixed words, except SFENCE.VMA which carries rs1
      // and rs2; every field the spec does not use must be zero.
      switch (raw) {
        case 0x00000073: return mkInsn(Op.ECALL, 0, 0, 0, 0, 0, 4, raw);
        case 0x00100073: return mkInsn(Op.EBREAK, 0, 0, 0, 0, 0, 4, raw);
        case 0x10200073: return mkInsn(Op.SRET, 0, 0, 0, 0, 0, 4, raw);
        case 0x30200073: return mkInsn(Op.MRET, 0, 0, 0, 0, 0, 4, raw);
        case 0x10500073: return mkInsn(Op.WFI, 0, 0, 0, 0, 0, 4, raw);
      }
      if (f7 === 0x09 && rd === 0) return mkInsn(Op.SFENCE_VMA, 0, rs1, rs2, 0, 0, 4, raw);
      return illegal(raw, 4);
    case 1: return mkInsn(Op.CSRRW, rd, rs1, 0, 0, raw >>> 20, 4, raw);
    case 2: return mkInsn(Op.CSRRS, rd, rs1, 0, 0, raw >>> 20, 4, raw);
    case 3: return mkInsn(Op.CSRRC, rd, rs1, 0, 0, raw >>> 20, 4, raw);
    case 5: return mkInsn(Op.CSRRWI, rd, rs1, 0, 0, raw >>> 20, 4, raw);
    case 6: return mkInsn(Op.CSRRSI, rd, rs1, 0, 0, raw >>> 20, 4, raw);
    case 7: return mkInsn(Op.CSRRCI, rd, rs1, 0, 0, raw >>> 20, 4, raw);
  }
  return illegal(raw, 4); // funct3 = 100 is the H extension's space
}

// AMO funct5 (bits [31:27]) -> operation, word forms; the .d forms follow in the same
// order in Op, so LR_D - LR_W is the offset between them.
const AMO_W_OPS: readonly Op[] = (() => {
  const t: Op[] = new Array<Op>(32).fill(Op.ILLEGAL);
  t[0x02] = Op.LR_W; t[0x03] = Op.SC_W; t[0x01] = Op.AMOSWAP_W; t[0x00] = Op.AMOADD_W;
  t[0x04] = Op.AMOXOR_W; t[0x0c] = Op.AMOAND_W; t[0x08] = Op.AMOOR_W; t[0x10] = Op.AMOMIN_W;
  t[0x14] = Op.AMOMAX_W; t[0x18] = Op.AMOMINU_W; t[0x1c] = Op.AMOMAXU_W;
  return t;
})();
const W_TO_D = Op.LR_D - Op.LR_W;
/** Zabha's .b and .h runs list the kinds in the same order as the .w run from AMOSWAP_W. */
const W_TO_B = Op.AMOSWAP_B - Op.AMOSWAP_W;
const W_TO_H = Op.AMOSWAP_H - Op.AMOSWAP_W;
const AMOCAS_F5 = 0x05;
const AMOCAS_BY_F3 = [Op.AMOCAS_B, Op.AMOCAS_H, Op.AMOCAS_W, Op.AMOCAS_D, Op.AMOCAS_Q];

function decodeAmo(raw: number, rd: number, f3: number, rs1: number, rs2: number): Insn {
  if (f3 > 4) return illegal(raw, 4);
  const f5 = raw >>> 27;
  if (f5 === AMOCAS_F5) {
    // amocas.q works on even-numbered register pairs; odd ones are reserved.
    if (f3 === 4 && ((rd | rs2) & 1)) return illegal(raw, 4);
    return mkInsn(AMOCAS_BY_F3[f3], rd, rs1, rs2, 0, 0, 4, raw);
  }
  const opW = AMO_W_OPS[f5];
  if (opW === Op.ILLEGAL || f3 === 4) return illegal(raw, 4);
  if (opW === Op.LR_W && rs2 !== 0) return illegal(raw, 4);
  if (f3 < 2) {
    if (opW === Op.LR_W || opW === Op.SC_W) return illegal(raw, 4); // no byte/half LR/SC
    return mkInsn(opW + (f3 === 0 ? W_TO_B : W_TO_H), rd, rs1, rs2, 0, 0, 4, raw);
  }
  return mkInsn(f3 === 2 ? opW : opW + W_TO_D, rd, rs1, rs2, 0, 0, 4, raw);
}
