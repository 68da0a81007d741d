/*
 * rvc.S - every RV64C instruction, written with explicit c.* mnemonics so the encodings
 * are fixed:
 *   quadrant 0: c.addi4spn c.lw c.ld c.sw c.sd
 *   quadrant 1: c.nop c.addi c.addiw c.li c.addi16sp c.lui c.srli c.srai c.andi c.sub
 *               c.xor c.or c.and c.subw c.addw c.j c.beqz c.bnez
 *   quadrant 2: c.slli c.lwsp c.ldsp c.jr c.mv c.ebreak c.jalr c.add c.swsp c.sdsp
 * plus: 32-bit instructions at addresses = 2 mod 4, jumps to such addresses (jalr
 * target with bit 1 set), links of pc + 2, mepc of a trap on a 2-byte-aligned
 * instruction; reserved/illegal encodings (0x0000, c.addi4spn imm 0, c.addiw rd 0,
 * c.addi16sp imm 0, c.lui imm 0, c.lwsp/c.ldsp rd 0, c.jr rs1 0, reserved quadrant 0/1
 * opcodes, c.fld/c.fsd/c.fldsp/c.fsdsp without an enabled FPU) raising illegal
 * instruction with mtval = the 16 instruction bits; HINT encodings executing as no-ops.
 */
#include "test.h"

/* an encoding that must raise illegal instruction with mtval = \bits */
.macro T_ILL num, bits
    EXPECT_M
.Li\@:
    .2byte \bits
    CHECK_TRAP \num, m_rec, CAUSE_ILLEGAL, .Li\@
    CHECK_REC (\num + 3), m_rec, REC_TVAL, \bits
.endm

TEST_BEGIN rvc
    li a7, 0                 /* the ecall below is not a runtime request */
    .option rvc
/* ------------------------------------------------------------ quadrant 1: constants */
    c.li a0, 31
    CHECK 1, a0, 31
    c.li a0, -32
    CHECK 2, a0, -32
    c.li a5, 0
    CHECK 3, a5, 0
    c.lui a0, 1
    CHECK 4, a0, 0x1000
    c.lui a1, 31
    CHECK 5, a1, 0x1f000
    c.lui a2, 0xfffff
    CHECK 6, a2, -4096
    c.lui a3, 0xfffe0
    CHECK 7, a3, 0xfffffffffffe0000
    li a0, 100
    c.addi a0, 31
    CHECK 8, a0, 131
    c.addi a0, -32
    CHECK 9, a0, 99
    li s0, 0x7fffffff
    c.addiw s0, 1
    CHECK 10, s0, 0xffffffff80000000
    li s0, 0x1ffffffff
    c.addiw s0, 0            /* sext.w */
    CHECK 11, s0, -1
    li s0, 0x100000005
    c.addiw s0, -6
    CHECK 12, s0, -1
/* c.addi16sp / c.addi4spn */
    mv a5, sp
    c.addi16sp sp, -512
    sub a4, a5, sp
    CHECK 13, a4, 512
    c.addi16sp sp, 496
    sub a4, a5, sp
    CHECK 14, a4, 16
    c.addi16sp sp, 16
    CHECKR 15, sp, a5
    c.addi4spn a0, sp, 4
    sub a4, a0, sp
    CHECK 16, a4, 4
    c.addi4spn s1, sp, 1020
    sub a4, s1, sp
    CHECK 17, a4, 1020
/* ------------------------------------------------------------ quadrant 1/2: shifts, logic */
    li a0, 0x8000000000000001
    c.srli a0, 63
    CHECK 18, a0, 1
    li a0, 0x8000000000000000
    c.srai a0, 63
    CHECK 19, a0, -1
    li a0, 0x8000000000000010
    c.srai a0, 4
    CHECK 20, a0, 0xf800000000000001
    li a0, 0xff00
    c.srli a0, 8
    CHECK 21, a0, 0xff
    li a1, 3
    c.slli a1, 62
    CHECK 22, a1, 0xc000000000000000
    li t0, 1                 /* c.slli works on any register */
    c.slli t0, 33
    CHECK 23, t0, 0x200000000
    li a2, 0xabc
    c.andi a2, 0x1f
    CHECK 24, a2, 0x1c
    li a2, 0x12345678
    c.andi a2, -16
    CHECK 25, a2, 0x12345670
    li a3, 0xf0f0
    li a4, 0xff00
    c.and a3, a4
    CHECK 26, a3, 0xf000
    li a3, 0xf0f0
    c.or a3, a4
    CHECK 27, a3, 0xfff0
    li a3, 0xf0f0
    c.xor a3, a4
    CHECK 28, a3, 0x0ff0
    li a3, 5
    c.sub a3, a4
    CHECK 29, a3, 5 - 0xff00
    li s0, 0x7fffffff
    li s1, 1
    c.addw s0, s1
    CHECK 30, s0, 0xffffffff80000000
    li s0, 0x100000000
    c.subw s0, s1
    CHECK 31, s0, -1
    li s0, 0x80000000
    li s1, 0x100000001
    c.subw s0, s1
    CHECK 32, s0, 0x7fffffff
/* c.mv / c.add work on all 31 registers */
    li t1, 0x1234
    c.mv t2, t1
    CHECK 33, t2, 0x1234
    c.add t2, t1
    CHECK 34, t2, 0x2468
    li s2, -1
    c.mv s3, s2
    c.add s3, s3
    CHECK 35, s3, -2
    c.nop
    CHECK 36, s3, -2

/* ------------------------------------------------------------ loads and stores */
    la s0, cbuf
    li a0, 0x8765432112345678
    c.sd a0, 0(s0)
    c.ld a1, 0(s0)
    CHECK 37, a1, 0x8765432112345678
    c.lw a1, 4(s0)
    CHECK 38, a1, 0xffffffff87654321
    c.lw a1, 0(s0)
    CHECK 39, a1, 0x12345678
    li a2, 0x0f0f0f0f
    c.sw a2, 124(s0)         /* largest c.sw/c.lw offset */
    c.lw a3, 124(s0)
    CHECK 40, a3, 0x0f0f0f0f
    li a2, 0x1122334455667788
    c.sd a2, 248(s0)         /* largest c.sd/c.ld offset */
    c.ld a3, 248(s0)
    CHECK 41, a3, 0x1122334455667788
    ld a4, 248(s0)
    CHECK 42, a4, 0x1122334455667788
    lw a4, 124(s0)
    CHECK 43, a4, 0x0f0f0f0f
/* stack-pointer based forms */
    mv a5, sp
    la sp, cbuf + 1024
    li t1, 0xcafef00d
    c.swsp t1, 252(sp)       /* largest c.swsp/c.lwsp offset */
    c.lwsp t2, 252(sp)
    li t3, 0xffffffffcafef00d
    CHECKR 44, t2, t3
    li t1, 0x0123456789abcdef
    c.sdsp t1, 504(sp)       /* largest c.sdsp/c.ldsp offset */
    c.ldsp t2, 504(sp)
    CHECKR 45, t2, t1
    c.sdsp t1, 0(sp)
    c.lwsp t2, 4(sp)
    CHECK 46, t2, 0x01234567
    mv t4, sp
    mv sp, a5
    ld t2, 504(t4)
    CHECKR 47, t2, t1

/* ------------------------------------------------------------ control transfer */
    li a0, 0
    c.beqz a0, 1f
    FAIL 48
1:  c.bnez a0, 2f
    li a0, 7
    c.bnez a0, 3f
2:  FAIL 49
3:  li s1, -1
    c.beqz s1, 2b
    c.j 4f
    FAIL 50
5:  c.j 6f                   /* backward target of the c.j below */
4:  c.j 5b
    FAIL 51
6:  la t0, 7f
    c.jr t0
    FAIL 52
7:  la t0, 8f
    c.jalr t0                /* ra = pc + 2 */
9:  FAIL 53
8:  CHECKL 54, ra, 9b
/* c.beqz at its range limits, hand-encoded so the assembler cannot widen them */
    li a1, 0
    .2byte 0xcdfd            /* c.beqz a1, . + 254 (largest forward offset) */
    .fill 126, 2, 0          /* 252 bytes of illegal 0x0000, never executed */
10: c.j 11f
12: c.j 13f
    .fill 127, 2, 0
11: .2byte 0xd181            /* c.beqz a1, . - 256 (largest backward offset) */
    FAIL 69
13:
/* 32-bit instructions at pc = 2 mod 4, mixed with 16-bit ones */
    .balign 4
    c.nop
14: addi a0, zero, 33        /* at 4n + 2 */
    CHECK 55, a0, 33
    la a1, 14b
    andi a1, a1, 3
    CHECK 56, a1, 2
    .balign 4
    c.nop
15: jal ra, 16f              /* jal at 4n + 2, to a target at 4n + 2 */
17: FAIL 57
    .balign 4
    c.nop
16: CHECKL 58, ra, 17b
    la t0, 18f
    andi t1, t0, 2
    CHECK 59, t1, 2
    jalr ra, 0(t0)           /* jalr to an address with bit 1 set */
    FAIL 60
    .balign 4
    c.nop
18: nop
/* traps on 2-byte-aligned instructions: mepc keeps bit 1 */
    .balign 4
    c.nop
    EXPECT_M                 /* EXPECT_M is a whole number of 2-byte instructions */
    .balign 4
    c.nop
19: ecall                    /* 4-byte ecall at 4n + 2 */
    CHECK_TRAP 61, m_rec, CAUSE_ECALL_M, 19b
    la a0, 19b
    andi a0, a0, 3
    CHECK 64, a0, 2
    EXPECT_M
20: c.ebreak
    CHECK_TRAP 65, m_rec, CAUSE_BREAKPOINT, 20b

/* ------------------------------------------------------------ HINTs execute as no-ops */
    li a0, 0x55
    li a1, 0x66
    .2byte 0x107d            /* c.nop with a non-zero immediate */
    .2byte 0x0501            /* c.addi a0, 0 */
    .2byte 0x4015            /* c.li x0, 5 */
    .2byte 0x6005            /* c.lui x0, 1 */
    .2byte 0x802a            /* c.mv x0, a0 */
    .2byte 0x902a            /* c.add x0, a0 */
    .2byte 0x0006            /* c.slli x0, 1 */
    .2byte 0x0502            /* c.slli a0, 0 (c.slli64) */
    .2byte 0x8101            /* c.srli a0, 0 */
    .2byte 0x8501            /* c.srai a0, 0 */
    CHECK 66, a0, 0x55
    CHECK 67, a1, 0x66
    mv a2, x0
    CHECK 68, a2, 0

/* ------------------------------------------------------------ reserved / illegal */
    T_ILL 70, 0x0000         /* defined illegal instruction */
    T_ILL 74, 0x0008         /* c.addi4spn a0, sp, 0: reserved */
    T_ILL 78, 0x8000         /* quadrant 0, funct3 100: reserved */
    T_ILL 82, 0x2005         /* c.addiw x0, 1: reserved */
    T_ILL 86, 0x6101         /* c.addi16sp sp, 0: reserved */
    T_ILL 90, 0x6501         /* c.lui a0, 0: reserved */
    T_ILL 94, 0x9d4d         /* quadrant 1 arith, reserved op (bit 12 = 1, 6:5 = 10) */
    T_ILL 98, 0x9d6d         /* quadrant 1 arith, reserved op (bit 12 = 1, 6:5 = 11) */
    T_ILL 102, 0x4002        /* c.lwsp x0: reserved */
    T_ILL 106, 0x6002        /* c.ldsp x0: reserved */
    T_ILL 110, 0x8002        /* c.jr x0: reserved */
    T_ILL 114, 0x2000        /* c.fld: no FPU enabled */
    T_ILL 118, 0xa000        /* c.fsd */
    T_ILL 122, 0x2002        /* c.fldsp */
    T_ILL 126, 0xa002        /* c.fsdsp */
    .option norvc
TEST_END

    .section .bss
    .balign 64
cbuf:   .skip 2048
