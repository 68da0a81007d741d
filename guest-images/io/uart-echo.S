/*
 * uart-echo.S - echoes UART input back, driven by receive interrupts through the PLIC
 * (source 10, context 0 = M-mode), sleeping in WFI in between. Ends with a pass when it
 * reads 'q'. Used by the CLI tests to check that host stdin reaches the guest and wakes
 * it from WFI.
 */
#define UART      0x10000000
#define PLIC      0x0c000000
#define FINISHER  0x00100000

    .section .text.init
    .globl _start
_start:
    la t0, trap
    csrw mtvec, t0
    li t0, PLIC + 4 * 10        /* source 10 (UART): priority 1 */
    li t1, 1
    sw t1, 0(t0)
    li t0, PLIC + 0x2000        /* context 0 enables source 10 */
    li t1, 1 << 10
    sw t1, 0(t0)
    li t0, PLIC + 0x200000      /* context 0 threshold 0 */
    sw zero, 0(t0)
    li t0, UART
    li t1, 1                    /* IER: receive data available */
    sb t1, 1(t0)
    li t1, 1 << 11              /* MEIE */
    csrw mie, t1
    csrsi mstatus, 8            /* MIE */
idle:
    wfi
    j idle

    .align 2
trap:
    li t0, PLIC + 0x200004
    lw t2, 0(t0)                /* claim */
    li t3, UART
1:  lbu t4, 5(t3)               /* LSR: data ready? */
    andi t4, t4, 1
    beqz t4, 2f
    lbu t5, 0(t3)
    sb t5, 0(t3)
    li t6, 'q'
    beq t5, t6, done
    j 1b
2:  sw t2, 0(t0)                /* complete */
    mret
done:
    li t0, FINISHER
    li t1, 0x5555
    sw t1, 0(t0)
    j done
