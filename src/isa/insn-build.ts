// Construction of Insn objects, shared by the 32-bit and the compressed decoders.
import { Op } from './opcodes.js';
import type { Insn } from './insn.js';

/**
 * Builds an Insn. Every decoder path goes through here so that all Insns are created
 * with the same property order, i.e. one hidden class for V8 (monomorphic executors).
 */
export function mkInsn(
  op: Op, rd: number, rs1: number, rs2: number, imm: number, csr: number, len: 2 | 4, raw: number,
): Insn {
  return { op, rd, rs1, rs2, imm, csr, len, raw };
}

/** The Insn for an encoding that is not a legal instruction on this machine. */
export function illegal(raw: number, len: 2 | 4): Insn {
  return mkInsn(Op.ILLEGAL, 0, 0, 0, 0, 0, len, raw);
}
