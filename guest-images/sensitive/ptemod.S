/*
 * ptemod.S - a page-table update per iteration (Adams & Agesen's ptemod): S-mode with
 * Sv39 on, each iteration rewrites the leaf PTE of TEST_VA, alternating between two
 * physical frames (page_a, page_b), executes sfence.vma for that address, then loads
 * through it. Checks that the last load saw the frame the PTE last pointed at, and that
 * one more switch is seen as well.
 */
#include "bench.h"

#define VAL_A 0x0aaaaaaa
#define VAL_B 0x0bbbbbbb

    BENCH_START
    la t0, page_a
    li t1, VAL_A
    sd t1, 0(t0)
    la t0, page_b
    li t1, VAL_B
    sd t1, 0(t0)
    LEAF_PTE s1, page_b         /* s1 = current PTE (starts at page_b) */
    LEAF_PTE t0, page_a
    xor s2, s1, t0              /* s2 = pte_a ^ pte_b: xor flips between them */
    la s3, pt_l0                /* s3 = &leaf PTE of TEST_VA */
    sd s1, 0(s3)
    SV39_ON
    ENTER PRV_S
    li a0, TEST_VA
    ld a1, 0(a0)
    BENCH_LOOP
    xor s1, s1, s2
    sd s1, 0(s3)
    sfence.vma a0
    ld a1, 0(a0)
    BENCH_LOOP_END
    call expect
    bnez t1, 1f
    BENCH_FAIL 1
1:  xor s1, s1, s2
    sd s1, 0(s3)
    sfence.vma a0
    ld a1, 0(a0)
    call expect
    bnez t1, 2f
    BENCH_FAIL 2
2:  BENCH_PASS

/* t1 = (a1 is the value of the frame s1 maps) */
expect:
    LEAF_PTE t2, page_a
    li t1, VAL_A
    beq s1, t2, 3f
    li t1, VAL_B
3:  sub t1, t1, a1
    seqz t1, t1
    ret

    BENCH_NO_S_HANDLER
    BENCH_DATA
    .balign 4096
page_a:
    .zero 4096
page_b:
    .zero 4096
