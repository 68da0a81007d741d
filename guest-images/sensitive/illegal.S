/*
 * illegal.S - an illegal-instruction exception per iteration, standing in for Adams &
 * Agesen's divzero (RISC-V division does not trap): the custom-0 opcode word 0x0000000b,
 * which neither rvwasm nor QEMU implements and which is not a CSR access, is delegated
 * to S (medeleg bit 2), whose handler skips it (sepc += 4) and srets. S-mode, no
 * paging. Checks scause of the last trap.
 */
#include "bench.h"

    BENCH_START
    li t0, 1 << CAUSE_ILLEGAL
    csrw medeleg, t0
    ENTER PRV_S
    csrw scause, zero
    BENCH_LOOP
    .4byte 0x0000000b
    BENCH_LOOP_END
    la t0, bench_iterations
    ld t0, 0(t0)
    beqz t0, 2f
    csrr t0, scause
    li t1, CAUSE_ILLEGAL
    beq t0, t1, 2f
    BENCH_FAIL 1
2:  BENCH_PASS
    BENCH_S_HANDLER
    BENCH_DATA
