/*
 * xret.S - MRET and SRET:
 *   mret: pc = mepc (also a 2-byte-aligned one), MIE = MPIE, MPIE = 1, MPP = U (the least
 *   privileged mode) afterwards, privilege = old MPP (M, S or U);
 *   sret: pc = sepc, SIE = SPIE, SPIE = 1, SPP = U afterwards, privilege = old SPP; sret
 *   is legal in M and returns to S or U;
 *   TSR = 1 makes sret in S raise illegal instruction (not in M); TVM = 1 makes satp
 *   accesses and sfence.vma in S raise illegal instruction (not in M); TW = 1 lets WFI in
 *   S trap as illegal instruction (it may also complete: both are accepted, as the spec
 *   allows); mret in S/U and sret in U are illegal (see also traps-m.S).
 *   (MPRV cleared by an xRET to S/U: rvwasm-strict.S.)
 */
#include "test.h"

.macro CHECK_ILL num, label, bits
    CHECK_TRAP \num, m_rec, CAUSE_ILLEGAL, \label
    CHECK_REC (\num + 3), m_rec, REC_TVAL, \bits
.endm

TEST_BEGIN xret
    li a7, 0
/* ------------------------------------------------------------ mret M -> M */
    li a0, MSTATUS_MIE | MSTATUS_MPP
    csrc mstatus, a0
    li a0, MSTATUS_MPIE | MSTATUS_MPP_M
    csrs mstatus, a0
    la a0, 1f
    csrw mepc, a0
    mret
    FAIL 1
1:  csrr a0, mstatus
    CHECKM 2, a0, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP, MSTATUS_MIE | MSTATUS_MPIE
    li a0, MSTATUS_MPIE
    csrc mstatus, a0            /* MIE = 1, MPIE = 0 */
    li a0, MSTATUS_MPP_M
    csrs mstatus, a0
    la a0, 2f
    csrw mepc, a0
    mret
    FAIL 3
2:  csrr a0, mstatus
    CHECKM 4, a0, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP, MSTATUS_MPIE
/* mret to a 2-byte-aligned address */
    li a0, MSTATUS_MPP_M
    csrs mstatus, a0
    la a0, 3f
    csrw mepc, a0
    mret
    FAIL 5
    .balign 4
    .option rvc
    c.nop
3:  c.nop
    .option norvc
    la a1, 3b
    andi a1, a1, 3
    CHECK 6, a1, 2
/* mret to S and to U: the privilege is the old MPP (seen by the next trap) */
    GO_S
    EXPECT_M
    ecall
    CHECK_REC 7, m_rec, REC_CAUSE, CAUSE_ECALL_S
    GO_M
    GO_U
    EXPECT_M
    ecall
    CHECK_REC 8, m_rec, REC_CAUSE, CAUSE_ECALL_U
    GO_M

/* ------------------------------------------------------------ sret S -> S */
    GO_S
    li a0, MSTATUS_SIE
    csrc sstatus, a0
    li a0, MSTATUS_SPIE | MSTATUS_SPP
    csrs sstatus, a0
    la a0, 4f
    csrw sepc, a0
    sret
    FAIL 9
4:  csrr a0, sstatus
    CHECKM 10, a0, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP, MSTATUS_SIE | MSTATUS_SPIE
    li a0, MSTATUS_SPIE
    csrc sstatus, a0            /* SIE = 1, SPIE = 0 */
    li a0, MSTATUS_SPP
    csrs sstatus, a0
    la a0, 5f
    csrw sepc, a0
    sret
    FAIL 11
5:  csrr a0, sstatus
    CHECKM 12, a0, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP, MSTATUS_SPIE
/* sret S -> U, seen by a delegated ecall from U */
    GO_M
    li a0, 1 << CAUSE_ECALL_U
    csrw medeleg, a0
    GO_S
    S_GO_U
    EXPECT_S
    li a7, 0
    ecall
    CHECK_REC 13, s_rec, REC_CAUSE, CAUSE_ECALL_U
    LDV a0, s_rec + REC_STATUS
    CHECKM 14, a0, MSTATUS_SPP, 0
    U_GO_S
    GO_M
    csrw medeleg, zero
/* sret executed in M: to S (SPP = 1) and to U (SPP = 0) */
    li a0, MSTATUS_SPP
    csrs mstatus, a0
    la a0, 6f
    csrw sepc, a0
    sret
    FAIL 15
6:  EXPECT_M
    ecall
    CHECK_REC 16, m_rec, REC_CAUSE, CAUSE_ECALL_S
    GO_M
    csrr a0, mstatus
    CHECKM 17, a0, MSTATUS_SPP, 0                   /* the sret set SPP = U */
    la a0, 7f
    csrw sepc, a0
    sret
    FAIL 18
7:  EXPECT_M
    ecall
    CHECK_REC 19, m_rec, REC_CAUSE, CAUSE_ECALL_U
    GO_M

/* ------------------------------------------------------------ TSR */
    li a0, MSTATUS_TSR
    csrs mstatus, a0
    GO_S
    la a0, 8f
    csrw sepc, a0
    li a0, MSTATUS_SPP
    csrs sstatus, a0
    EXPECT_M
20: sret
    CHECK_ILL 21, 20b, 0x10200073
    GO_M
    /* TSR does not apply to M */
    li a0, MSTATUS_SPP
    csrs mstatus, a0
    la a0, 8f
    csrw sepc, a0
    TRAP_RESET m_rec
    sret
    FAIL 25
8:  CHECK_NOTRAP 26, m_rec
    GO_M
    li a0, MSTATUS_TSR
    csrc mstatus, a0
    GO_S
    li a0, MSTATUS_SPP
    csrs sstatus, a0
    la a0, 9f
    csrw sepc, a0
    TRAP_RESET m_rec
    sret                        /* TSR = 0: fine in S */
    FAIL 27
9:  CHECK_NOTRAP 28, m_rec
    GO_M

/* ------------------------------------------------------------ TVM */
    li a0, MSTATUS_TVM
    csrs mstatus, a0
    csrr a0, satp               /* not in M */
    csrw satp, zero
    sfence.vma
    GO_S
    EXPECT_M
30: csrr a0, satp
    CHECK_ILL 31, 30b, 0x18002573
    EXPECT_M
35: csrw satp, zero
    CHECK_ILL 36, 35b, 0x18001073
    EXPECT_M
40: sfence.vma
    CHECK_ILL 41, 40b, 0x12000073
    EXPECT_M
45: sfence.vma a0, zero
    CHECK_ILL 46, 45b, 0x12050073
    GO_M
    li a0, MSTATUS_TVM
    csrc mstatus, a0
    GO_S
    TRAP_RESET m_rec
    csrr a0, satp
    csrw satp, zero
    sfence.vma
    CHECK_NOTRAP 50, m_rec
    GO_M

/* ------------------------------------------------------------ TW */
    li a0, MSTATUS_TW
    csrs mstatus, a0
    li a0, MIP_MTIP             /* something to end a wait: M timer, always enabled in S */
    csrw mie, a0
    GO_S
    TIMER_IN 2000
    TRAP_RESET m_rec
    ARM m_rec, 2
60: wfi
    li a5, 1000000              /* let the timer fire if wfi completed */
61: LDV a4, m_rec + REC_COUNT
    bnez a4, 62f
    addi a5, a5, -1
    bnez a5, 61b
    FAIL 63
62: LDV a0, m_rec + REC_LOG
    li a1, CAUSE_ILLEGAL
    bne a0, a1, 64f             /* wfi completed: the first trap was the timer */
    CHECK_RECL 65, m_rec, REC_EPC, 60b
    CHECK_REC 66, m_rec, REC_TVAL, 0x10500073
    j 67f
64: CHECK 68, a0, CAUSE_INTR | IRQ_MTI
67: GO_M
    TIMER_OFF
    csrw mie, zero
    li a0, MSTATUS_TW
    csrc mstatus, a0
    csrr a0, mstatus
    CHECKM 69, a0, MSTATUS_TW, 0
TEST_END
