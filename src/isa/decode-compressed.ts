// RVC (16-bit) decoder for RV64C, unprivileged spec 20191213 chapter 16. Every encoding
// expands to the base operation it is defined as (table 16.x "expansion"), with len 2,
// so executors never see RVC. The immediates come out already scrambled back into byte
// offsets / values, exactly as the expanded 32-bit instruction would carry them.
//
// Reserved encodings (nzimm/nzuimm = 0 where the spec requires non-zero, rd = 0 where it
// requires rd != 0, the reserved arithmetic slots, funct3 = 100 of quadrant 0) and the
// F/D forms (C.FLD, C.FSD, C.FLDSP, C.FSDSP: this machine has no FPU) decode as ILLEGAL.
// HINTs (c.nop with imm != 0, c.addi with imm = 0, c.li/c.lui/c.slli/c.mv/c.add with
// rd = 0, shifts by 0) are legal and decode to their expansion.

import { Op } from './opcodes.js';
import type { Insn } from './insn.js';
import { mkInsn, illegal } from './insn-build.js';

/** Decodes a 16-bit parcel whose bits [1:0] are not 0b11. */
export function decodeCompressed(raw: number): Insn {
  const f3 = raw >>> 13;
  switch (raw & 3) {
    case 0: return quadrant0(raw, f3);
    case 1: return quadrant1(raw, f3);
    case 2: return quadrant2(raw, f3);
  }
  return illegal(raw, 2);
}

/** rd'/rs1'/rs2' fields name x8..x15. */
function creg(field: number): number {
  return (field & 7) + 8;
}

/** imm[5] at bit 12, imm[4:0] at bits 6:2, sign-extended (CI format). */
function immCI(raw: number): number {
  return (((raw >>> 12) & 1) ? -32 : 0) | ((raw >>> 2) & 0x1f);
}

function quadrant0(raw: number, f3: number): Insn {
  const rdp = creg(raw >>> 2);
  const rs1p = creg(raw >>> 7);
  switch (f3) {
    case 0: { // C.ADDI4SPN: nzuimm[5:4|9:6|2|3] in bits 12:5
      const imm = (((raw >>> 11) & 3) << 4) | (((raw >>> 7) & 0xf) << 6)
        | (((raw >>> 6) & 1) << 2) | (((raw >>> 5) & 1) << 3);
      if (imm === 0) break; // includes the all-zero parcel, defined illegal
      return mkInsn(Op.ADDI, rdp, 2, 0, imm, 0, 2, raw);
    }
    case 2: // C.LW: uimm[5:3] in 12:10, uimm[2] in 6, uimm[6] in 5
      return mkInsn(Op.LW, rdp, rs1p, 0, uimmW(raw), 0, 2, raw);
    case 3: // C.LD: uimm[5:3] in 12:10, uimm[7:6] in 6:5
      return mkInsn(Op.LD, rdp, rs1p, 0, uimmD(raw), 0, 2, raw);
    case 6: // C.SW
      return mkInsn(Op.SW, 0, rs1p, rdp, uimmW(raw), 0, 2, raw);
    case 7: // C.SD
      return mkInsn(Op.SD, 0, rs1p, rdp, uimmD(raw), 0, 2, raw);
    // 1 C.FLD, 5 C.FSD: no FPU; 4: reserved.
  }
  return illegal(raw, 2);
}

function uimmW(raw: number): number {
  return (((raw >>> 10) & 7) << 3) | (((raw >>> 6) & 1) << 2) | (((raw >>> 5) & 1) << 6);
}

function uimmD(raw: number): number {
  return (((raw >>> 10) & 7) << 3) | (((raw >>> 5) & 3) << 6);
}

function quadrant1(raw: number, f3: number): Insn {
  const rd = (raw >>> 7) & 31;
  switch (f3) {
    case 0: // C.ADDI (C.NOP when rd = 0); the imm = 0 / rd = 0 forms are HINTs
      return mkInsn(Op.ADDI, rd, rd, 0, immCI(raw), 0, 2, raw);
    case 1: // C.ADDIW; rd = 0 is reserved
      if (rd === 0) break;
      return mkInsn(Op.ADDIW, rd, rd, 0, immCI(raw), 0, 2, raw);
    case 2: // C.LI
      return mkInsn(Op.ADDI, rd, 0, 0, immCI(raw), 0, 2, raw);
    case 3: {
      if (rd === 2) { // C.ADDI16SP: nzimm[9] in 12, [4|6|8:7|5] in 6:2
        const imm = (((raw >>> 12) & 1) ? -512 : 0) | (((raw >>> 6) & 1) << 4)
          | (((raw >>> 5) & 1) << 6) | (((raw >>> 3) & 3) << 7) | (((raw >>> 2) & 1) << 5);
        if (imm === 0) break;
        return mkInsn(Op.ADDI, 2, 2, 0, imm, 0, 2, raw);
      }
      // C.LUI: nzimm[17] in 12, nzimm[16:12] in 6:2; imm holds the shifted value like LUI
      const imm = immCI(raw) << 12;
      if (imm === 0) break;
      return mkInsn(Op.LUI, rd, 0, 0, imm, 0, 2, raw);
    }
    case 4: return arith(raw);
    case 5: // C.J: offset[11|4|9:8|10|6|7|3:1|5] in bits 12:2
      return mkInsn(Op.JAL, 0, 0, 0, immCJ(raw), 0, 2, raw);
    case 6: // C.BEQZ
      return mkInsn(Op.BEQ, 0, creg(raw >>> 7), 0, immCB(raw), 0, 2, raw);
    case 7: // C.BNEZ
      return mkInsn(Op.BNE, 0, creg(raw >>> 7), 0, immCB(raw), 0, 2, raw);
  }
  return illegal(raw, 2);
}

/** Quadrant 1, funct3 = 100: C.SRLI, C.SRAI, C.ANDI and the register-register ops. */
function arith(raw: number): Insn {
  const rd = creg(raw >>> 7);
  const shamt = (((raw >>> 12) & 1) << 5) | ((raw >>> 2) & 0x1f);
  switch ((raw >>> 10) & 3) {
    // RV64C: a 6-bit shamt; shamt = 0 is a HINT, so it still decodes.
    case 0: return mkInsn(Op.SRLI, rd, rd, 0, shamt, 0, 2, raw);
    case 1: return mkInsn(Op.SRAI, rd, rd, 0, shamt, 0, 2, raw);
    case 2: return mkInsn(Op.ANDI, rd, rd, 0, immCI(raw), 0, 2, raw);
  }
  const rs2 = creg(raw >>> 2);
  const f2 = (raw >>> 5) & 3;
  let op: Op;
  if ((raw & 0x1000) === 0) op = f2 === 0 ? Op.SUB : f2 === 1 ? Op.XOR : f2 === 2 ? Op.OR : Op.AND;
  else if (f2 === 0) op = Op.SUBW;
  else if (f2 === 1) op = Op.ADDW;
  else return illegal(raw, 2); // reserved
  return mkInsn(op, rd, rd, rs2, 0, 0, 2, raw);
}

function immCJ(raw: number): number {
  return (((raw >>> 12) & 1) ? -2048 : 0) | (((raw >>> 11) & 1) << 4) | (((raw >>> 9) & 3) << 8)
    | (((raw >>> 8) & 1) << 10) | (((raw >>> 7) & 1) << 6) | (((raw >>> 6) & 1) << 7)
    | (((raw >>> 3) & 7) << 1) | (((raw >>> 2) & 1) << 5);
}

function immCB(raw: number): number {
  return (((raw >>> 12) & 1) ? -256 : 0) | (((raw >>> 10) & 3) << 3) | (((raw >>> 5) & 3) << 6)
    | (((raw >>> 3) & 3) << 1) | (((raw >>> 2) & 1) << 5);
}

function quadrant2(raw: number, f3: number): Insn {
  const rd = (raw >>> 7) & 31;
  const rs2 = (raw >>> 2) & 31;
  switch (f3) {
    case 0: { // C.SLLI; rd = 0 and shamt = 0 are HINTs
      const shamt = (((raw >>> 12) & 1) << 5) | rs2;
      return mkInsn(Op.SLLI, rd, rd, 0, shamt, 0, 2, raw);
    }
    case 2: { // C.LWSP: uimm[5] in 12, [4:2|7:6] in 6:2; rd = 0 reserved
      if (rd === 0) break;
      const imm = (((raw >>> 12) & 1) << 5) | (((raw >>> 4) & 7) << 2) | (((raw >>> 2) & 3) << 6);
      return mkInsn(Op.LW, rd, 2, 0, imm, 0, 2, raw);
    }
    case 3: { // C.LDSP: uimm[5] in 12, [4:3|8:6] in 6:2; rd = 0 reserved
      if (rd === 0) break;
      const imm = (((raw >>> 12) & 1) << 5) | (((raw >>> 5) & 3) << 3) | (((raw >>> 2) & 7) << 6);
      return mkInsn(Op.LD, rd, 2, 0, imm, 0, 2, raw);
    }
    case 4:
      if ((raw & 0x1000) === 0) {
        if (rs2 !== 0) return mkInsn(Op.ADD, rd, 0, rs2, 0, 0, 2, raw); // C.MV
        if (rd === 0) break; // C.JR with rs1 = 0 is reserved
        return mkInsn(Op.JALR, 0, rd, 0, 0, 0, 2, raw); // C.JR
      }
      if (rs2 !== 0) return mkInsn(Op.ADD, rd, rd, rs2, 0, 0, 2, raw); // C.ADD
      if (rd === 0) return mkInsn(Op.EBREAK, 0, 0, 0, 0, 0, 2, raw); // C.EBREAK
      return mkInsn(Op.JALR, 1, rd, 0, 0, 0, 2, raw); // C.JALR
    case 6: { // C.SWSP: uimm[5:2|7:6] in 12:7
      const imm = (((raw >>> 9) & 0xf) << 2) | (((raw >>> 7) & 3) << 6);
      return mkInsn(Op.SW, 0, 2, rs2, imm, 0, 2, raw);
    }
    case 7: { // C.SDSP: uimm[5:3|8:6] in 12:7
      const imm = (((raw >>> 10) & 7) << 3) | (((raw >>> 7) & 7) << 6);
      return mkInsn(Op.SD, 0, 2, rs2, imm, 0, 2, raw);
    }
    // 1 C.FLDSP, 5 C.FSDSP: no FPU.
  }
  return illegal(raw, 2);
}
