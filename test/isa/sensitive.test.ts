// The classification of sensitive instructions, on encodings assembled by hand.
import { describe, expect, it } from 'vitest';
import { decode } from '../../src/isa/decode.js';
import { Op } from '../../src/isa/opcodes.js';
import { SensitiveClass, classifySensitive, isSensitiveOp } from '../../src/isa/sensitive.js';

/** csrr{w,s,c}[i] rd, csr, rs1/uimm */
function csr(f3: number, rd: number, num: number, rs1: number): number {
  return ((num << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | 0x73) >>> 0;
}
const CSRRW = 1, CSRRS = 2, CSRRC = 3, CSRRWI = 5, CSRRSI = 6;

describe('classifySensitive', () => {
  const cases: [string, number, SensitiveClass | null][] = [
    ['rdtime', csr(CSRRS, 10, 0xc01, 0), SensitiveClass.CounterRead],
    ['rdcycle', csr(CSRRS, 10, 0xc00, 0), SensitiveClass.CounterRead],
    ['csrr minstret', csr(CSRRS, 10, 0xb02, 0), SensitiveClass.CounterRead],
    ['csrw mcycle (a write is not a counter read)', csr(CSRRW, 0, 0xb00, 11), SensitiveClass.CsrWrite],
    ['csrw stvec', csr(CSRRW, 0, 0x105, 11), SensitiveClass.TrapSetup],
    ['csrr mepc', csr(CSRRS, 10, 0x341, 0), SensitiveClass.TrapSetup],
    ['csrw satp', csr(CSRRW, 0, 0x180, 11), SensitiveClass.Satp],
    ['csrr satp', csr(CSRRS, 10, 0x180, 0), SensitiveClass.Satp],
    ['csrsi sstatus, SIE', csr(CSRRSI, 0, 0x100, 2), SensitiveClass.StatusWrite],
    ['csrs mie', csr(CSRRS, 0, 0x304, 11), SensitiveClass.StatusWrite],
    ['csrr mstatus (a read)', csr(CSRRS, 10, 0x300, 0), SensitiveClass.CsrRead],
    ['csrrwi misa', csr(CSRRWI, 10, 0x301, 0), SensitiveClass.CsrWrite],
    ['csrc sip', csr(CSRRC, 0, 0x144, 11), SensitiveClass.StatusWrite],
    ['mret', 0x30200073, SensitiveClass.Xret],
    ['sret', 0x10200073, SensitiveClass.Xret],
    ['wfi', 0x10500073, SensitiveClass.Wfi],
    ['sfence.vma', 0x12000073, SensitiveClass.SfenceVma],
    ['fence.i', 0x0000100f, SensitiveClass.FenceI],
    ['ecall', 0x00000073, SensitiveClass.Syscall],
    ['ebreak', 0x00100073, SensitiveClass.Syscall],
    ['c.ebreak', 0x9002, SensitiveClass.Syscall],
    ['add (not sensitive)', 0x00b50533, null],
    ['ld (sensitive only at a device)', 0x0005b503, null],
  ];
  for (const [name, raw, cls] of cases) {
    it(name, () => {
      const insn = decode(raw);
      expect(insn.op).not.toBe(Op.ILLEGAL);
      expect(classifySensitive(insn)).toBe(cls);
      expect(isSensitiveOp(insn.op)).toBe(cls !== null);
    });
  }
});
