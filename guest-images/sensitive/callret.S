/*
 * callret.S - a chain of four nested calls and returns per iteration (Adams & Agesen's
 * call/ret): no sensitive instruction at all, but indirect control flow (the returns)
 * that a binary translator must look up. S-mode, no paging; each non-leaf level saves
 * ra on the stack. Checks that every level ran once per iteration.
 */
#include "bench.h"

    BENCH_START
    ENTER PRV_S
    li a0, 0
    BENCH_LOOP
    call level1
    BENCH_LOOP_END
    la t0, bench_iterations
    ld t0, 0(t0)
    slli t0, t0, 2              /* four levels */
    beq a0, t0, 2f
    BENCH_FAIL 1
2:  BENCH_PASS

level1:
    addi sp, sp, -16
    sd ra, 8(sp)
    addi a0, a0, 1
    call level2
    ld ra, 8(sp)
    addi sp, sp, 16
    ret
level2:
    addi sp, sp, -16
    sd ra, 8(sp)
    addi a0, a0, 1
    call level3
    ld ra, 8(sp)
    addi sp, sp, 16
    ret
level3:
    addi sp, sp, -16
    sd ra, 8(sp)
    addi a0, a0, 1
    call level4
    ld ra, 8(sp)
    addi sp, sp, 16
    ret
level4:
    addi a0, a0, 1
    ret

    BENCH_NO_S_HANDLER
    BENCH_DATA
