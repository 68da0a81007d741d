/*
 * zicsr.S - the six Zicsr instructions and their access rules (M-mode):
 *   CSRRW/CSRRS/CSRRC/CSRRWI/CSRRSI/CSRRCI return the old value and write rs1/uimm
 *   (set/clear bits), uimm is zero-extended, rd == rs1 works, rd = x0 still writes;
 *   CSRRS/CSRRC with rs1 = x0 and CSRRSI/CSRRCI with uimm = 0 do not write, so they read
 *   read-only CSRs without trapping; a write attempt to a read-only CSR (csrrw/csrrwi,
 *   csrrsi/csrrci with uimm != 0) raises illegal instruction (csrrs/csrrc with rs1 != x0
 *   holding 0 is a write attempt too: checked in rvwasm-strict.S, QEMU 7.2 lets it pass);
 *   a non-existent CSR raises illegal instruction; mtval = the instruction bits.
 */
#include "test.h"

/* instruction at \label must trap as illegal with mtval = its bits */
.macro CHECK_ILL num, label
    CHECK_TRAP \num, m_rec, CAUSE_ILLEGAL, \label
    la t6, \label
    lwu t6, 0(t6)
    li gp, (\num + 3)
    LDV t5, m_rec + REC_TVAL
    bne t5, t6, fail_check
.endm

TEST_BEGIN zicsr
    csrr s0, sscratch           /* the S handler's save pointer: restored at the end */
/* --- csrrw */
    li a0, 0x123456789abcdef0
    csrrw a1, sscratch, a0
    li a2, -1
    csrrw a1, sscratch, a2
    CHECK 1, a1, 0x123456789abcdef0
    csrrw x0, sscratch, zero    /* rd = x0 still writes */
    csrr a1, sscratch
    CHECK 2, a1, 0
    li a0, 77
    csrw sscratch, a0
    li a0, 88
    csrrw a0, sscratch, a0      /* rd == rs1: swap */
    CHECK 3, a0, 77
    csrr a1, sscratch
    CHECK 4, a1, 88
/* --- csrrs / csrrc */
    li a0, 0xf0
    csrw sscratch, a0
    li a1, 0x0f0f
    csrrs a2, sscratch, a1
    CHECK 5, a2, 0xf0
    csrr a2, sscratch
    CHECK 6, a2, 0xfff
    li a1, 0x8000000000000003
    csrrs a2, sscratch, a1
    CHECK 7, a2, 0xfff
    csrr a2, sscratch
    CHECK 8, a2, 0x8000000000000fff
    li a1, 0x0000000000000ff0
    csrrc a2, sscratch, a1
    CHECK 9, a2, 0x8000000000000fff
    csrr a2, sscratch
    CHECK 10, a2, 0x800000000000000f
    csrrs a2, sscratch, zero    /* read only */
    CHECK 11, a2, 0x800000000000000f
    csrrc a2, sscratch, zero
    CHECK 12, a2, 0x800000000000000f
    csrr a2, sscratch
    CHECK 13, a2, 0x800000000000000f
    li a0, -1
    csrc sscratch, a0           /* csrrc x0 */
    csrr a2, sscratch
    CHECK 14, a2, 0
/* --- immediate forms: 5-bit zero-extended uimm */
    csrrwi a2, sscratch, 31
    CHECK 15, a2, 0
    csrr a2, sscratch
    CHECK 16, a2, 31
    csrrci a2, sscratch, 0x15
    CHECK 17, a2, 31
    csrr a2, sscratch
    CHECK 18, a2, 0x0a
    csrrsi a2, sscratch, 0x10
    CHECK 19, a2, 0x0a
    csrr a2, sscratch
    CHECK 20, a2, 0x1a
    csrrsi a2, sscratch, 0      /* no write */
    CHECK 21, a2, 0x1a
    csrrci a2, sscratch, 0
    CHECK 22, a2, 0x1a
    li a0, -1
    csrw sscratch, a0
    csrrwi a2, sscratch, 16     /* uimm 16 is not sign-extended */
    csrr a2, sscratch
    CHECK 23, a2, 16
    csrwi sscratch, 0
    csrsi sscratch, 5
    csrci sscratch, 4
    csrr a2, sscratch
    CHECK 24, a2, 1

/* --- read-only CSRs: reads that do not write are fine */
    csrr a0, mhartid
    CHECK 25, a0, 0
    csrrs a0, mhartid, zero
    CHECK 26, a0, 0
    csrrc a0, mvendorid, zero
    csrrsi a0, marchid, 0
    csrrci a0, mimpid, 0
    csrrs a0, cycle, zero
    csrrsi a0, time, 0
    csrrci a0, instret, 0
    CHECK_NOTRAP 27, m_rec

/* --- writes to read-only CSRs raise illegal instruction, with mtval = the bits */
    EXPECT_M
30: csrw mhartid, zero
    CHECK_ILL 31, 30b
    EXPECT_M
35: csrrw a0, mvendorid, a0
    CHECK_ILL 36, 35b
    EXPECT_M
50: csrrwi a0, cycle, 0
    CHECK_ILL 51, 50b
    EXPECT_M
55: csrrsi a0, time, 1
    CHECK_ILL 56, 55b
    EXPECT_M
60: csrrci a0, instret, 1
    CHECK_ILL 61, 60b
    EXPECT_M
65: csrrw x0, mhartid, zero     /* rd = x0 does not help */
    CHECK_ILL 66, 65b
/* the destination register is not written when the instruction traps */
    li a0, 0x4242
    EXPECT_M
70: csrrw a0, mhartid, zero
    CHECK_ILL 71, 70b
    CHECK 75, a0, 0x4242

/* --- non-existent CSRs raise illegal instruction on any access */
    EXPECT_M
80: csrr a0, 0x0c0
    CHECK_ILL 81, 80b
    EXPECT_M
85: csrw 0x7c0, a0              /* custom M-mode read/write range: none implemented */
    CHECK_ILL 86, 85b
    EXPECT_M
90: csrrs a0, 0x5c0, zero
    CHECK_ILL 91, 90b
    EXPECT_M
95: csrrci a0, 0xfc0, 0
    CHECK_ILL 96, 95b
    EXPECT_M
100: csrrsi a0, 0x8c0, 0
    CHECK_ILL 101, 100b
    EXPECT_M
105: csrr a0, 0x7ff
    CHECK_ILL 106, 105b

/* --- mscratch: the M handler's pointer, so restore it before the next trap */
    csrr s1, mscratch
    li a0, 0x5555aaaa5555aaaa
    csrw mscratch, a0
    csrrc a1, mscratch, a0
    csrr a2, mscratch
    csrw mscratch, s1
    CHECK 110, a1, 0x5555aaaa5555aaaa
    CHECK 111, a2, 0
    csrw sscratch, s0
TEST_END
