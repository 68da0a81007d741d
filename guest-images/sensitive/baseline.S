/*
 * baseline.S - the benchmark loop with a plain addi as its operation: what every other
 * program's figure is compared with (their cost above this one is the operation's).
 * S-mode, no paging.
 */
#include "bench.h"

    BENCH_START
    ENTER PRV_S
    li a0, 0
    BENCH_LOOP
    addi a0, a0, 1
    BENCH_LOOP_END
    la t0, bench_iterations
    ld t0, 0(t0)
    beq a0, t0, 2f
    BENCH_FAIL 1
2:  BENCH_PASS
    BENCH_NO_S_HANDLER
    BENCH_DATA
