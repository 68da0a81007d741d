/*
 * in.S - a device register read per iteration: lbu of the NS16550A UART's line status
 * register (0x10000005) over MMIO, from S-mode (Adams & Agesen's in: an I/O port read).
 * Checks that the transmitter-empty bit (THRE) reads as set, as on an idle UART.
 */
#include "bench.h"

    BENCH_START
    ENTER PRV_S
    li a0, UART_BASE
    li a1, LSR_THRE
    BENCH_LOOP
    lbu a1, UART_LSR(a0)
    BENCH_LOOP_END
    andi a1, a1, LSR_THRE
    bnez a1, 2f
    BENCH_FAIL 1
2:  BENCH_PASS
    BENCH_NO_S_HANDLER
    BENCH_DATA
