/*
 * rv64i-mem.S - RV64I loads and stores: LB/LH/LW/LD/LBU/LHU/LWU and SB/SH/SW/SD with
 * positive and negative offsets, sign and zero extension, little-endian byte order,
 * partial stores leaving neighbouring bytes alone, a load into x0, and the FENCE family
 * (fence rw,rw / i,o / fence.tso / pause hint) executing as ordinary instructions.
 */
#include "test.h"

.macro T_LD num, op, off, exp
    \op a1, \off(a0)
    CHECK \num, a1, \exp
.endm

TEST_BEGIN rv64i-mem
    la a0, pattern
/* --- loads from a known little-endian pattern: 0x0706050403020100, 0x8f8e8d8c8b8a8988 */
    T_LD 1, ld, 0, 0x0706050403020100
    T_LD 2, ld, 8, 0x8f8e8d8c8b8a8988
    T_LD 3, lw, 0, 0x03020100
    T_LD 4, lw, 4, 0x07060504
    T_LD 5, lw, 8, 0xffffffff8b8a8988
    T_LD 6, lw, 12, 0xffffffff8f8e8d8c
    T_LD 7, lwu, 8, 0x8b8a8988
    T_LD 8, lwu, 12, 0x8f8e8d8c
    T_LD 9, lwu, 4, 0x07060504
    T_LD 10, lh, 2, 0x0302
    T_LD 11, lh, 10, 0xffffffffffff8b8a
    T_LD 12, lhu, 10, 0x8b8a
    T_LD 13, lhu, 14, 0x8f8e
    T_LD 14, lb, 7, 0x07
    T_LD 15, lb, 9, 0xffffffffffffff89
    T_LD 16, lbu, 9, 0x89
    T_LD 17, lbu, 15, 0x8f
    T_LD 18, lb, 0, 0
/* --- negative offsets */
    addi a0, a0, 16
    T_LD 19, ld, -16, 0x0706050403020100
    T_LD 20, lw, -4, 0xffffffff8f8e8d8c
    T_LD 21, lhu, -2, 0x8f8e
    T_LD 22, lb, -1, 0xffffffffffffff8f
    addi a0, a0, -16
/* --- offsets at the 12-bit limits */
    la a2, buffer + 2048
    li a3, 0x1122334455667788
    sd a3, -2048(a2)
    sd a3, 2040(a2)
    la a4, buffer
    ld a5, 0(a4)
    CHECKR 23, a5, a3
    li a6, 4088
    add a6, a6, a4
    ld a5, 0(a6)
    CHECKR 24, a5, a3
    ld a5, -2048(a2)
    CHECKR 25, a5, a3

/* --- stores of each width into a zeroed dword */
    la a2, buffer
    sd zero, 0(a2)
    sd zero, 8(a2)
    li a3, 0xa1
    sb a3, 3(a2)
    ld a4, 0(a2)
    CHECK 26, a4, 0x00000000a1000000
    li a3, 0xffffffffffffb2c3       /* only the low 16 bits are stored */
    sh a3, 6(a2)
    ld a4, 0(a2)
    CHECK 27, a4, 0xb2c30000a1000000
    li a3, 0x123456789abcdef0
    sw a3, 8(a2)
    ld a4, 8(a2)
    CHECK 28, a4, 0x9abcdef0
    sw a3, 12(a2)
    ld a4, 8(a2)
    CHECK 29, a4, 0x9abcdef09abcdef0
    sd a3, 8(a2)
    ld a4, 8(a2)
    CHECKR 30, a4, a3
    lbu a4, 15(a2)
    CHECK 31, a4, 0x12
    li a3, -1
    sb a3, 0(a2)
    sb a3, 2(a2)
    ld a4, 0(a2)
    CHECK 32, a4, 0xb2c30000a1ff00ff
    sh zero, 6(a2)
    sw a3, 8(a2)
    ld a4, 0(a2)
    CHECK 33, a4, 0x00000000a1ff00ff
    ld a4, 8(a2)
    CHECK 34, a4, 0x12345678ffffffff
/* --- stores of x0, load into x0 (no effect on x0) */
    sd zero, 8(a2)
    ld a4, 8(a2)
    CHECK 35, a4, 0
    ld x0, 0(a2)
    mv a4, x0
    CHECK 36, a4, 0
/* --- store then load the same address through a different base */
    li a3, 0x0badcafe
    addi a5, a2, 64
    sw a3, -60(a5)
    lw a4, 4(a2)
    CHECK 37, a4, 0x0badcafe
/* --- a 256-byte copy loop with byte stores, checked with dword loads */
    la a0, pattern
    la a1, buffer + 256
    li a3, 16
1:  lbu a4, 0(a0)
    sb a4, 0(a1)
    addi a0, a0, 1
    addi a1, a1, 1
    addi a3, a3, -1
    bnez a3, 1b
    la a1, buffer + 256
    ld a4, 0(a1)
    CHECK 38, a4, 0x0706050403020100
    ld a4, 8(a1)
    CHECK 39, a4, 0x8f8e8d8c8b8a8988

/* --- the FENCE family runs as ordering-only instructions */
    li a0, 5
    fence
    fence rw, rw
    fence r, r
    fence w, w
    fence i, o
    fence iorw, iorw
    fence.tso
    .word 0x0100000f            /* pause (fence w, 0: a HINT) */
    CHECK 40, a0, 5
    sd a0, 0(a2)
    fence w, r
    ld a4, 0(a2)
    CHECK 41, a4, 5
TEST_END

    .section .rodata
    .balign 8
pattern:
    .byte 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07
    .byte 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f

    .section .bss
    .balign 4096
buffer:
    .skip 8192
