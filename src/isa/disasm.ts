// Disassembler: Insn -> the text GNU objdump prints in its instruction column, exactly:
// binutils 2.40 (Debian bookworm's riscv64-unknown-elf-objdump -d, default options, so
// with aliases) on an object assembled with -march=rv64imac_zicsr_zifencei_zihintpause
// -mpriv-spec=1.12. test/fixtures/objdump/ holds objdump's own output to compare with.
//
// objdump prints the first entry of its opcode table that matches the bits, and aliases
// come before base instructions, so each case below is a list of "does this alias
// match" tests in table order. That explains the surprises: 2.40 lists the immediate
// forms of add/and/or/xor/sll/srl/sra/addw/sllw/... before addi/andi/ori/xori/slli/...,
// so ADDI prints as "add a0,a1,-5" and SLLI as "sll a0,a1,0x3", and csrrwi prints as
// "csrrw a0,mstatus,3". RVC forms print as their expansion ("add sp,sp,-16", "ret"),
// except HINTs, which objdump names c.nop/c.li/c.lui/c.mv/c.add/c.slli/c.slli64/...
//
// The text is byte for byte: mnemonic, one TAB, operands joined by "," with no spaces;
// no TAB when there are no operands. Two things objdump appends need context this
// function does not have and are left out: the " <symbol+off>" after a branch target
// and the " # address" comment it derives from an earlier lui/auipc.
//
// Words that decode as Op.ILLEGAL print as objdump prints an unknown word: ".2byte 0x…"
// or ".4byte 0x…" (hex, no leading zeros); the all-zero parcel is "unimp", and the
// obsolete uret/hret/sfence.vm and the debug-mode dret keep their names, all as objdump.
// Where objdump gives a mnemonic to a word the spec reserves (only c.addi16sp with
// nzimm=0, 0x6101, which it calls "add sp,sp,0") we print ".2byte 0x6101": legality
// follows the spec, not objdump. Encodings longer than 32 bits are not supported; their
// first 32 bits print as ".4byte".

import { amoShape } from './amo.js';
import { Op } from './opcodes.js';
import type { Insn } from './insn.js';
import { ABI_NAMES } from './registers.js';
import { objdumpCsrName } from './disasm-csr-names.js';

const MASK64 = (1n << 64n) - 1n;

function x(r: number): string {
  return ABI_NAMES[r];
}

function hex(n: number): string {
  return '0x' + (n >>> 0).toString(16);
}

function t(mnemonic: string, operands: string): string {
  return operands === '' ? mnemonic : `${mnemonic}\t${operands}`;
}

/** A branch or jump target: the absolute address, in hex without 0x, as objdump. */
function target(pc: bigint, offset: number): string {
  return ((pc + BigInt(offset)) & MASK64).toString(16);
}

/** The 20-bit U-immediate field, as objdump prints lui/auipc operands. */
function uimm20(imm: number): string {
  return hex((imm >>> 12) & 0xfffff);
}

// Words that are ILLEGAL here but that objdump still names: instructions of privileged
// specs before 1.10 (uret, hret, sfence.vm) and the debug-mode-only dret. sfence.vm
// with a register operand is matched by mask below.
const OBSOLETE_NAMES: Record<number, string> = {
  0x00200073: 'uret', 0x20200073: 'hret', 0x7b200073: 'dret', 0x10400073: 'sfence.vm',
};

function unknown(insn: Insn): string {
  if (insn.len === 2) return insn.raw === 0 ? 'unimp' : `.2byte\t${hex(insn.raw)}`;
  const name = OBSOLETE_NAMES[insn.raw];
  if (name !== undefined) return name;
  if ((insn.raw & 0xfff07fff) === 0x10400073) return t('sfence.vm', x((insn.raw >>> 15) & 31));
  return `.4byte\t${hex(insn.raw)}`;
}

const LRSC_NAMES: Partial<Record<Op, string>> = {
  [Op.LR_W]: 'lr.w', [Op.SC_W]: 'sc.w', [Op.LR_D]: 'lr.d', [Op.SC_D]: 'sc.d',
};

const AQRL_SUFFIX = ['', '.rl', '.aq', '.aqrl'];

// Register-register operations printed without any alias.
const RR_NAMES: Partial<Record<Op, string>> = {
  [Op.SLL]: 'sll', [Op.XOR]: 'xor', [Op.SRL]: 'srl', [Op.SRA]: 'sra', [Op.OR]: 'or',
  [Op.AND]: 'and', [Op.SLLW]: 'sllw', [Op.SRLW]: 'srlw', [Op.SRAW]: 'sraw', [Op.ADDW]: 'addw',
  [Op.MUL]: 'mul', [Op.MULH]: 'mulh', [Op.MULHSU]: 'mulhsu', [Op.MULHU]: 'mulhu',
  [Op.DIV]: 'div', [Op.DIVU]: 'divu', [Op.REM]: 'rem', [Op.REMU]: 'remu',
  [Op.MULW]: 'mulw', [Op.DIVW]: 'divw', [Op.DIVUW]: 'divuw', [Op.REMW]: 'remw', [Op.REMUW]: 'remuw',
};

const LOAD_NAMES: Partial<Record<Op, string>> = {
  [Op.LB]: 'lb', [Op.LH]: 'lh', [Op.LW]: 'lw', [Op.LD]: 'ld', [Op.LBU]: 'lbu', [Op.LHU]: 'lhu',
  [Op.LWU]: 'lwu',
};

const STORE_NAMES: Partial<Record<Op, string>> = {
  [Op.SB]: 'sb', [Op.SH]: 'sh', [Op.SW]: 'sw', [Op.SD]: 'sd',
};

/** Formats one decoded instruction located at `pc` the way objdump -d does. */
export function disassemble(insn: Insn, pc: bigint): string {
  const { op, rd, rs1, rs2, imm } = insn;
  switch (op) {
    case Op.ILLEGAL: return unknown(insn);
    case Op.LUI: return t(insn.len === 2 && rd === 0 ? 'c.lui' : 'lui', `${x(rd)},${uimm20(imm)}`);
    case Op.AUIPC: return t('auipc', `${x(rd)},${uimm20(imm)}`);
    case Op.JAL:
      if (rd === 0) return t('j', target(pc, imm));
      if (rd === 1) return t('jal', target(pc, imm));
      return t('jal', `${x(rd)},${target(pc, imm)}`);
    case Op.JALR: return jalr(insn);
    case Op.BEQ:
      if (rs2 === 0) return t('beqz', `${x(rs1)},${target(pc, imm)}`);
      return t('beq', `${x(rs1)},${x(rs2)},${target(pc, imm)}`);
    case Op.BNE:
      if (rs2 === 0) return t('bnez', `${x(rs1)},${target(pc, imm)}`);
      return t('bne', `${x(rs1)},${x(rs2)},${target(pc, imm)}`);
    case Op.BLT:
      if (rs2 === 0) return t('bltz', `${x(rs1)},${target(pc, imm)}`);
      if (rs1 === 0) return t('bgtz', `${x(rs2)},${target(pc, imm)}`);
      return t('blt', `${x(rs1)},${x(rs2)},${target(pc, imm)}`);
    case Op.BGE:
      if (rs1 === 0) return t('blez', `${x(rs2)},${target(pc, imm)}`);
      if (rs2 === 0) return t('bgez', `${x(rs1)},${target(pc, imm)}`);
      return t('bge', `${x(rs1)},${x(rs2)},${target(pc, imm)}`);
    case Op.BLTU: return t('bltu', `${x(rs1)},${x(rs2)},${target(pc, imm)}`);
    case Op.BGEU: return t('bgeu', `${x(rs1)},${x(rs2)},${target(pc, imm)}`);
    case Op.LB: case Op.LH: case Op.LW: case Op.LD: case Op.LBU: case Op.LHU: case Op.LWU:
      return t(LOAD_NAMES[op]!, `${x(rd)},${imm}(${x(rs1)})`);
    case Op.SB: case Op.SH: case Op.SW: case Op.SD:
      return t(STORE_NAMES[op]!, `${x(rs2)},${imm}(${x(rs1)})`);
    case Op.ADDI: return addi(insn);
    case Op.SLTI: return t('slti', `${x(rd)},${x(rs1)},${imm}`);
    case Op.SLTIU:
      if (imm === 1) return t('seqz', `${x(rd)},${x(rs1)}`);
      return t('sltiu', `${x(rd)},${x(rs1)},${imm}`);
    case Op.XORI:
      if (imm === -1) return t('not', `${x(rd)},${x(rs1)}`);
      return t('xor', `${x(rd)},${x(rs1)},${imm}`);
    case Op.ORI: return t('or', `${x(rd)},${x(rs1)},${imm}`);
    case Op.ANDI:
      if (imm === 255) return t('zext.b', `${x(rd)},${x(rs1)}`);
      return t('and', `${x(rd)},${x(rs1)},${imm}`);
    case Op.SLLI: return shiftImm(insn, 'sll', 'c.slli');
    case Op.SRLI: return shiftImm(insn, 'srl', 'c.srli');
    case Op.SRAI: return shiftImm(insn, 'sra', 'c.srai');
    case Op.ADD:
      if (insn.len === 2) return cAdd(insn);
      return t('add', `${x(rd)},${x(rs1)},${x(rs2)}`);
    case Op.SUB:
      if (rs1 === 0) return t('neg', `${x(rd)},${x(rs2)}`);
      return t('sub', `${x(rd)},${x(rs1)},${x(rs2)}`);
    case Op.SLT:
      if (rs2 === 0) return t('sltz', `${x(rd)},${x(rs1)}`);
      if (rs1 === 0) return t('sgtz', `${x(rd)},${x(rs2)}`);
      return t('slt', `${x(rd)},${x(rs1)},${x(rs2)}`);
    case Op.SLTU:
      if (rs1 === 0) return t('snez', `${x(rd)},${x(rs2)}`);
      return t('sltu', `${x(rd)},${x(rs1)},${x(rs2)}`);
    case Op.ADDIW:
      if (imm === 0) return t('sext.w', `${x(rd)},${x(rs1)}`);
      return t('addw', `${x(rd)},${x(rs1)},${imm}`);
    case Op.SLLIW: return t('sllw', `${x(rd)},${x(rs1)},${hex(imm)}`);
    case Op.SRLIW: return t('srlw', `${x(rd)},${x(rs1)},${hex(imm)}`);
    case Op.SRAIW: return t('sraw', `${x(rd)},${x(rs1)},${hex(imm)}`);
    case Op.SUBW:
      if (rs1 === 0) return t('negw', `${x(rd)},${x(rs2)}`);
      return t('subw', `${x(rd)},${x(rs1)},${x(rs2)}`);
    case Op.FENCE: return fence(insn);
    case Op.FENCE_I: // objdump only knows the form with all the reserved fields zero
      return insn.raw === 0x0000100f ? 'fence.i' : unknown(insn);
    case Op.ECALL: return 'ecall';
    case Op.EBREAK: return 'ebreak';
    case Op.MRET: return 'mret';
    case Op.SRET: return 'sret';
    case Op.WFI: return 'wfi';
    case Op.SFENCE_VMA:
      if (rs2 !== 0) return t('sfence.vma', `${x(rs1)},${x(rs2)}`);
      if (rs1 !== 0) return t('sfence.vma', x(rs1));
      return 'sfence.vma';
    case Op.CSRRW: case Op.CSRRS: case Op.CSRRC:
    case Op.CSRRWI: case Op.CSRRSI: case Op.CSRRCI:
      return csr(insn);
    case Op.LR_W: case Op.LR_D:
      return t(LRSC_NAMES[op]! + AQRL_SUFFIX[(insn.raw >>> 25) & 3], `${x(rd)},(${x(rs1)})`);
    case Op.SC_W: case Op.SC_D:
      return t(LRSC_NAMES[op]! + AQRL_SUFFIX[(insn.raw >>> 25) & 3], `${x(rd)},${x(rs2)},(${x(rs1)})`);
    default: {
      // Zabha and Zacas postdate Debian's binutils 2.40; they print in the same style.
      const amo = amoShape(op);
      if (amo) return t(amo.name + AQRL_SUFFIX[(insn.raw >>> 25) & 3], `${x(rd)},${x(rs2)},(${x(rs1)})`);
      const name = RR_NAMES[op];
      if (name !== undefined) return t(name, `${x(rd)},${x(rs1)},${x(rs2)}`);
      return unknown(insn);
    }
  }
}

function jalr(insn: Insn): string {
  const { rd, rs1, imm } = insn;
  const addr = imm === 0 ? x(rs1) : `${imm}(${x(rs1)})`;
  if (rd === 0) return rs1 === 1 && imm === 0 ? 'ret' : t('jr', addr);
  if (rd === 1) return t('jalr', addr);
  return t('jalr', `${x(rd)},${addr}`);
}

// Compressed HINT forms (rd = 0, or shift by 0) have no alias in objdump's table, so it
// prints them under their own c.* names; all other RVC forms print as their expansion.

function shiftImm(insn: Insn, name: string, cName: string): string {
  const { rd, rs1, imm } = insn;
  if (insn.len === 2) {
    if (imm === 0) return t(`${cName}64`, x(rd)); // the RV128 "shift by 64" encoding
    if (rd === 0) return t(cName, `${x(rd)},${hex(imm)}`);
  }
  return t(name, `${x(rd)},${x(rs1)},${hex(imm)}`);
}

function cAdd(insn: Insn): string {
  const { rd, rs2 } = insn;
  const isMv = (insn.raw & 0x1000) === 0;
  if (rd === 0) return t(isMv ? 'c.mv' : 'c.add', `${x(rd)},${x(rs2)}`);
  return isMv ? t('mv', `${x(rd)},${x(rs2)}`) : t('add', `${x(rd)},${x(rd)},${x(rs2)}`);
}

function addi(insn: Insn): string {
  const { rd, rs1, imm } = insn;
  if (insn.len === 2) {
    const c = insn.raw;
    if (c === 0x0001) return 'nop';
    switch (c & 0xe003) {
      case 0x0001: // c.addi / c.nop
        return rd === 0 ? t('c.nop', `${imm}`) : t('add', `${x(rd)},${x(rd)},${imm}`);
      case 0x4001: // c.li
        return rd === 0 ? t('c.li', `${x(rd)},${imm}`) : t('li', `${x(rd)},${imm}`);
      default: // c.addi4spn, c.addi16sp
        return t('add', `${x(rd)},${x(rs1)},${imm}`);
    }
  }
  if (rd === 0 && rs1 === 0 && imm === 0) return 'nop';
  if (rs1 === 0) return t('li', `${x(rd)},${imm}`);
  if (imm === 0) return t('mv', `${x(rd)},${x(rs1)}`);
  return t('add', `${x(rd)},${x(rs1)},${imm}`);
}

const FENCE_SET = ['unknown', 'w', 'r', 'rw', 'o', 'ow', 'or', 'orw',
  'i', 'iw', 'ir', 'irw', 'io', 'iow', 'ior', 'iorw'];

// FENCE with a reserved fm or non-zero rd/rs1 is still a FENCE (the spec says to run it
// as an ordinary fence), but objdump has no table entry for it and prints ".4byte".
// "pause" (fence w,0) is the Zihintpause name objdump uses when that extension is in the
// object's arch string, which the fixtures' is.
function fence(insn: Insn): string {
  const field = insn.imm;
  if (field === 0x833 && insn.rd === 0 && insn.rs1 === 0) return 'fence.tso';
  if ((field >>> 8) !== 0 || insn.rd !== 0 || insn.rs1 !== 0) return unknown(insn);
  if (field === 0x0ff) return 'fence';
  if (field === 0x010) return 'pause';
  return t('fence', `${FENCE_SET[(field >>> 4) & 15]},${FENCE_SET[field & 15]}`);
}

const COUNTER_ALIASES: Record<number, string> = { 0xc00: 'rdcycle', 0xc01: 'rdtime', 0xc02: 'rdinstret' };

function csr(insn: Insn): string {
  const { op, rd, rs1 } = insn;
  const name = objdumpCsrName(insn.csr);
  switch (op) {
    case Op.CSRRW:
      if (insn.raw === 0xc0001073) return 'unimp'; // csrrw zero,cycle,zero: the 32-bit unimp
      if (rd === 0) return t('csrw', `${name},${x(rs1)}`);
      return t('csrrw', `${x(rd)},${name},${x(rs1)}`);
    case Op.CSRRS:
      if (rs1 === 0) {
        const alias = COUNTER_ALIASES[insn.csr];
        if (alias !== undefined) return t(alias, x(rd));
        return t('csrr', `${x(rd)},${name}`);
      }
      if (rd === 0) return t('csrs', `${name},${x(rs1)}`);
      return t('csrrs', `${x(rd)},${name},${x(rs1)}`);
    case Op.CSRRC:
      if (rd === 0) return t('csrc', `${name},${x(rs1)}`);
      return t('csrrc', `${x(rd)},${name},${x(rs1)}`);
    case Op.CSRRWI:
      if (rd === 0) return t('csrw', `${name},${rs1}`);
      return t('csrrw', `${x(rd)},${name},${rs1}`);
    case Op.CSRRSI:
      if (rd === 0) return t('csrs', `${name},${rs1}`);
      return t('csrrs', `${x(rd)},${name},${rs1}`);
    default: // CSRRCI
      if (rd === 0) return t('csrc', `${name},${rs1}`);
      return t('csrrc', `${x(rd)},${name},${rs1}`);
  }
}
