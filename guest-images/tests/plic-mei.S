/*
 * plic-mei.S - machine external interrupts through the PLIC (QEMU virt layout: base
 * 0x0c00_0000, UART on source 10, context 0 = hart 0 M-mode): the UART's THR-empty
 * interrupt (IER bit 1) raises mip.MEIP; with MEIE and MIE it is taken as mcause
 * 0x800000000000000b; claim returns 10, complete ends it; MEIP cannot be cleared by a CSR
 * write. Then the priority rule MEI > MSI > MTI with all three pending.
 * Needs a PLIC (not in rvwasm's documented machine yet). QEMU 7.2 passes 1-19 and fails
 * 20-22 because it takes the lowest-numbered interrupt first (see rvwasm-strict.S).
 */
#include "test.h"

#define PLIC_PRIO10     (PLIC_BASE + 4 * 10)
#define PLIC_ENABLE0    (PLIC_BASE + 0x2000)
#define PLIC_THRESHOLD0 (PLIC_BASE + 0x200000)
#define PLIC_CLAIM0     (PLIC_BASE + 0x200004)
#define UART_SRC        10

TEST_BEGIN plic-mei
    li a7, 0
    csrw mie, zero
    csrci mstatus, MSTATUS_MIE
    li gp, 1                    /* (a fault here: no PLIC) */
    li a0, PLIC_PRIO10
    li a1, 1
    sw a1, 0(a0)
    li a0, PLIC_ENABLE0
    li a1, 1 << UART_SRC
    sw a1, 0(a0)
    li a0, PLIC_THRESHOLD0
    sw zero, 0(a0)
    li a0, UART_BASE            /* THR-empty interrupt: the THR is empty, so it fires */
    li a1, 2
    sb a1, UART_IER(a0)
    li s0, 1000000
1:  csrr a0, mip
    srli a0, a0, IRQ_MEI
    andi a0, a0, 1
    bnez a0, 2f
    addi s0, s0, -1
    bnez s0, 1b
    FAIL 1
2:  li a0, MIP_MEIP             /* read-only in mip */
    csrc mip, a0
    csrr a0, mip
    CHECKM 2, a0, MIP_MEIP, MIP_MEIP
    /* take it: the hook claims, silences the UART and completes */
    li a0, MIP_MEIP
    csrw mie, a0
    EXPECT_M
    SET_HOOK m_rec, hook_mei
    csrsi mstatus, MSTATUS_MIE
3:  nop
    csrci mstatus, MSTATUS_MIE
    CHECK_REC 3, m_rec, REC_COUNT, 1
    CHECK_REC 4, m_rec, REC_CAUSE, CAUSE_INTR | IRQ_MEI
    CHECK_RECL 5, m_rec, REC_EPC, 3b
    CHECKV 6, claimed, UART_SRC
    li s0, 10000
4:  addi s0, s0, -1
    bnez s0, 4b
    csrr a0, mip
    CHECKM 7, a0, MIP_MEIP, 0

/* priority: MEI before MSI before MTI */
    li a0, UART_BASE
    li a1, 2
    sb a1, UART_IER(a0)
    li a1, CLINT_MSIP
    li a0, 1
    sw a0, 0(a1)
    li a1, CLINT_MTIMECMP
    sd zero, 0(a1)
    li s0, 1000000
5:  csrr a0, mip
    srli a0, a0, IRQ_MEI
    andi a0, a0, 1
    bnez a0, 6f
    addi s0, s0, -1
    bnez s0, 5b
    FAIL 8
6:  li a0, MIP_MEIP | MIP_MSIP | MIP_MTIP
    csrw mie, a0
    TRAP_RESET m_rec
    ARM m_rec, 3
    SET_HOOK m_rec, hook_any
    csrsi mstatus, MSTATUS_MIE
    nop
    csrci mstatus, MSTATUS_MIE
    CHECK_REC 9, m_rec, REC_COUNT, 3
    CHECK_REC 20, m_rec, REC_LOG + 0, CAUSE_INTR | IRQ_MEI
    CHECK_REC 21, m_rec, REC_LOG + 8, CAUSE_INTR | IRQ_MSI
    CHECK_REC 22, m_rec, REC_LOG + 16, CAUSE_INTR | IRQ_MTI
    csrw mie, zero
TEST_END

/* claim the interrupt, turn the UART interrupt off, complete */
hook_mei:
    li t0, PLIC_CLAIM0
    lw t1, 0(t0)
    la t2, claimed
    sd t1, 0(t2)
    li t2, UART_BASE
    sb zero, UART_IER(t2)
    sw t1, 0(t0)
    ret

/* silence whichever source it was */
hook_any:
    andi t0, a0, 0x3f
    li t1, IRQ_MEI
    beq t0, t1, hook_mei
    li t1, IRQ_MSI
    bne t0, t1, 1f
    li t2, CLINT_MSIP
    sw zero, 0(t2)
    ret
1:  li t2, CLINT_MTIMECMP
    li t3, TIMER_NEVER
    sd t3, 0(t2)
    ret

    .section .bss
    .balign 8
claimed:    .skip 8
