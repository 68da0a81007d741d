/*
 * cli-sti.S - interrupts off and on again per iteration: csrc sstatus, SIE then
 * csrs sstatus, SIE (x86 cli/sti; Adams & Agesen's cr8wr, a write of the interrupt
 * priority). S-mode with sie = 0 and mie = 0, so no interrupt is ever taken. Checks that
 * sstatus.SIE ends set.
 */
#include "bench.h"

    BENCH_START
    ENTER PRV_S
    csrw sie, zero
    li a0, MSTATUS_SIE
    csrs sstatus, a0            /* enabled going in, as after every iteration */
    BENCH_LOOP
    csrc sstatus, a0
    csrs sstatus, a0
    BENCH_LOOP_END
    csrr t0, sstatus
    andi t0, t0, MSTATUS_SIE
    bnez t0, 2f
    BENCH_FAIL 1
2:  csrc sstatus, a0
    BENCH_PASS
    BENCH_NO_S_HANDLER
    BENCH_DATA
