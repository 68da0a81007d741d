/*
 * rv64i-branch.S - control transfer: JAL (link, x0, long forward/backward offsets), JALR
 * (link, offset, bit 0 cleared, rd == rs1, rd = x0), and the six conditional branches
 * BEQ/BNE/BLT/BGE/BLTU/BGEU taken and not taken on signed/unsigned edge values, forward
 * and backward, near the +-4 KiB limit of the B-format offset.
 */
#include "test.h"

/* the branch must be taken */
.macro T_TAKEN num, op, a, b
    li a0, \a
    li a1, \b
    \op a0, a1, .Lt\@
    FAIL \num
.Lt\@:
.endm

/* the branch must fall through */
.macro T_NOT num, op, a, b
    li a0, \a
    li a1, \b
    \op a0, a1, .Lbad\@
    j .Lok\@
.Lbad\@:
    FAIL \num
.Lok\@:
.endm

TEST_BEGIN rv64i-branch
/* --- BEQ / BNE */
    T_TAKEN 1, beq, 0, 0
    T_TAKEN 2, beq, -1, -1
    T_TAKEN 3, beq, 0x8000000000000000, 0x8000000000000000
    T_NOT   4, beq, 0, 1
    T_NOT   5, beq, 0x100000000, 0
    T_NOT   6, beq, -1, 0x7fffffffffffffff
    T_TAKEN 7, bne, 0, 1
    T_TAKEN 8, bne, 0x100000000, 0
    T_NOT   9, bne, 5, 5
    T_NOT   10, bne, -1, -1
/* --- BLT / BGE (signed) */
    T_TAKEN 11, blt, 0, 1
    T_TAKEN 12, blt, -1, 0
    T_TAKEN 13, blt, 0x8000000000000000, 0x7fffffffffffffff
    T_TAKEN 14, blt, -2, -1
    T_NOT   15, blt, 1, 0
    T_NOT   16, blt, 0, -1
    T_NOT   17, blt, 7, 7
    T_NOT   18, blt, 0x7fffffffffffffff, 0x8000000000000000
    T_TAKEN 19, bge, 1, 0
    T_TAKEN 20, bge, 7, 7
    T_TAKEN 21, bge, 0, -1
    T_TAKEN 22, bge, 0x7fffffffffffffff, 0x8000000000000000
    T_NOT   23, bge, -1, 0
    T_NOT   24, bge, 0x8000000000000000, 0
/* --- BLTU / BGEU (unsigned) */
    T_TAKEN 25, bltu, 0, 1
    T_TAKEN 26, bltu, 0, -1
    T_TAKEN 27, bltu, 0x7fffffffffffffff, 0x8000000000000000
    T_TAKEN 28, bltu, -2, -1
    T_NOT   29, bltu, -1, 0
    T_NOT   30, bltu, 7, 7
    T_NOT   31, bltu, 0x8000000000000000, 0x7fffffffffffffff
    T_TAKEN 32, bgeu, -1, 0
    T_TAKEN 33, bgeu, 7, 7
    T_TAKEN 34, bgeu, 0x8000000000000000, 0x7fffffffffffffff
    T_NOT   35, bgeu, 0, 1
    T_NOT   36, bgeu, 0, -1
/* --- same register on both sides */
    li a0, 42
    beq a0, a0, 1f
    FAIL 37
1:  bne a0, a0, 2f
    bge a0, a0, 3f
2:  FAIL 38
3:  bltu a0, a0, 2b
/* --- backward branches: a counted loop */
    li a0, 10
    li a1, 0
4:  addi a1, a1, 3
    addi a0, a0, -1
    bnez a0, 4b
    CHECK 39, a1, 30
    li a0, -5
    li a1, 0
5:  addi a1, a1, 1
    addi a0, a0, 1
    blt a0, zero, 5b
    CHECK 40, a1, 5

/* --- JAL: link register = pc + 4, x0 discards */
6:  jal ra, 7f
    FAIL 41
7:  la a0, 6b
    addi a0, a0, 4
    CHECKR 42, ra, a0
    li a1, 99
    jal x0, 8f
    li a1, 0
8:  CHECK 43, a1, 99
    jal a5, 9f                  /* any rd can be the link register */
9:  CHECKL 44, a5, 9b

/* --- JALR */
    la a0, 10f
    jalr ra, 0(a0)
11: FAIL 45
10: CHECKL 46, ra, 11b
    la a0, 12f + 8
    jalr ra, -8(a0)             /* negative offset */
    FAIL 47
12: la a0, 13f
    addi a0, a0, 1              /* odd target: bit 0 is cleared */
    jalr ra, 0(a0)
    FAIL 48
13: la a0, 14f
    jalr a0, 0(a0)              /* rd == rs1: target uses the old value */
15: FAIL 49
14: CHECKL 50, a0, 15b
    la a1, 16f
    li ra, 0x1234
    jalr x0, 0(a1)              /* no link */
    FAIL 51
16: CHECK 52, ra, 0x1234
    la a1, 17f - 2047
    jalr a2, 2047(a1)           /* largest positive offset, (a1 + 2047) is odd-free */
    FAIL 53
    .balign 4
17: nop
    call leaf_function           /* call / ret through auipc + jalr */
    CHECK 54, a0, 0x5150

/* --- branches at the limits of the B-format offset: +4092 (largest 4-byte aligned) and
       -4096 (the minimum) */
    li a0, 1
    bnez a0, far_fwd            /* offset +4092 */
    .fill 1022, 4, 0            /* illegal instructions, never executed */
far_fwd:
    j far_back_start
far_back:
    j after_far
    .fill 1023, 4, 0
far_back_start:
    beqz zero, far_back         /* offset -4096 */
    FAIL 55
after_far:
/* --- JAL over more than 4 KiB, and back */
    jal ra, long_target
18: CHECK 57, a0, 0x77
    j done
    .fill 3000, 4, 0
long_target:
    li a0, 0x77
    la a1, 18b
    CHECKR 58, ra, a1
    ret
done:
TEST_END

leaf_function:
    li a0, 0x5150
    ret
