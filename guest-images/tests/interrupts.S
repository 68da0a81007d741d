/*
 * interrupts.S - interrupt delivery:
 *   machine timer (CLINT mtimecmp) and machine software (CLINT msip) interrupts; the
 *   supervisor software/timer/external interrupts injected by M through mip.SSIP/STIP/SEIP,
 *   taken in M when not delegated and in S when delegated through mideleg; S raising its
 *   own sip.SSIP; mcause (interrupt bit + code), mepc = the next instruction when an
 *   enable makes a pending interrupt fire, MPIE/MPP and SPIE/SPP on entry;
 *   global enables: M-level interrupts fire in S and U whatever mstatus.MIE says, and not
 *   in M while MIE = 0; S-level delegated interrupts fire in U whatever SIE says, in S only
 *   with SIE = 1, never in M; non-delegated S-level interrupts go to M and follow MIE;
 *   an M-level interrupt is taken before a pending delegated S-level one (the order
 *   within a target, MSI > MTI > SEI > SSI > STI and SEI > SSI > STI, is checked in
 *   rvwasm-strict.S: QEMU 7.2 without AIA takes the lowest number first; MEI: plic-mei.S);
 *   vectored mtvec/stvec: interrupts enter at base + 4 * cause, exceptions at base;
 *   WFI: returns (at once or when the timer fires) with MIE = 0, and a pending enabled
 *   interrupt is taken after it.
 */
#include "test.h"

/* wait (bounded) until the handler of \rec has taken \n traps */
.macro WAIT_FOR num, rec, n
    li a5, 50000000
.Lw\@:
    LDV a4, \rec + REC_COUNT
    li a3, \n
    bgeu a4, a3, .Ld\@
    addi a5, a5, -1
    bnez a5, .Lw\@
    FAIL \num
.Ld\@:
.endm

/* spin \n iterations */
.macro SPIN n
    li a5, \n
.Ls\@:
    addi a5, a5, -1
    bnez a5, .Ls\@
.endm

#define INTR(c) (CAUSE_INTR | (c))

TEST_BEGIN interrupts
    li a7, 0
    csrw mideleg, zero
    csrw medeleg, zero
    csrw mie, zero
    csrw mip, zero
    csrci mstatus, MSTATUS_MIE

/* ------------------------------------------------------------ MTI in M */
    TIMER_IN 200
    li a0, MIP_MTIP
    csrw mie, a0
    EXPECT_M
    csrsi mstatus, MSTATUS_MIE
    WAIT_FOR 1, m_rec, 1
    CHECK_REC 2, m_rec, REC_CAUSE, INTR(IRQ_MTI)
    LDV a0, m_rec + REC_STATUS
    CHECKM 3, a0, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP, MSTATUS_MPIE | MSTATUS_MPP_M
    csrr a0, mstatus
    CHECKM 4, a0, MSTATUS_MIE, MSTATUS_MIE
    csrr a0, mip
    CHECKM 5, a0, MIP_MTIP, 0              /* the handler moved mtimecmp away */
/* pending with MIE = 0: not taken; the enable makes it fire before the next instruction */
    csrci mstatus, MSTATUS_MIE
    TRAP_RESET m_rec
    li a0, CLINT_MTIMECMP
    sd zero, 0(a0)
    SPIN 1000
    csrr a0, mip
    CHECKM 6, a0, MIP_MTIP, MIP_MTIP
    CHECK_NOTRAP 7, m_rec
    ARM m_rec, 1
    csrsi mstatus, MSTATUS_MIE
10: nop
    CHECK_REC 8, m_rec, REC_COUNT, 1
    CHECK_RECL 9, m_rec, REC_EPC, 10b
    CHECK_REC 10, m_rec, REC_CAUSE, INTR(IRQ_MTI)
/* pending and MIE = 1 but MTIE = 0: not taken; setting MTIE makes it fire */
    csrw mie, zero
    TRAP_RESET m_rec
    li a0, CLINT_MTIMECMP
    sd zero, 0(a0)
    SPIN 100
    CHECK_NOTRAP 11, m_rec
    ARM m_rec, 1
    li a0, MIP_MTIP
    csrs mie, a0
11: nop
    CHECK_REC 12, m_rec, REC_COUNT, 1
    CHECK_RECL 13, m_rec, REC_EPC, 11b
    csrci mstatus, MSTATUS_MIE

/* ------------------------------------------------------------ MSI in M */
    li a0, MIP_MSIP
    csrw mie, a0
    EXPECT_M
    li a1, CLINT_MSIP
    li a0, 1
    sw a0, 0(a1)
    csrsi mstatus, MSTATUS_MIE
12: nop
    CHECK_REC 14, m_rec, REC_COUNT, 1
    CHECK_REC 15, m_rec, REC_CAUSE, INTR(IRQ_MSI)
    CHECK_RECL 16, m_rec, REC_EPC, 12b
    LDV a0, m_rec + REC_IP
    CHECKM 17, a0, MIP_MSIP, MIP_MSIP
    csrr a0, mip
    CHECKM 18, a0, MIP_MSIP, 0
    csrci mstatus, MSTATUS_MIE

/* ------------------------------------------------------------ M-level interrupts below M ignore MIE */
    li a0, MSTATUS_MPIE
    csrc mstatus, a0            /* so MIE stays 0 after the mret of GO_S */
    li a0, MIP_MTIP | MIP_MSIP
    csrw mie, a0
    GO_S
    EXPECT_M
    TIMER_IN 200
    WAIT_FOR 20, m_rec, 1
    CHECK_REC 21, m_rec, REC_CAUSE, INTR(IRQ_MTI)
    LDV a0, m_rec + REC_STATUS
    CHECKM 22, a0, MSTATUS_MPP | MSTATUS_MIE | MSTATUS_MPIE, MSTATUS_MPP_S
    GO_M
    csrr a0, mstatus
    CHECKM 23, a0, MSTATUS_MIE, 0
    /* MSI pending while MIE = 0 in M: it fires as soon as mret drops to U */
    EXPECT_M
    li a1, CLINT_MSIP
    li a0, 1
    sw a0, 0(a1)
    SPIN 100
    CHECK_NOTRAP 28, m_rec
    ARM m_rec, 1
    li t6, MSTATUS_MPP
    csrc mstatus, t6
    la t6, 13f
    csrw mepc, t6
    mret
13: nop
    CHECK_REC 24, m_rec, REC_COUNT, 1
    CHECK_REC 25, m_rec, REC_CAUSE, INTR(IRQ_MSI)
    CHECK_RECL 26, m_rec, REC_EPC, 13b
    LDV a0, m_rec + REC_STATUS
    CHECKM 27, a0, MSTATUS_MPP, 0
    GO_M
    csrw mie, zero

/* ------------------------------------------------------------ S-level interrupts, not delegated: to M */
    csrw mideleg, zero
    csrci mstatus, MSTATUS_MIE  /* (the mret of GO_M set MIE from MPIE) */
    li a0, MIP_SSIP | MIP_STIP | MIP_SEIP
    csrw mie, a0
    .irp irq, IRQ_SSI, IRQ_STI, IRQ_SEI
    EXPECT_M
    li a0, 1 << \irq
    csrs mip, a0                /* MIE = 0 in M: stays pending */
    SPIN 50
    CHECK_NOTRAP (30 + \irq), m_rec
    csrsi mstatus, MSTATUS_MIE
    CHECK_REC (40 + \irq), m_rec, REC_CAUSE, INTR(\irq)
    csrci mstatus, MSTATUS_MIE
    csrr a0, mip
    CHECKM (50 + \irq), a0, 1 << \irq, 0
    .endr
    /* from S with MIE = 0: still taken by M */
    li a0, MSTATUS_MPIE
    csrc mstatus, a0
    GO_S
    EXPECT_M
    TRAP_RESET s_rec
    GO_M                        /* (inject from M, then come back to S) */
    li a0, MIP_STIP
    csrs mip, a0
    GO_S
    WAIT_FOR 60, m_rec, 1
    CHECK_REC 61, m_rec, REC_CAUSE, INTR(IRQ_STI)
    CHECK_NOTRAP 62, s_rec
    GO_M
    csrw mie, zero

/* ------------------------------------------------------------ delegated S-level interrupts */
    li a0, MIP_SSIP | MIP_STIP | MIP_SEIP
    csrw mideleg, a0
    csrw mie, a0
    /* pending in M (MIE = 1, SIE = 1): never taken in M */
    EXPECT_BOTH_RESET
    li a0, MSTATUS_SIE
    csrs mstatus, a0
    li a0, MIP_SSIP
    csrs mip, a0
    csrsi mstatus, MSTATUS_MIE
    SPIN 100
    CHECK_NOTRAP 63, m_rec
    CHECK_NOTRAP 64, s_rec
    csrci mstatus, MSTATUS_MIE
    li a0, MSTATUS_SIE | MSTATUS_MPIE
    csrc mstatus, a0
    /* in S with SIE = 0: not taken; SIE = 1 takes it at once */
    GO_S
    SPIN 100
    CHECK_NOTRAP 65, s_rec
    CHECK_NOTRAP 66, m_rec
    ARM s_rec, 1
    csrsi sstatus, MSTATUS_SIE
14: nop
    CHECK_REC 67, s_rec, REC_COUNT, 1
    CHECK_REC 68, s_rec, REC_CAUSE, INTR(IRQ_SSI)
    CHECK_RECL 69, s_rec, REC_EPC, 14b
    LDV a0, s_rec + REC_STATUS
    CHECKM 70, a0, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, MSTATUS_SPP | MSTATUS_SPIE
    LDV a0, s_rec + REC_IP
    CHECKM 71, a0, MIP_SSIP, MIP_SSIP
    csrr a0, sip
    CHECKM 72, a0, MIP_SSIP, 0                 /* the S handler cleared it */
    CHECK_NOTRAP 73, m_rec
    /* S raises its own software interrupt */
    EXPECT_S
    csrsi sip, MIP_SSIP
15: nop
    CHECK_REC 74, s_rec, REC_COUNT, 1
    CHECK_RECL 75, s_rec, REC_EPC, 15b
    csrci sstatus, MSTATUS_SIE
    /* in U with SIE = 0: taken by S */
    S_GO_U
    EXPECT_S
    TRAP_RESET m_rec
    li a0, 0                    /* U cannot touch sip: ask M to inject STIP */
    GO_M
    li a0, MIP_STIP
    csrs mip, a0
    GO_U
    WAIT_FOR 76, s_rec, 1
    CHECK_REC 77, s_rec, REC_CAUSE, INTR(IRQ_STI)
    LDV a0, s_rec + REC_STATUS
    CHECKM 78, a0, MSTATUS_SPP, 0
    CHECK_NOTRAP 79, m_rec
    GO_M
    li a0, MIP_STIP
    csrc mip, a0
    /* SEI delegated, from S with SIE = 1 */
    li a0, MIP_SEIP | MIP_SSIP | MIP_STIP
    csrs mie, a0
    li a0, MIP_SEIP
    csrs mip, a0
    li a0, MSTATUS_SIE          /* (the srets above left SIE = 1) */
    csrc mstatus, a0
    TRAP_RESET s_rec
    GO_S
    SPIN 100
    CHECK_NOTRAP 82, s_rec
    ARM s_rec, 1
    csrsi sstatus, MSTATUS_SIE
16: nop
    CHECK_REC 80, s_rec, REC_CAUSE, INTR(IRQ_SEI)
    CHECK_RECL 81, s_rec, REC_EPC, 16b
    csrci sstatus, MSTATUS_SIE
    GO_M
    csrw mip, zero
    csrw mie, zero

/* (priority among several pending interrupts of the same target: rvwasm-strict.S, because
   QEMU 7.2 without AIA takes the lowest-numbered one first) */

/* ------------------------------------------------------------ M-level before S-level, in S */
    li a0, MIP_SSIP
    csrw mideleg, a0
    li a0, MIP_SSIP | MIP_MTIP
    csrw mie, a0
    li a0, MIP_SSIP
    csrs mip, a0
    li a1, CLINT_MTIMECMP
    sd zero, 0(a1)
    li a0, MSTATUS_MPIE
    csrc mstatus, a0
    EXPECT_BOTH_RESET
    ARM m_rec, 1
    ARM s_rec, 1
    SET_HOOK m_rec, hook_snapshot
    li a0, MSTATUS_SIE
    csrs mstatus, a0            /* both enabled in S: the timer must win */
    GO_S
    nop
    csrci sstatus, MSTATUS_SIE
    CHECK_REC 100, m_rec, REC_COUNT, 1
    CHECK_REC 101, m_rec, REC_CAUSE, INTR(IRQ_MTI)
    CHECK_REC 102, s_rec, REC_COUNT, 1
    CHECK_REC 103, s_rec, REC_CAUSE, INTR(IRQ_SSI)
    CHECKV 104, snapshot, 0     /* S had taken nothing when M took the timer */
    GO_M
    csrw mie, zero
    csrw mip, zero
    csrw mideleg, zero

/* ------------------------------------------------------------ vectored mode */
    csrci mstatus, MSTATUS_MIE
    la a0, m_vec_table + 1
    csrw mtvec, a0
    li a0, MIP_MTIP | MIP_MSIP | MIP_SSIP
    csrw mie, a0
    EXPECT_M
    li a1, CLINT_MTIMECMP
    sd zero, 0(a1)
    csrsi mstatus, MSTATUS_MIE
    nop
    csrci mstatus, MSTATUS_MIE
    CHECK_REC 110, m_rec, REC_CAUSE, INTR(IRQ_MTI)
    CHECK_REC 111, m_rec, REC_VEC, IRQ_MTI
    EXPECT_M
    li a1, CLINT_MSIP
    li a0, 1
    sw a0, 0(a1)
    csrsi mstatus, MSTATUS_MIE
    nop
    csrci mstatus, MSTATUS_MIE
    CHECK_REC 112, m_rec, REC_VEC, IRQ_MSI
    EXPECT_M
    csrsi mip, MIP_SSIP
    csrsi mstatus, MSTATUS_MIE
    nop
    csrci mstatus, MSTATUS_MIE
    CHECK_REC 113, m_rec, REC_VEC, IRQ_SSI
    EXPECT_M
    li a7, 0
17: ecall                       /* exceptions use the base */
    CHECK_REC 114, m_rec, REC_VEC, 0
    CHECK_REC 115, m_rec, REC_CAUSE, CAUSE_ECALL_M
    la a0, m_trap_entry
    csrw mtvec, a0
    /* stvec vectored, delegated STI and SSI */
    li a0, MIP_STIP | MIP_SSIP
    csrw mideleg, a0
    csrw mie, a0
    la a0, s_vec_table + 1
    csrw stvec, a0
    li a0, MIP_STIP
    csrs mip, a0
    GO_S
    EXPECT_S
    csrsi sstatus, MSTATUS_SIE
    nop
    csrci sstatus, MSTATUS_SIE
    CHECK_REC 116, s_rec, REC_CAUSE, INTR(IRQ_STI)
    CHECK_REC 117, s_rec, REC_VEC, IRQ_STI
    EXPECT_S
    csrsi sip, MIP_SSIP
    csrsi sstatus, MSTATUS_SIE
    nop
    csrci sstatus, MSTATUS_SIE
    CHECK_REC 118, s_rec, REC_VEC, IRQ_SSI
    la a0, s_trap_entry
    csrw stvec, a0
    GO_M
    csrw mip, zero
    csrw mie, zero
    csrw mideleg, zero

/* ------------------------------------------------------------ WFI */
    csrci mstatus, MSTATUS_MIE
    /* MIE = 0: wfi returns (at once, or when the timer fires); nothing is taken */
    li a0, MIP_MTIP
    csrw mie, a0
    TRAP_RESET m_rec
    TIMER_IN 500
    li s0, 100000
18: wfi
    csrr a0, mip
    andi a0, a0, MIP_MTIP
    bnez a0, 19f
    addi s0, s0, -1
    bnez s0, 18b
    FAIL 120
19: CHECK_NOTRAP 121, m_rec
    /* MIE = 1: the interrupt that ends the wait is taken */
    TIMER_IN 500
    EXPECT_M
    csrsi mstatus, MSTATUS_MIE
    li s0, 100000
20: wfi
    LDV a0, m_rec + REC_COUNT
    bnez a0, 21f
    addi s0, s0, -1
    bnez s0, 20b
    FAIL 122
21: csrci mstatus, MSTATUS_MIE
    CHECK_REC 123, m_rec, REC_CAUSE, INTR(IRQ_MTI)
    csrw mie, zero
    TIMER_OFF
TEST_END

/* M hook: note how many traps S had taken, then silence the timer */
hook_snapshot:
    la t0, s_rec
    ld t1, REC_COUNT(t0)
    la t0, snapshot
    sd t1, 0(t0)
    li t0, CLINT_MTIMECMP
    li t1, TIMER_NEVER
    sd t1, 0(t0)
    ret

    .section .bss
    .balign 8
snapshot: .skip 8
