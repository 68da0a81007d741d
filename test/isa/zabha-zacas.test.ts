// Zabha and Zacas encodings, from the ratified specs (binutils 2.40 cannot assemble them,
// so these words are built here by hand): AMO opcode 0x2f, funct5 in bits 31:27,
// aq/rl in 26:25, funct3 = 0 (.b), 1 (.h), 2 (.w), 3 (.d), 4 (.q, amocas only).
import { describe, expect, it } from 'vitest';
import { decode } from '../../src/isa/decode.js';
import { disassemble } from '../../src/isa/disasm.js';
import { Op } from '../../src/isa/opcodes.js';

function amo(f5: number, f3: number, rd: number, rs1: number, rs2: number, aqrl = 0): number {
  return ((f5 << 27) | (aqrl << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | 0x2f) >>> 0;
}

const CASES: Array<[number, keyof typeof Op, string]> = [
  [amo(0x00, 0, 14, 13, 11), 'AMOADD_B', 'amoadd.b\ta4,a1,(a3)'],
  [amo(0x08, 1, 14, 13, 11), 'AMOOR_H', 'amoor.h\ta4,a1,(a3)'],
  [amo(0x01, 0, 5, 6, 7, 3), 'AMOSWAP_B', 'amoswap.b.aqrl\tt0,t2,(t1)'],
  [amo(0x1c, 1, 10, 11, 12, 2), 'AMOMAXU_H', 'amomaxu.h.aq\ta0,a2,(a1)'],
  [amo(0x10, 0, 10, 11, 12), 'AMOMIN_B', 'amomin.b\ta0,a2,(a1)'],
  [amo(0x05, 0, 10, 11, 12), 'AMOCAS_B', 'amocas.b\ta0,a2,(a1)'],
  [amo(0x05, 1, 10, 11, 12), 'AMOCAS_H', 'amocas.h\ta0,a2,(a1)'],
  [amo(0x05, 2, 10, 11, 12, 1), 'AMOCAS_W', 'amocas.w.rl\ta0,a2,(a1)'],
  [amo(0x05, 3, 10, 11, 12), 'AMOCAS_D', 'amocas.d\ta0,a2,(a1)'],
  // riscv-tests' amocas_q uses this word for amocas.q a2,a4,0(a0)
  [0x28e5462f, 'AMOCAS_Q', 'amocas.q\ta2,a4,(a0)'],
];

describe('Zabha and Zacas', () => {
  for (const [raw, op, text] of CASES) {
    it(text, () => {
      const insn = decode(raw);
      expect(Op[insn.op]).toBe(op);
      expect(disassemble(insn, 0n)).toBe(text);
    });
  }
  it('reserved forms are illegal', () => {
    expect(decode(0x28e540af).op).toBe(Op.ILLEGAL); // amocas.q with odd rd (x1)
    expect(decode(0x2815402f).op).toBe(Op.ILLEGAL); // amocas.q with odd rs2 (x1)
    expect(decode(amo(0x02, 0, 10, 11, 0)).op).toBe(Op.ILLEGAL); // lr.b does not exist
    expect(decode(amo(0x03, 1, 10, 11, 12)).op).toBe(Op.ILLEGAL); // sc.h does not exist
    expect(decode(amo(0x00, 4, 10, 11, 12)).op).toBe(Op.ILLEGAL); // amoadd.q does not exist
    expect(decode(amo(0x05, 5, 10, 11, 12)).op).toBe(Op.ILLEGAL);
  });
});
