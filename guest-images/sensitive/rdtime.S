/*
 * rdtime.S - reads the time CSR (rdtime a2 = csrr a2, time) once per iteration: this ISA's
 * rdtsc (Adams & Agesen's rdtsc). S-mode, allowed by mcounteren.TM. Checks that time
 * never went backwards over the loop.
 */
#include "bench.h"

    BENCH_START
    ENTER PRV_S
    rdtime a1
    mv a2, a1
    BENCH_LOOP
    rdtime a2
    BENCH_LOOP_END
    bgeu a2, a1, 2f
    BENCH_FAIL 1
2:  BENCH_PASS
    BENCH_NO_S_HANDLER
    BENCH_DATA
