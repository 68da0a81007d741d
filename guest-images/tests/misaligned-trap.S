/*
 * misaligned-trap.S - misaligned loads and stores raise address-misaligned exceptions:
 * load (4) / store (6) with mtval = the address, for every width (lh lhu lw lwu ld, sh
 * sw sd, c.lw c.ld c.sw c.sd c.lwsp c.ldsp c.swsp c.sdsp); the destination register and
 * the memory are left alone; taken in M, and in S when delegated (from S and from U).
 * This is rvwasm's `--misaligned trap` policy (its default is to complete them: see
 * misaligned-ok.S); QEMU completes them, so this image fails there.
 */
#include "test.h"

/* \insn at base a0 + \off: cause \cause, tval = a0 + \off, taken by \rec */
.macro T_MIS num, rec, cause, off, insn:vararg
    EXPECT_BOTH_RESET
    ARM \rec, 1
    li a1, 0x7777
.Lm\@:
    \insn
    CHECK_TRAP \num, \rec, \cause, .Lm\@
    addi a2, s0, \off
    CHECK_RECR (\num + 3), \rec, REC_TVAL, a2
.endm

/* the whole set, numbered from \b, taken by \rec */
.macro MIS_SET b, rec
    la s0, buf
    addi a0, s0, 0
    T_MIS (\b + 0), \rec, CAUSE_MISALIGNED_LOAD, 1, lh a1, 1(a0)
    CHECK (\b + 4), a1, 0x7777                 /* rd untouched */
    T_MIS (\b + 5), \rec, CAUSE_MISALIGNED_LOAD, 3, lhu a1, 3(a0)
    T_MIS (\b + 9), \rec, CAUSE_MISALIGNED_LOAD, 2, lw a1, 2(a0)
    T_MIS (\b + 13), \rec, CAUSE_MISALIGNED_LOAD, 6, lwu a1, 6(a0)
    T_MIS (\b + 17), \rec, CAUSE_MISALIGNED_LOAD, 4, ld a1, 4(a0)
    CHECK (\b + 21), a1, 0x7777
    T_MIS (\b + 22), \rec, CAUSE_MISALIGNED_STORE, 7, sh a1, 7(a0)
    T_MIS (\b + 26), \rec, CAUSE_MISALIGNED_STORE, 1, sw a1, 1(a0)
    T_MIS (\b + 30), \rec, CAUSE_MISALIGNED_STORE, 9, sd a1, 9(a0)
    ld a2, 0(s0)                                /* memory untouched */
    CHECK (\b + 34), a2, 0x0706050403020100
    ld a2, 8(s0)
    CHECK (\b + 35), a2, 0x0f0e0d0c0b0a0908
    addi a0, s0, 2              /* compressed forms (rd/rs1 in x8..x15) */
    .option rvc
    T_MIS (\b + 36), \rec, CAUSE_MISALIGNED_LOAD, 2, c.lw a1, 0(a0)
    T_MIS (\b + 40), \rec, CAUSE_MISALIGNED_LOAD, 10, c.ld a1, 8(a0)
    T_MIS (\b + 44), \rec, CAUSE_MISALIGNED_STORE, 10, c.sw a1, 8(a0)
    T_MIS (\b + 48), \rec, CAUSE_MISALIGNED_STORE, 2, c.sd a1, 0(a0)
    mv a5, sp
    addi sp, s0, 2
    T_MIS (\b + 52), \rec, CAUSE_MISALIGNED_LOAD, 6, c.lwsp a1, 4(sp)
    T_MIS (\b + 56), \rec, CAUSE_MISALIGNED_LOAD, 2, c.ldsp a1, 0(sp)
    T_MIS (\b + 60), \rec, CAUSE_MISALIGNED_STORE, 2, c.swsp a1, 0(sp)
    T_MIS (\b + 64), \rec, CAUSE_MISALIGNED_STORE, 10, c.sdsp a1, 8(sp)
    mv sp, a5
    .option norvc
.endm

TEST_BEGIN misaligned-trap
    li a7, 0
    la a0, buf
    li a1, 0x0706050403020100
    sd a1, 0(a0)
    li a1, 0x0f0e0d0c0b0a0908
    sd a1, 8(a0)
    MIS_SET 1, m_rec
    li a0, (1 << CAUSE_MISALIGNED_LOAD) | (1 << CAUSE_MISALIGNED_STORE)
    csrw medeleg, a0
    GO_S
    MIS_SET 70, s_rec
    GO_M
    GO_U
    MIS_SET 140, s_rec
    GO_M
    csrw medeleg, zero
    MIS_SET 210, m_rec          /* not delegated from M */
TEST_END

    .section .bss
    .balign 64
buf:    .skip 64
