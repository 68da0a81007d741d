import { describe, it, expect } from 'vitest';
import { decode } from '../../src/isa/decode.js';
import { disassemble } from '../../src/isa/disasm.js';
import { Op } from '../../src/isa/opcodes.js';
import { HAND_WRITTEN, ILLEGAL_FIXTURE, RANDOM, loadFixture } from './objdump-fixtures.js';

// Words where objdump prints an instruction but the spec says the encoding is reserved.
// Legality follows the spec, so we print these as objdump prints unknown words.
const OBJDUMP_DISAGREES: ReadonlyMap<number, { ours: string; why: string }> = new Map([
  [0x6101, { ours: '.2byte\t0x6101', why: 'c.addi16sp with nzimm=0 is reserved; objdump says add sp,sp,0' }],
]);

function mismatches(name: string): string[] {
  const bad: string[] = [];
  for (const l of loadFixture(name)) {
    const insn = decode(l.raw);
    if (insn.len !== l.len) bad.push(`${l.where}: len ${insn.len}, objdump ${l.len}`);
    const expected = OBJDUMP_DISAGREES.get(l.raw)?.ours ?? l.text;
    const got = disassemble(insn, l.addr);
    if (got !== expected) bad.push(`${l.where}: ${l.raw.toString(16)} ${JSON.stringify(got)} != ${JSON.stringify(expected)}`);
  }
  return bad;
}

describe('disassemble matches riscv64-unknown-elf-objdump -d byte for byte', () => {
  for (const name of [...HAND_WRITTEN, ...RANDOM, ILLEGAL_FIXTURE]) {
    it(`${name}.txt`, () => {
      expect(mismatches(name)).toEqual([]);
    });
  }

  it('the known disagreements really are in the fixtures and really are reserved', () => {
    const raws = new Set(loadFixture(ILLEGAL_FIXTURE).map((l) => l.raw));
    for (const raw of OBJDUMP_DISAGREES.keys()) {
      expect(raws.has(raw)).toBe(true);
      expect(decode(raw).op).toBe(Op.ILLEGAL);
    }
  });
});

describe('alias coverage of the hand-written fixtures', () => {
  // Every mnemonic objdump chooses for RV64IMAC + Zicsr/Zifencei must be exercised.
  const REQUIRED = [
    'lui', 'auipc', 'j', 'jal', 'jr', 'jalr', 'ret',
    'beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu', 'beqz', 'bnez', 'blez', 'bgez', 'bltz', 'bgtz',
    'lb', 'lh', 'lw', 'ld', 'lbu', 'lhu', 'lwu', 'sb', 'sh', 'sw', 'sd',
    'nop', 'li', 'mv', 'add', 'slti', 'sltiu', 'seqz', 'xor', 'not', 'or', 'and', 'zext.b',
    'sll', 'srl', 'sra', 'sub', 'neg', 'slt', 'sltz', 'sgtz', 'sltu', 'snez',
    'sext.w', 'addw', 'sllw', 'srlw', 'sraw', 'subw', 'negw',
    'mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu',
    'mulw', 'divw', 'divuw', 'remw', 'remuw',
    'fence', 'fence.tso', 'pause', 'fence.i', 'ecall', 'ebreak', 'mret', 'sret', 'wfi',
    'sfence.vma', 'unimp',
    'csrrw', 'csrrs', 'csrrc', 'csrr', 'csrw', 'csrs', 'csrc', 'rdcycle', 'rdtime', 'rdinstret',
    'lr.w', 'lr.w.aq', 'lr.w.rl', 'lr.w.aqrl', 'sc.d.aqrl', 'amomaxu.d.aq',
    'c.nop', 'c.li', 'c.lui', 'c.mv', 'c.add', 'c.slli', 'c.slli64', 'c.srli64', 'c.srai64',
    '.4byte',
  ];
  it('every alias and mnemonic appears', () => {
    const seen = new Set<string>();
    for (const name of HAND_WRITTEN) for (const l of loadFixture(name)) seen.add(l.text.split('\t')[0]);
    expect(REQUIRED.filter((m) => !seen.has(m))).toEqual([]);
  });

  it('every operand pattern of sfence.vma and fence appears', () => {
    const texts = new Set(loadFixture('base').map((l) => l.text));
    for (const t of ['sfence.vma', 'sfence.vma\ta0', 'sfence.vma\ta0,a1', 'sfence.vma\tzero,a1',
      'fence', 'fence\trw,rw', 'fence\tunknown,unknown', 'fence\tiorw,unknown']) {
      expect(texts.has(t), t).toBe(true);
    }
  });
});

describe('disassemble details', () => {
  it('separates mnemonic and operands with one tab and prints no tab without operands', () => {
    expect(disassemble(decode(0x00b50533), 0n)).toBe('add\ta0,a0,a1');
    expect(disassemble(decode(0x00000013), 0n)).toBe('nop');
    expect(disassemble(decode(0x8082), 0n)).toBe('ret');
  });

  it('prints branch targets as bare 64-bit hex, wrapping below zero and above 2^64', () => {
    // beq a0,a1,-4096 at pc 0x10
    expect(disassemble(decode(0x80b50063), 0x10n)).toBe('beq\ta0,a1,fffffffffffff010');
    // jal ra,+0xffffe at the top of the address space
    expect(disassemble(decode(0x7ffff0ef), 0xfffffffffffffff0n)).toBe('jal\tfffee');
    // c.j -2048 at 0x800
    expect(disassemble(decode(0xb001), 0x800n)).toBe('j\t0');
  });

  it('prints illegal words as objdump prints unknown words', () => {
    expect(disassemble(decode(0x0000), 0n)).toBe('unimp');
    expect(disassemble(decode(0x2000), 0n)).toBe('.2byte\t0x2000');
    expect(disassemble(decode(0x0000006b), 0n)).toBe('.4byte\t0x6b');
    expect(disassemble(decode(0xffffffff), 0n)).toBe('.4byte\t0xffffffff');
    expect(disassemble(decode(0x7b200073), 0n)).toBe('dret');
  });

  it('never throws and never returns an empty string, for every 16-bit parcel', () => {
    for (let raw = 0; raw < 0x10000; raw++) {
      if ((raw & 3) === 3) continue;
      const s = disassemble(decode(raw), 0x80000000n);
      if (s === '' || s.includes('undefined')) throw new Error(`${raw.toString(16)}: ${s}`);
    }
  });

  it('never throws and never returns an empty string, for 32-bit words across all opcodes', () => {
    let x = 0x12345678;
    for (let i = 0; i < 200_000; i++) {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5; // xorshift32
      const raw = ((x | 3) >>> 0);
      const s = disassemble(decode(raw), 0n);
      if (s === '' || s.includes('undefined')) throw new Error(`${raw.toString(16)}: ${s}`);
    }
  });
});
