/*
 * pgfault.S - a page fault per iteration (Adams & Agesen's pgfault): S-mode with Sv39
 * on, each iteration loads from TEST_VA, whose leaf PTE is invalid; the load page fault
 * is delegated to S (medeleg bit 13), whose handler skips the load (sepc += 4) and
 * srets. Checks scause and stval of the last fault.
 */
#include "bench.h"

    BENCH_START
    li t0, 1 << CAUSE_LOAD_PAGE
    csrw medeleg, t0
    la t0, pt_l0
    sd zero, 0(t0)              /* TEST_VA unmapped */
    SV39_ON
    ENTER PRV_S
    csrw scause, zero
    csrw stval, zero
    li a0, TEST_VA
    BENCH_LOOP
    ld t0, 0(a0)
    BENCH_LOOP_END
    la t0, bench_iterations
    ld t0, 0(t0)
    beqz t0, 2f
    csrr t0, scause
    li t1, CAUSE_LOAD_PAGE
    beq t0, t1, 1f
    BENCH_FAIL 1
1:  csrr t0, stval
    beq t0, a0, 2f
    BENCH_FAIL 2
2:  BENCH_PASS
    BENCH_S_HANDLER
    BENCH_DATA
