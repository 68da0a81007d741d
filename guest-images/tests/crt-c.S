/*
 * crt-c.S - glue for the tests written in C: c_fail(test, got, expected) reports a
 * failed check through the runtime (gp = test number, t5 = got, t6 = expected).
 */
#include "test.h"
    .text
    .option norvc
    .globl c_fail
c_fail:
    mv gp, a0
    mv t5, a1
    mv t6, a2
    j fail_check
