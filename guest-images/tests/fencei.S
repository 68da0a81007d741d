/*
 * fencei.S - FENCE.I and self-modifying code: code written with sw / sh / sb / amoswap.w
 * and made visible with fence.i runs the new instructions: a fresh buffer, the same
 * buffer rewritten 200 times (a translation cache must notice every change), compressed
 * instructions, an instruction patched just ahead of the running code in the same page,
 * and the same from S-mode.
 */
#include "test.h"

#define LI_A0(v)  (0x00000513 | ((v) << 20))   /* addi a0, zero, v */
#define RET       0x00008067                   /* jalr zero, 0(ra) */

TEST_BEGIN fencei
    la s0, code_buf
/* ------------------------------------------------------------ a fresh buffer */
    li a1, LI_A0(1)
    sw a1, 0(s0)
    li a1, RET
    sw a1, 4(s0)
    fence.i
    li a0, 0
    jalr ra, 0(s0)
    CHECK 1, a0, 1
/* ------------------------------------------------------------ rewritten */
    li a1, LI_A0(2)
    sw a1, 0(s0)
    fence.i
    jalr ra, 0(s0)
    CHECK 2, a0, 2
/* ------------------------------------------------------------ rewritten again and again */
    li s1, 1
    li s2, 201
1:  slli a1, s1, 20
    ori a1, a1, 0x513           /* addi a0, zero, s1 */
    sw a1, 0(s0)
    fence.i
    jalr ra, 0(s0)
    li gp, 3
    mv t5, a0
    mv t6, s1
    bne t5, t6, fail_check
    addi s1, s1, 1
    bne s1, s2, 1b
/* ------------------------------------------------------------ a longer routine, then a change in its middle */
    la a2, routine
    la a3, routine_end
    mv a4, s0
2:  lw a5, 0(a2)
    sw a5, 0(a4)
    addi a2, a2, 4
    addi a4, a4, 4
    bltu a2, a3, 2b
    fence.i
    li a0, 10
    jalr ra, 0(s0)
    CHECK 4, a0, 10 * 3 + 5
    li a1, 0x00450513           /* addi a0, a0, 4 replaces the addi a0, a0, 5 */
    sw a1, 8(s0)
    fence.i
    li a0, 10
    jalr ra, 0(s0)
    CHECK 5, a0, 10 * 3 + 4
/* ------------------------------------------------------------ compressed, halfword stores */
    li a1, 0x4515               /* c.li a0, 5 */
    sh a1, 0(s0)
    li a1, 0x8082               /* c.jr ra */
    sh a1, 2(s0)
    fence.i
    jalr ra, 0(s0)
    CHECK 6, a0, 5
    li a1, 0x4525               /* c.li a0, 9 */
    sh a1, 0(s0)
    fence.i
    jalr ra, 0(s0)
    CHECK 7, a0, 9
/* ------------------------------------------------------------ byte stores, one instruction */
    li a1, LI_A0(0x123)
    sb a1, 0(s0)
    srli a1, a1, 8
    sb a1, 1(s0)
    srli a1, a1, 8
    sb a1, 2(s0)
    srli a1, a1, 8
    sb a1, 3(s0)
    li a1, RET
    sw a1, 4(s0)
    fence.i
    jalr ra, 0(s0)
    CHECK 8, a0, 0x123
/* ------------------------------------------------------------ written by an AMO */
    li a1, LI_A0(0x77)
    amoswap.w a2, a1, (s0)
    fence.i
    jalr ra, 0(s0)
    CHECK 9, a0, 0x77
    CHECK 10, a2, LI_A0(0x123)
/* ------------------------------------------------------------ patching the code that is running */
    la a1, patch_site
    li a2, LI_A0(7)
    sw a2, 0(a1)
    fence.i
patch_site:
    li a0, 3                    /* replaced by li a0, 7 before it runs */
    CHECK 11, a0, 7
    la a1, patch_site2          /* the same in a loop: first pass old, then new */
    li s1, 0
    li s3, 0
3:
patch_site2:
    addi s3, s3, 1              /* becomes addi s3, s3, 16 */
    bnez s1, 4f
    li a2, 0x01098993           /* addi s3, s3, 16 */
    sw a2, 0(a1)
    fence.i
    li s1, 1
    j 3b
4:  CHECK 12, s3, 17
/* ------------------------------------------------------------ from S-mode */
    GO_S
    li a1, LI_A0(0x55)
    sw a1, 0(s0)
    li a1, RET
    sw a1, 4(s0)
    fence.i
    jalr ra, 0(s0)
    CHECK 13, a0, 0x55
    li a1, LI_A0(0x56)
    sw a1, 0(s0)
    fence.i
    jalr ra, 0(s0)
    CHECK 14, a0, 0x56
    GO_M
TEST_END

/* copied into code_buf: a0 = a0 * 3 + 5 */
routine:
    slli a1, a0, 1
    add a0, a0, a1
    addi a0, a0, 5
    ret
routine_end:

    .section .bss
    .balign 4096
code_buf:   .skip 4096
