import { describe, it, expect } from 'vitest';
import { decode } from '../../src/isa/decode.js';
import { Op, OP_COUNT } from '../../src/isa/opcodes.js';
import type { Insn } from '../../src/isa/insn.js';
import { HAND_WRITTEN, ILLEGAL_FIXTURE, RANDOM, loadFixture, newerThanObjdump } from './objdump-fixtures.js';

type OpName = keyof typeof Op;

/** The Insn decode must return for raw (len follows from bits [1:0]). */
function want(raw: number, op: OpName, rd: number, rs1: number, rs2: number, imm: number, csr = 0): Insn {
  const len = (raw & 3) === 3 ? 4 : 2;
  return { op: Op[op], rd, rs1, rs2, imm, csr, len, raw: len === 2 ? raw & 0xffff : raw >>> 0 };
}

describe('decode: fields of 32-bit encodings', () => {
  const cases: Array<[string, Insn]> = [
    ['lui a0,0xfffff', want(0xfffff537, 'LUI', 10, 0, 0, -4096)],
    ['lui zero,0x80000', want(0x80000037, 'LUI', 0, 0, 0, -0x80000000)],
    ['lui t6,0x7ffff', want(0x7fffffb7, 'LUI', 31, 0, 0, 0x7ffff000)],
    ['auipc sp,0xfffff', want(0xfffff117, 'AUIPC', 2, 0, 0, -4096)],
    ['jal a0,+0xffffe', want(0x7ffff56f, 'JAL', 10, 0, 0, 0xffffe)],
    ['jal ra,-0x100000', want(0x800000ef, 'JAL', 1, 0, 0, -0x100000)],
    ['jal s11,-2', want(0xfffffdef, 'JAL', 27, 0, 0, -2)],
    ['jalr ra,-2048(a0)', want(0x800500e7, 'JALR', 1, 10, 0, -2048)],
    ['jalr ra,2047(t6)', want(0x7fff80e7, 'JALR', 1, 31, 0, 2047)],
    ['beq a0,a1,+4094', want(0x7eb50fe3, 'BEQ', 0, 10, 11, 4094)],
    ['beq a0,zero,-4096', want(0x80050063, 'BEQ', 0, 10, 0, -4096)],
    ['bne a0,a1,-2', want(0xfeb51fe3, 'BNE', 0, 10, 11, -2)],
    ['bne a0,zero,+2', want(0x00051163, 'BNE', 0, 10, 0, 2)],
    ['blt a1,a0', want(0x02a5c063, 'BLT', 0, 11, 10, 32)],
    ['bgeu a0,a1,+4094', want(0x7eb57fe3, 'BGEU', 0, 10, 11, 4094)],
    ['lb a0,-2048(a1)', want(0x80058503, 'LB', 10, 11, 0, -2048)],
    ['lh a0,2047(a1)', want(0x7ff59503, 'LH', 10, 11, 0, 2047)],
    ['lhu s11,-1(t6)', want(0xffffdd83, 'LHU', 27, 31, 0, -1)],
    ['lwu a5,2047(gp)', want(0x7ff1e783, 'LWU', 15, 3, 0, 2047)],
    ['ld zero,0(tp)', want(0x00023003, 'LD', 0, 4, 0, 0)],
    ['sb a0,-2048(a1)', want(0x80a58023, 'SB', 0, 11, 10, -2048)],
    ['sh a0,2047(a1)', want(0x7ea59fa3, 'SH', 0, 11, 10, 2047)],
    ['sd t6,2040(s0)', want(0x7ff43c23, 'SD', 0, 8, 31, 2040)],
    ['sd ra,-8(sp)', want(0xfe113c23, 'SD', 0, 2, 1, -8)],
    ['addi zero,zero,5 (hint)', want(0x00500013, 'ADDI', 0, 0, 0, 5)],
    ['sltiu a0,a1,-1', want(0xfff5b513, 'SLTIU', 10, 11, 0, -1)],
    ['slli a0,a1,63', want(0x03f59513, 'SLLI', 10, 11, 0, 63)],
    ['srli t6,t6,32', want(0x020fdf93, 'SRLI', 31, 31, 0, 32)],
    ['srai a0,a1,63', want(0x43f5d513, 'SRAI', 10, 11, 0, 63)],
    ['srai s0,s1,33', want(0x4214d413, 'SRAI', 8, 9, 0, 33)],
    ['addiw a0,a1,-2048', want(0x8005851b, 'ADDIW', 10, 11, 0, -2048)],
    ['slliw a0,a1,31', want(0x01f5951b, 'SLLIW', 10, 11, 0, 31)],
    ['sraiw a0,a1,31', want(0x41f5d51b, 'SRAIW', 10, 11, 0, 31)],
    ['sub a0,a1,a2', want(0x40c58533, 'SUB', 10, 11, 12, 0)],
    ['remuw t0,t1,t2', want(0x027372bb, 'REMUW', 5, 6, 7, 0)],
    ['negw a0,a1', want(0x40b0053b, 'SUBW', 10, 0, 11, 0)],
    ['fence', want(0x0ff0000f, 'FENCE', 0, 0, 0, 0x0ff)],
    ['fence.tso', want(0x8330000f, 'FENCE', 0, 0, 0, 0x833)],
    ['pause', want(0x0100000f, 'FENCE', 0, 0, 0, 0x010)],
    ['fence, reserved fm', want(0x4330000f, 'FENCE', 0, 0, 0, 0x433)],
    ['fence, rd/rs1 set', want(0x0ff5050f, 'FENCE', 10, 10, 0, 0x0ff)],
    ['fence.i', want(0x0000100f, 'FENCE_I', 0, 0, 0, 0)],
    ['fence.i, reserved fields set', want(0x0015100f, 'FENCE_I', 0, 10, 0, 1)],
    ['ecall', want(0x00000073, 'ECALL', 0, 0, 0, 0)],
    ['ebreak', want(0x00100073, 'EBREAK', 0, 0, 0, 0)],
    ['mret', want(0x30200073, 'MRET', 0, 0, 0, 0)],
    ['sret', want(0x10200073, 'SRET', 0, 0, 0, 0)],
    ['wfi', want(0x10500073, 'WFI', 0, 0, 0, 0)],
    ['sfence.vma t6,t6', want(0x13ff8073, 'SFENCE_VMA', 0, 31, 31, 0)],
    ['sfence.vma a0', want(0x12050073, 'SFENCE_VMA', 0, 10, 0, 0)],
    ['unimp = csrrw zero,cycle,zero', want(0xc0001073, 'CSRRW', 0, 0, 0, 0, 0xc00)],
    ['csrrw a0,mstatus,a1', want(0x30059573, 'CSRRW', 10, 11, 0, 0, 0x300)],
    ['csrrs zero,time,zero', want(0xc0102073, 'CSRRS', 0, 0, 0, 0, 0xc01)],
    ['csrrc a0,mie,a1', want(0x3045b573, 'CSRRC', 10, 11, 0, 0, 0x304)],
    ['csrwi mtvec,31', want(0x305fd073, 'CSRRWI', 0, 31, 0, 0, 0x305)],
    ['csrrsi a0,sstatus,2', want(0x10016573, 'CSRRSI', 10, 2, 0, 0, 0x100)],
    ['csrrci a0,sip,31', want(0x144ff573, 'CSRRCI', 10, 31, 0, 0, 0x144)],
    ['csrr a0,0xfff', want(0xfff02573, 'CSRRS', 10, 0, 0, 0, 0xfff)],
    ['lr.w.aqrl a0,(a1)', want(0x1605a52f, 'LR_W', 10, 11, 0, 0)],
    ['lr.d a0,(a1)', want(0x1005b52f, 'LR_D', 10, 11, 0, 0)],
    ['sc.d.aqrl a0,a2,(a1)', want(0x1ec5b52f, 'SC_D', 10, 11, 12, 0)],
    ['amomaxu.d.aq a0,a2,(a1)', want(0xe4c5b52f, 'AMOMAXU_D', 10, 11, 12, 0)],
    ['amoadd.w.rl a0,a2,(a1)', want(0x02c5a52f, 'AMOADD_W', 10, 11, 12, 0)],
  ];
  for (const [name, insn] of cases) {
    it(name, () => expect(decode(insn.raw)).toEqual(insn));
  }

  it('takes the raw word as a signed or unsigned number alike', () => {
    expect(decode(0xfffff537 | 0)).toEqual(decode(0xfffff537));
    expect(decode(0xfffff537 | 0).raw).toBe(0xfffff537);
  });
});

describe('decode: compressed encodings expand to the base operation with len 2', () => {
  const cases: Array<[string, Insn]> = [
    // CIW
    ['c.addi4spn s0,sp,4', want(0x0040, 'ADDI', 8, 2, 0, 4)],
    ['c.addi4spn s0,sp,8', want(0x0020, 'ADDI', 8, 2, 0, 8)],
    ['c.addi4spn s1,sp,16', want(0x0804, 'ADDI', 9, 2, 0, 16)],
    ['c.addi4spn a0,sp,32', want(0x1008, 'ADDI', 10, 2, 0, 32)],
    ['c.addi4spn a1,sp,64', want(0x008c, 'ADDI', 11, 2, 0, 64)],
    ['c.addi4spn a2,sp,128', want(0x0110, 'ADDI', 12, 2, 0, 128)],
    ['c.addi4spn a3,sp,256', want(0x0214, 'ADDI', 13, 2, 0, 256)],
    ['c.addi4spn a4,sp,512', want(0x0418, 'ADDI', 14, 2, 0, 512)],
    ['c.addi4spn a5,sp,1020', want(0x1ffc, 'ADDI', 15, 2, 0, 1020)],
    // CL / CS
    ['c.lw s1,4(a5)', want(0x43c4, 'LW', 9, 15, 0, 4)],
    ['c.lw a3,64(a0)', want(0x4134, 'LW', 13, 10, 0, 64)],
    ['c.lw a5,124(s1)', want(0x5cfc, 'LW', 15, 9, 0, 124)],
    ['c.ld a4,128(a1)', want(0x61d8, 'LD', 14, 11, 0, 128)],
    ['c.ld a3,64(a1)', want(0x61b4, 'LD', 13, 11, 0, 64)],
    ['c.ld a5,248(a5)', want(0x7ffc, 'LD', 15, 15, 0, 248)],
    ['c.sw a5,124(s1)', want(0xdcfc, 'SW', 0, 9, 15, 124)],
    ['c.sw s1,4(a5)', want(0xc3c4, 'SW', 0, 15, 9, 4)],
    ['c.sd a5,248(a5)', want(0xfffc, 'SD', 0, 15, 15, 248)],
    ['c.sd a4,128(a1)', want(0xe1d8, 'SD', 0, 11, 14, 128)],
    // CI
    ['c.nop', want(0x0001, 'ADDI', 0, 0, 0, 0)],
    ['c.nop -32 (hint)', want(0x1001, 'ADDI', 0, 0, 0, -32)],
    ['c.addi t6,-32', want(0x1f81, 'ADDI', 31, 31, 0, -32)],
    ['c.addi ra,31', want(0x00fd, 'ADDI', 1, 1, 0, 31)],
    ['c.addi a0,0 (hint)', want(0x0501, 'ADDI', 10, 10, 0, 0)],
    ['c.addiw t6,-32', want(0x3f81, 'ADDIW', 31, 31, 0, -32)],
    ['c.addiw a0,0', want(0x2501, 'ADDIW', 10, 10, 0, 0)],
    ['c.li t6,-32', want(0x5f81, 'ADDI', 31, 0, 0, -32)],
    ['c.li zero,-1 (hint)', want(0x507d, 'ADDI', 0, 0, 0, -1)],
    ['c.addi16sp -512', want(0x7101, 'ADDI', 2, 2, 0, -512)],
    ['c.addi16sp 496', want(0x617d, 'ADDI', 2, 2, 0, 496)],
    ['c.addi16sp 16', want(0x6141, 'ADDI', 2, 2, 0, 16)],
    ['c.addi16sp 32', want(0x6105, 'ADDI', 2, 2, 0, 32)],
    ['c.addi16sp 64', want(0x6121, 'ADDI', 2, 2, 0, 64)],
    ['c.addi16sp 128', want(0x6109, 'ADDI', 2, 2, 0, 128)],
    ['c.addi16sp 256', want(0x6111, 'ADDI', 2, 2, 0, 256)],
    ['c.lui ra,0xfffe0', want(0x7081, 'LUI', 1, 0, 0, -0x20000)],
    ['c.lui a0,0x1f', want(0x657d, 'LUI', 10, 0, 0, 0x1f000)],
    ['c.lui t6,0xfffff', want(0x7ffd, 'LUI', 31, 0, 0, -4096)],
    ['c.lui zero,0xfffff (hint)', want(0x707d, 'LUI', 0, 0, 0, -4096)],
    ['c.slli ra,63', want(0x10fe, 'SLLI', 1, 1, 0, 63)],
    ['c.slli t6,32', want(0x1f82, 'SLLI', 31, 31, 0, 32)],
    ['c.slli a0,0 (hint)', want(0x0502, 'SLLI', 10, 10, 0, 0)],
    ['c.slli zero,63 (hint)', want(0x107e, 'SLLI', 0, 0, 0, 63)],
    ['c.lwsp a4,252(sp)', want(0x577e, 'LW', 14, 2, 0, 252)],
    ['c.lwsp a0,4(sp)', want(0x4512, 'LW', 10, 2, 0, 4)],
    ['c.lwsp a1,32(sp)', want(0x5582, 'LW', 11, 2, 0, 32)],
    ['c.lwsp a2,64(sp)', want(0x4606, 'LW', 12, 2, 0, 64)],
    ['c.lwsp a3,128(sp)', want(0x468a, 'LW', 13, 2, 0, 128)],
    ['c.ldsp sp,504(sp)', want(0x717e, 'LD', 2, 2, 0, 504)],
    ['c.ldsp ra,8(sp)', want(0x60a2, 'LD', 1, 2, 0, 8)],
    ['c.ldsp a1,32(sp)', want(0x7582, 'LD', 11, 2, 0, 32)],
    ['c.ldsp a2,64(sp)', want(0x6606, 'LD', 12, 2, 0, 64)],
    ['c.ldsp a4,256(sp)', want(0x6712, 'LD', 14, 2, 0, 256)],
    // CB: shifts, andi, branches
    ['c.srli a5,63', want(0x93fd, 'SRLI', 15, 15, 0, 63)],
    ['c.srli a0,0 (hint)', want(0x8101, 'SRLI', 10, 10, 0, 0)],
    ['c.srai a5,63', want(0x97fd, 'SRAI', 15, 15, 0, 63)],
    ['c.srai a0,32', want(0x9501, 'SRAI', 10, 10, 0, 32)],
    ['c.andi a1,-32', want(0x9981, 'ANDI', 11, 11, 0, -32)],
    ['c.andi a5,31', want(0x8bfd, 'ANDI', 15, 15, 0, 31)],
    ['c.beqz s0,+2', want(0xc009, 'BEQ', 0, 8, 0, 2)],
    ['c.beqz a0,+4', want(0xc111, 'BEQ', 0, 10, 0, 4)],
    ['c.beqz a1,+8', want(0xc581, 'BEQ', 0, 11, 0, 8)],
    ['c.beqz a2,+16', want(0xca01, 'BEQ', 0, 12, 0, 16)],
    ['c.beqz a3,+32', want(0xc285, 'BEQ', 0, 13, 0, 32)],
    ['c.beqz a4,+64', want(0xc321, 'BEQ', 0, 14, 0, 64)],
    ['c.beqz a5,+128', want(0xc3c1, 'BEQ', 0, 15, 0, 128)],
    ['c.beqz a5,+254', want(0xcffd, 'BEQ', 0, 15, 0, 254)],
    ['c.beqz a5,-256', want(0xd381, 'BEQ', 0, 15, 0, -256)],
    ['c.bnez s1,+254', want(0xecfd, 'BNE', 0, 9, 0, 254)],
    ['c.bnez a0,-256', want(0xf101, 'BNE', 0, 10, 0, -256)],
    // CA
    ['c.sub a5,a0', want(0x8f89, 'SUB', 15, 15, 10, 0)],
    ['c.xor a0,a1', want(0x8d2d, 'XOR', 10, 10, 11, 0)],
    ['c.or a2,a3', want(0x8e55, 'OR', 12, 12, 13, 0)],
    ['c.and a4,a5', want(0x8f7d, 'AND', 14, 14, 15, 0)],
    ['c.subw s0,a5', want(0x9c1d, 'SUBW', 8, 8, 15, 0)],
    ['c.addw a5,s0', want(0x9fa1, 'ADDW', 15, 15, 8, 0)],
    // CJ
    ['c.j +2', want(0xa009, 'JAL', 0, 0, 0, 2)],
    ['c.j +4', want(0xa011, 'JAL', 0, 0, 0, 4)],
    ['c.j +8', want(0xa021, 'JAL', 0, 0, 0, 8)],
    ['c.j +16', want(0xa801, 'JAL', 0, 0, 0, 16)],
    ['c.j +32', want(0xa005, 'JAL', 0, 0, 0, 32)],
    ['c.j +64', want(0xa081, 'JAL', 0, 0, 0, 64)],
    ['c.j +128', want(0xa041, 'JAL', 0, 0, 0, 128)],
    ['c.j +256', want(0xa201, 'JAL', 0, 0, 0, 256)],
    ['c.j +512', want(0xa401, 'JAL', 0, 0, 0, 512)],
    ['c.j +1024', want(0xa101, 'JAL', 0, 0, 0, 1024)],
    ['c.j +2046', want(0xaffd, 'JAL', 0, 0, 0, 2046)],
    ['c.j -2048', want(0xb001, 'JAL', 0, 0, 0, -2048)],
    // CR
    ['c.jr ra', want(0x8082, 'JALR', 0, 1, 0, 0)],
    ['c.jr t6', want(0x8f82, 'JALR', 0, 31, 0, 0)],
    ['c.jalr t6', want(0x9f82, 'JALR', 1, 31, 0, 0)],
    ['c.mv a0,a1', want(0x852e, 'ADD', 10, 0, 11, 0)],
    ['c.mv zero,a1 (hint)', want(0x802e, 'ADD', 0, 0, 11, 0)],
    ['c.add sp,t6', want(0x917e, 'ADD', 2, 2, 31, 0)],
    ['c.add zero,a1 (hint)', want(0x902e, 'ADD', 0, 0, 11, 0)],
    ['c.ebreak', want(0x9002, 'EBREAK', 0, 0, 0, 0)],
    // CSS
    ['c.swsp t6,252(sp)', want(0xdffe, 'SW', 0, 2, 31, 252)],
    ['c.swsp a0,4(sp)', want(0xc22a, 'SW', 0, 2, 10, 4)],
    ['c.swsp zero,16(sp)', want(0xc802, 'SW', 0, 2, 0, 16)],
    ['c.swsp a1,32(sp)', want(0xd02e, 'SW', 0, 2, 11, 32)],
    ['c.swsp a3,128(sp)', want(0xc136, 'SW', 0, 2, 13, 128)],
    ['c.sdsp t6,504(sp)', want(0xfffe, 'SD', 0, 2, 31, 504)],
    ['c.sdsp ra,8(sp)', want(0xe406, 'SD', 0, 2, 1, 8)],
    ['c.sdsp a1,32(sp)', want(0xf02e, 'SD', 0, 2, 11, 32)],
    ['c.sdsp a2,64(sp)', want(0xe0b2, 'SD', 0, 2, 12, 64)],
    ['c.sdsp a4,256(sp)', want(0xe23a, 'SD', 0, 2, 14, 256)],
  ];
  for (const [name, insn] of cases) {
    it(name, () => expect(decode(insn.raw)).toEqual(insn));
  }

  it('ignores the upper half of the fetch word for a compressed parcel', () => {
    expect(decode(0xdead0001)).toEqual(decode(0x0001));
    expect(decode(0x12348082)).toEqual(want(0x8082, 'JALR', 0, 1, 0, 0));
  });

  it('every legal 16-bit parcel decodes to the same fields as its 32-bit expansion', () => {
    const bad: string[] = [];
    for (let c = 0; c < 0x10000; c++) {
      if ((c & 3) === 3) continue;
      const insn = decode(c);
      if (insn.len !== 2 || insn.raw !== c) bad.push(`${c.toString(16)}: len/raw`);
      if (insn.op === Op.ILLEGAL) continue;
      const wide = decode(encode(insn));
      if (wide.op !== insn.op || wide.rd !== insn.rd || wide.rs1 !== insn.rs1
        || wide.rs2 !== insn.rs2 || wide.imm !== insn.imm || wide.len !== 4) {
        bad.push(`${c.toString(16)}: ${Op[insn.op]} differs from its expansion`);
      }
    }
    expect(bad).toEqual([]);
  });
});

describe('decode: illegal and reserved encodings', () => {
  it('every word of the illegal fixture decodes as ILLEGAL with the right length', () => {
    const bad = loadFixture(ILLEGAL_FIXTURE)
      .filter((l) => decode(l.raw).op !== Op.ILLEGAL || decode(l.raw).len !== l.len)
      .map((l) => `${l.where}: ${l.raw.toString(16)} -> ${Op[decode(l.raw).op]}`);
    expect(bad).toEqual([]);
  });

  const cases: Array<[string, number, 2 | 4]> = [
    ['c.illegal (all zero)', 0x0000, 2],
    ['c.addi4spn nzuimm=0', 0x0004, 2],
    ['c.fld (no FPU)', 0x2000, 2],
    ['c.fsd (no FPU)', 0xa000, 2],
    ['c.fldsp (no FPU)', 0x2002, 2],
    ['c.fsdsp (no FPU)', 0xa002, 2],
    ['quadrant 0 funct3=100', 0x8000, 2],
    ['c.addiw rd=0', 0x2001, 2],
    ['c.addi16sp imm=0', 0x6101, 2],
    ['c.lui imm=0', 0x6501, 2],
    ['c.lwsp rd=0', 0x4002, 2],
    ['c.ldsp rd=0', 0x6002, 2],
    ['c.jr rs1=0', 0x8002, 2],
    ['reserved CA slot', 0x9c41, 2],
    ['48-bit and longer encodings (bits 4:2 = 111)', 0x0000001f, 4],
    ['64-bit encoding prefix', 0x0000003f, 4],
    ['all ones', 0xffffffff, 4],
    ['opcode 0x7f', 0x0000007f, 4],
    ['slliw shamt[5]=1', 0x0205951b, 4],
    ['slli funct6=000001', 0x04059513, 4],
    ['srai funct6=010001', 0x4405d513, 4],
    ['csr op funct3=100', 0x00004073, 4],
    ['lr.w rs2!=0', 0x1015a52f, 4],
    ['sfence.vma rd!=0', 0x120000f3, 4],
    ['mret rs1!=0', 0x30208073, 4],
    ['wfi rd!=0', 0x105000f3, 4],
    ['uret', 0x00200073, 4],
    ['dret', 0x7b200073, 4],
    ['fld (no FPU)', 0x00053507, 4],
  ];
  for (const [name, raw, len] of cases) {
    it(name, () => {
      const insn = decode(raw);
      expect(insn.op).toBe(Op.ILLEGAL);
      expect(insn.len).toBe(len);
    });
  }

  it('HINT encodings are legal and decode to their operation', () => {
    const hints: Array<[number, OpName, number]> = [ // raw, op, rd
      [0x0005, 'ADDI', 0], [0x0501, 'ADDI', 10], [0x4005, 'ADDI', 0], [0x6005, 'LUI', 0],
      [0x0006, 'SLLI', 0], [0x0502, 'SLLI', 10], [0x8101, 'SRLI', 10], [0x8501, 'SRAI', 10],
      [0x802e, 'ADD', 0], [0x902e, 'ADD', 0], [0x00500013, 'ADDI', 0], [0x00150013, 'ADDI', 0],
      [0x00c58033, 'ADD', 0], [0x0100000f, 'FENCE', 0],
    ];
    for (const [raw, op, rd] of hints) {
      expect(Op[decode(raw).op], raw.toString(16)).toBe(op);
      expect(decode(raw).rd, raw.toString(16)).toBe(rd);
    }
  });
});

describe('decode: coverage and consistency over the fixtures', () => {
  it('every operation except ILLEGAL appears in the hand-written fixtures', () => {
    const seen = new Set<Op>();
    for (const name of HAND_WRITTEN) for (const l of loadFixture(name)) seen.add(decode(l.raw).op);
    const missing: string[] = [];
    for (let op = 1; op < OP_COUNT; op++) if (!seen.has(op) && !newerThanObjdump(op)) missing.push(Op[op]);
    expect(missing).toEqual([]);
  });

  it('every RV64C form appears in the compressed fixture', () => {
    const forms = new Set<string>();
    for (const l of loadFixture('compressed')) {
      if (l.len === 2 && decode(l.raw).op !== Op.ILLEGAL) forms.add(compressedForm(l.raw));
    }
    const required = ['c.addi4spn', 'c.lw', 'c.ld', 'c.sw', 'c.sd', 'c.nop', 'c.addi', 'c.addiw',
      'c.li', 'c.addi16sp', 'c.lui', 'c.srli', 'c.srai', 'c.andi', 'c.sub', 'c.xor', 'c.or', 'c.and',
      'c.subw', 'c.addw', 'c.j', 'c.beqz', 'c.bnez', 'c.slli', 'c.lwsp', 'c.ldsp', 'c.jr', 'c.mv',
      'c.ebreak', 'c.jalr', 'c.add', 'c.swsp', 'c.sdsp'];
    expect(required.filter((f) => !forms.has(f))).toEqual([]);
  });

  it('every legal 32-bit fixture word re-encodes to itself from its fields', () => {
    const bad: string[] = [];
    for (const name of [...HAND_WRITTEN, ...RANDOM]) {
      for (const l of loadFixture(name)) {
        if (l.len !== 4) continue;
        const insn = decode(l.raw);
        if (insn.op === Op.ILLEGAL) continue;
        const again = encode(insn) >>> 0;
        if (again !== l.raw) bad.push(`${l.where}: ${l.raw.toString(16)} -> ${again.toString(16)}`);
      }
    }
    expect(bad).toEqual([]);
  });
});

// ---- a small reference encoder (test-only) from Insn fields back to a 32-bit word

function rType(opcode: number, f3: number, f7: number, i: Insn): number {
  return (f7 << 25) | (i.rs2 << 20) | (i.rs1 << 15) | (f3 << 12) | (i.rd << 7) | opcode;
}
function iType(opcode: number, f3: number, i: Insn, imm = i.imm): number {
  return ((imm & 0xfff) << 20) | (i.rs1 << 15) | (f3 << 12) | (i.rd << 7) | opcode;
}
function sType(f3: number, i: Insn): number {
  return (((i.imm >> 5) & 0x7f) << 25) | (i.rs2 << 20) | (i.rs1 << 15) | (f3 << 12)
    | ((i.imm & 0x1f) << 7) | 0x23;
}
function bType(f3: number, i: Insn): number {
  const m = i.imm;
  return (((m >> 12) & 1) << 31) | (((m >> 5) & 0x3f) << 25) | (i.rs2 << 20) | (i.rs1 << 15)
    | (f3 << 12) | (((m >> 1) & 0xf) << 8) | (((m >> 11) & 1) << 7) | 0x63;
}
function jType(i: Insn): number {
  const m = i.imm;
  return (((m >> 20) & 1) << 31) | (((m >> 1) & 0x3ff) << 21) | (((m >> 11) & 1) << 20)
    | (m & 0xff000) | (i.rd << 7) | 0x6f;
}

const R_OPS: Partial<Record<Op, [number, number, number]>> = {
  [Op.ADD]: [0x33, 0, 0], [Op.SUB]: [0x33, 0, 0x20], [Op.SLL]: [0x33, 1, 0], [Op.SLT]: [0x33, 2, 0],
  [Op.SLTU]: [0x33, 3, 0], [Op.XOR]: [0x33, 4, 0], [Op.SRL]: [0x33, 5, 0], [Op.SRA]: [0x33, 5, 0x20],
  [Op.OR]: [0x33, 6, 0], [Op.AND]: [0x33, 7, 0],
  [Op.MUL]: [0x33, 0, 1], [Op.MULH]: [0x33, 1, 1], [Op.MULHSU]: [0x33, 2, 1], [Op.MULHU]: [0x33, 3, 1],
  [Op.DIV]: [0x33, 4, 1], [Op.DIVU]: [0x33, 5, 1], [Op.REM]: [0x33, 6, 1], [Op.REMU]: [0x33, 7, 1],
  [Op.ADDW]: [0x3b, 0, 0], [Op.SUBW]: [0x3b, 0, 0x20], [Op.SLLW]: [0x3b, 1, 0], [Op.SRLW]: [0x3b, 5, 0],
  [Op.SRAW]: [0x3b, 5, 0x20], [Op.MULW]: [0x3b, 0, 1], [Op.DIVW]: [0x3b, 4, 1], [Op.DIVUW]: [0x3b, 5, 1],
  [Op.REMW]: [0x3b, 6, 1], [Op.REMUW]: [0x3b, 7, 1],
};
const I_OPS: Partial<Record<Op, [number, number]>> = {
  [Op.JALR]: [0x67, 0], [Op.LB]: [0x03, 0], [Op.LH]: [0x03, 1], [Op.LW]: [0x03, 2], [Op.LD]: [0x03, 3],
  [Op.LBU]: [0x03, 4], [Op.LHU]: [0x03, 5], [Op.LWU]: [0x03, 6], [Op.ADDI]: [0x13, 0], [Op.SLTI]: [0x13, 2],
  [Op.SLTIU]: [0x13, 3], [Op.XORI]: [0x13, 4], [Op.ORI]: [0x13, 6], [Op.ANDI]: [0x13, 7],
  [Op.ADDIW]: [0x1b, 0], [Op.FENCE_I]: [0x0f, 1],
  // shifts: the immediate field is funct6/funct7 | shamt
  [Op.SLLI]: [0x13, 1], [Op.SRLI]: [0x13, 5], [Op.SRAI]: [0x13, 5],
  [Op.SLLIW]: [0x1b, 1], [Op.SRLIW]: [0x1b, 5], [Op.SRAIW]: [0x1b, 5],
};
const BRANCH_F3: Partial<Record<Op, number>> = {
  [Op.BEQ]: 0, [Op.BNE]: 1, [Op.BLT]: 4, [Op.BGE]: 5, [Op.BLTU]: 6, [Op.BGEU]: 7,
};
const STORE_F3: Partial<Record<Op, number>> = { [Op.SB]: 0, [Op.SH]: 1, [Op.SW]: 2, [Op.SD]: 3 };
const AMO_F5 = [0x02, 0x03, 0x01, 0x00, 0x04, 0x0c, 0x08, 0x10, 0x14, 0x18, 0x1c]; // in Op order
const FIXED: Partial<Record<Op, number>> = {
  [Op.ECALL]: 0x00000073, [Op.EBREAK]: 0x00100073, [Op.MRET]: 0x30200073, [Op.SRET]: 0x10200073,
  [Op.WFI]: 0x10500073,
};

function encode(i: Insn): number {
  const r = R_OPS[i.op];
  if (r) return rType(r[0], r[1], r[2], i);
  const it = I_OPS[i.op];
  if (it) {
    if (i.op === Op.SRAI || i.op === Op.SRAIW) return iType(it[0], it[1], i, 0x400 | i.imm);
    return iType(it[0], it[1], i);
  }
  const b = BRANCH_F3[i.op];
  if (b !== undefined) return bType(b, i);
  const s = STORE_F3[i.op];
  if (s !== undefined) return sType(s, i);
  const fixed = FIXED[i.op];
  if (fixed !== undefined) return fixed;
  switch (i.op) {
    case Op.LUI: return (i.imm & 0xfffff000) | (i.rd << 7) | 0x37;
    case Op.AUIPC: return (i.imm & 0xfffff000) | (i.rd << 7) | 0x17;
    case Op.JAL: return jType(i);
    case Op.FENCE: return iType(0x0f, 0, i);
    case Op.SFENCE_VMA: return rType(0x73, 0, 0x09, i);
    case Op.CSRRW: case Op.CSRRS: case Op.CSRRC: case Op.CSRRWI: case Op.CSRRSI: case Op.CSRRCI: {
      const f3 = [1, 2, 3, 5, 6, 7][i.op - Op.CSRRW];
      return (i.csr << 20) | (i.rs1 << 15) | (f3 << 12) | (i.rd << 7) | 0x73;
    }
  }
  if (i.op >= Op.LR_W && i.op <= Op.AMOMAXU_D) {
    const isD = i.op >= Op.LR_D;
    const f5 = AMO_F5[i.op - (isD ? Op.LR_D : Op.LR_W)];
    const aqrl = (i.raw >>> 25) & 3; // Insn carries aq/rl only in raw
    return (f5 << 27) | (aqrl << 25) | (i.rs2 << 20) | (i.rs1 << 15) | ((isD ? 3 : 2) << 12)
      | (i.rd << 7) | 0x2f;
  }
  throw new Error(`no encoding for ${Op[i.op]}`);
}

/** The RVC form name of a legal 16-bit parcel (spec chapter 16 table 16.5-16.7). */
function compressedForm(c: number): string {
  const f3 = c >>> 13;
  const rd = (c >>> 7) & 31;
  const rs2 = (c >>> 2) & 31;
  const b12 = (c >>> 12) & 1;
  switch (c & 3) {
    case 0: return ['c.addi4spn', 'c.fld', 'c.lw', 'c.ld', '-', 'c.fsd', 'c.sw', 'c.sd'][f3];
    case 1:
      if (f3 === 0) return rd === 0 ? 'c.nop' : 'c.addi';
      if (f3 === 3) return rd === 2 ? 'c.addi16sp' : 'c.lui';
      if (f3 === 4) {
        const f2 = (c >>> 10) & 3;
        if (f2 < 3) return ['c.srli', 'c.srai', 'c.andi'][f2];
        return ['c.sub', 'c.xor', 'c.or', 'c.and', 'c.subw', 'c.addw', '-', '-'][b12 * 4 + ((c >>> 5) & 3)];
      }
      return ['', 'c.addiw', 'c.li', '', '', 'c.j', 'c.beqz', 'c.bnez'][f3];
    default:
      if (f3 === 4) {
        if (b12 === 0) return rs2 === 0 ? 'c.jr' : 'c.mv';
        if (rs2 !== 0) return 'c.add';
        return rd === 0 ? 'c.ebreak' : 'c.jalr';
      }
      return ['c.slli', 'c.fldsp', 'c.lwsp', 'c.ldsp', '', 'c.fsdsp', 'c.swsp', 'c.sdsp'][f3];
  }
}
