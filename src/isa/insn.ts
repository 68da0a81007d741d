import type { Op } from './opcodes.js';

/**
 * One decoded instruction. Decoding depends only on the instruction bits, so a decoded
 * Insn can be cached by `raw` and shared between addresses.
 *
 * Field use by format:
 * - rd, rs1, rs2: register numbers 0..31 (0 when the format has no such field).
 * - imm: the sign-extended immediate as a JS number. I/S/B/J formats: the offset;
 *   U format (LUI/AUIPC): the already-shifted value (raw & 0xfffff000, sign-extended
 *   from bit 31); shifts: the shift amount; FENCE: the 12-bit fm|pred|succ field.
 * - csr: the CSR number for Zicsr operations (0 otherwise). For CSRR*I the 5-bit
 *   unsigned immediate is in rs1.
 * - AMO/LR/SC: aq and rl are bits 26 and 25 of raw; rs2 is 0 for LR.
 */
export interface Insn {
  op: Op;
  rd: number;
  rs1: number;
  rs2: number;
  imm: number;
  csr: number;
  /** 2 for a compressed encoding, 4 otherwise. */
  len: 2 | 4;
  /** The encoding: 16 bits for RVC, 32 bits (as an unsigned number) otherwise. */
  raw: number;
}
