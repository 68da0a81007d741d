/*
 * traps-m.S - synchronous exceptions taken in M-mode with nothing delegated, raised from
 * M, S and U (the same set from each mode):
 *   illegal instruction (2): unimp (csrw cycle, x0), reserved OP/BRANCH/LOAD/SLLIW encodings, an FP
 *     instruction without FPU, and per mode mret (S, U), sret (U), sfence.vma (U);
 *     mtval = the instruction bits
 *   breakpoint (3): ebreak
 *   load access fault (5): ld/lw/lr.d from unmapped physical 0x0 / 0x8; mtval = address
 *   store/AMO access fault (7): sd/sb to 0x0 / 0x8; mtval = address (AMO: rvwasm-strict.S)
 *   instruction access fault (1): jump to physical 0x8; mepc = mtval = 0x8
 *   environment call (8 from U, 9 from S, 11 from M); mtval = 0
 * Each check: one trap, mcause, mepc, mtval, and mstatus.MPP = the mode the trap came
 * from. Also: MIE is saved to MPIE and cleared on entry, and restored by mret.
 */
#include "test.h"

/* trap at the instruction(s) emitted by \insn: cause, tval, previous mode */
.macro T_EXC num, cause, tval, mode, insn:vararg
    EXPECT_M
.Le\@:
    \insn
    CHECK_TRAP \num, m_rec, \cause, .Le\@
    .if \tval != -1            /* -1: mtval not checked here (ebreak: rvwasm-strict.S) */
    CHECK_REC (\num + 3), m_rec, REC_TVAL, \tval
    .endif
    li gp, (\num + 4)
    LDV t5, m_rec + REC_STATUS
    srli t5, t5, 11
    andi t5, t5, 3
    li t6, \mode
    bne t5, t6, fail_check
.endm

/* the same trap set, from privilege \mode, numbered from \b */
.macro TRAP_SET b, mode
    T_EXC (\b + 0), CAUSE_ILLEGAL, 0xc0001073, \mode, .word 0xc0001073   /* unimp: csrw cycle, x0 */
    T_EXC (\b + 5), CAUSE_ILLEGAL, 0x40001033, \mode, .word 0x40001033
    T_EXC (\b + 10), CAUSE_ILLEGAL, 0x00002063, \mode, .word 0x00002063
    T_EXC (\b + 15), CAUSE_ILLEGAL, 0x00007003, \mode, .word 0x00007003
    T_EXC (\b + 20), CAUSE_ILLEGAL, 0x0200101b, \mode, .word 0x0200101b
    T_EXC (\b + 25), CAUSE_ILLEGAL, 0x00000053, \mode, .word 0x00000053
    T_EXC (\b + 30), CAUSE_BREAKPOINT, -1, \mode, ebreak
    li s0, 0
    li s1, 8
    T_EXC (\b + 35), CAUSE_LOAD_ACCESS, 0, \mode, ld a0, 0(s0)
    T_EXC (\b + 40), CAUSE_LOAD_ACCESS, 8, \mode, lw a0, 0(s1)
    li a7, 0                    /* not one of the runtime's magic a7 values */
    T_EXC (\b + 45), CAUSE_ECALL_U + \mode, 0, \mode, ecall
    T_EXC (\b + 50), CAUSE_LOAD_ACCESS, 0, \mode, lr.d a0, (s0)
    T_EXC (\b + 55), CAUSE_STORE_ACCESS, 0, \mode, sd a0, 0(s0)
    T_EXC (\b + 60), CAUSE_STORE_ACCESS, 8, \mode, sb a0, 0(s1)
    /* (\b + 65): an AMO access fault is cause 7 too: rvwasm-strict.S (QEMU 7.2 says 5) */
    /* fetch from a physical address without memory: resume in the same mode */
    EXPECT_M
    RESUME_AT m_rec, .Lf\@, -1
    jalr ra, 0(s1)
    FAIL (\b + 70)
.Lf\@:
    CHECK_REC (\b + 71), m_rec, REC_COUNT, 1
    CHECK_REC (\b + 72), m_rec, REC_CAUSE, CAUSE_FETCH_ACCESS
    CHECK_REC (\b + 73), m_rec, REC_EPC, 8
    CHECK_REC (\b + 74), m_rec, REC_TVAL, 8
.endm

TEST_BEGIN traps-m
    csrw medeleg, zero
    csrw mideleg, zero
/* ------------------------------------------------------------ from M */
    TRAP_SET 1, PRV_M
/* ------------------------------------------------------------ from S */
    GO_S
    TRAP_SET 80, PRV_S
    T_EXC 155, CAUSE_ILLEGAL, 0x30200073, PRV_S, mret
    GO_M
/* ------------------------------------------------------------ from U */
    GO_U
    TRAP_SET 160, PRV_U
    T_EXC 235, CAUSE_ILLEGAL, 0x30200073, PRV_U, mret
    T_EXC 240, CAUSE_ILLEGAL, 0x10200073, PRV_U, sret
    T_EXC 245, CAUSE_ILLEGAL, 0x12000073, PRV_U, sfence.vma
    GO_M
/* ------------------------------------------------------------ MIE -> MPIE on entry */
    csrsi mstatus, MSTATUS_MIE  /* mie = 0: no interrupt can be taken */
    EXPECT_M
    li a7, 0
1:  ecall
    CHECK_TRAP 250, m_rec, CAUSE_ECALL_M, 1b
    LDV a0, m_rec + REC_STATUS
    CHECKM 253, a0, MSTATUS_MIE | MSTATUS_MPIE, MSTATUS_MPIE
    csrr a0, mstatus
    CHECKM 254, a0, MSTATUS_MIE, MSTATUS_MIE    /* mret restored it */
    csrci mstatus, MSTATUS_MIE
TEST_END
