/*
 * syscall.S - a system-call round trip per iteration: ecall from U-mode, delegated to S
 * (medeleg bit 8), whose handler skips it (sepc += 4) and srets back to U (Adams &
 * Agesen's syscall). The loop runs in U-mode, without paging.
 */
#include "bench.h"

    BENCH_START
    li t0, 1 << CAUSE_ECALL_U
    csrw medeleg, t0
    csrw scause, zero
    ENTER PRV_U
    BENCH_LOOP
    ecall
    BENCH_LOOP_END
    /* U may not read scause: back in U after the loop, trust the count of round trips
       the loop itself made; one more ecall checks that the S handler is the one that
       returns (a trap to M would fail with status 72). */
    ecall
    BENCH_PASS
    BENCH_S_HANDLER
    BENCH_DATA
