/*
 * rv64a.S - the A extension.
 *  - every AMO in .w and .d form (swap, add, xor, and, or, min, max, minu, maxu): rd gets
 *    the old value (.w: sign-extended 32 bits), memory the new one; .w uses only the low
 *    32 bits of rs2, compares signed/unsigned 32-bit values and leaves the neighbouring
 *    word alone; rd = x0; rd == rs2; aq/rl variants.
 *  - LR/SC: sc without a reservation fails (rd != 0, memory unchanged); lr then sc
 *    succeeds (rd = 0); a second sc after it fails; lr.w sign-extends; sc.w writes 32 bits.
 *  - misaligned LR raises load address-misaligned (4), misaligned AMO raises store/AMO
 *    address-misaligned (6), mtval = the address. Misaligned AMO and SC are checked in
 *    rvwasm-impl.S (QEMU 7.2 reports a misaligned AMO as a load misalignment, cause 4).
 */
#include "test.h"

/* amo.d: memory = m; rd = amo(rs2 = v); rd == old, memory == new */
.macro T_AMO_D num, op, m, v, old, new
    la a0, amo_buf
    li a1, \m
    sd a1, 0(a0)
    li a2, \v
    \op a3, a2, (a0)
    CHECK \num, a3, \old
    ld a4, 0(a0)
    CHECK (\num + 1), a4, \new
.endm

/* amo.w on the low word of a dword whose high word is a guard */
.macro T_AMO_W num, op, m, v, old, new
    la a0, amo_buf
    li a1, 0x5a5a5a5a00000000
    li a2, \m
    slli a2, a2, 32
    srli a2, a2, 32
    or a1, a1, a2
    sd a1, 0(a0)
    li a2, \v
    \op a3, a2, (a0)
    CHECK \num, a3, \old
    ld a4, 0(a0)
    CHECK (\num + 1), a4, (0x5a5a5a5a00000000 | \new)
.endm

.macro CHECK_NZ num, reg
    li gp, \num
    mv t5, \reg
    li t6, 0
    beq t5, t6, fail_check
.endm

TEST_BEGIN rv64a
    T_AMO_D 1, amoswap.d, 0x5, 0x3, 0x5, 0x3
    T_AMO_D 3, amoswap.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff
    T_AMO_D 5, amoswap.d, 0xffffffffffffffff, 0x1, 0xffffffffffffffff, 0x1
    T_AMO_D 7, amoswap.d, 0x123456789abcdef0, 0xf0f0f0f0f0f0f0f, 0x123456789abcdef0, 0xf0f0f0f0f0f0f0f
    T_AMO_W 9, amoswap.w, 0x5, 0xdead000000000003, 0x5, 0x3
    T_AMO_W 11, amoswap.w, 0x80000000, 0x7fffffff, 0xffffffff80000000, 0x7fffffff
    T_AMO_W 13, amoswap.w, 0xffffffff, 0x100000001, 0xffffffffffffffff, 0x1
    T_AMO_W 15, amoswap.w, 0x9abcdef0, 0xffffffff0f0f0f0f, 0xffffffff9abcdef0, 0xf0f0f0f
    T_AMO_D 17, amoadd.d, 0x5, 0x3, 0x5, 0x8
    T_AMO_D 19, amoadd.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0xffffffffffffffff
    T_AMO_D 21, amoadd.d, 0xffffffffffffffff, 0x1, 0xffffffffffffffff, 0x0
    T_AMO_D 23, amoadd.d, 0x123456789abcdef0, 0xf0f0f0f0f0f0f0f, 0x123456789abcdef0, 0x21436587a9cbedff
    T_AMO_W 25, amoadd.w, 0x5, 0xdead000000000003, 0x5, 0x8
    T_AMO_W 27, amoadd.w, 0x80000000, 0x7fffffff, 0xffffffff80000000, 0xffffffff
    T_AMO_W 29, amoadd.w, 0xffffffff, 0x100000001, 0xffffffffffffffff, 0x0
    T_AMO_W 31, amoadd.w, 0x9abcdef0, 0xffffffff0f0f0f0f, 0xffffffff9abcdef0, 0xa9cbedff
    T_AMO_D 33, amoxor.d, 0x5, 0x3, 0x5, 0x6
    T_AMO_D 35, amoxor.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0xffffffffffffffff
    T_AMO_D 37, amoxor.d, 0xffffffffffffffff, 0x1, 0xffffffffffffffff, 0xfffffffffffffffe
    T_AMO_D 39, amoxor.d, 0x123456789abcdef0, 0xf0f0f0f0f0f0f0f, 0x123456789abcdef0, 0x1d3b597795b3d1ff
    T_AMO_W 41, amoxor.w, 0x5, 0xdead000000000003, 0x5, 0x6
    T_AMO_W 43, amoxor.w, 0x80000000, 0x7fffffff, 0xffffffff80000000, 0xffffffff
    T_AMO_W 45, amoxor.w, 0xffffffff, 0x100000001, 0xffffffffffffffff, 0xfffffffe
    T_AMO_W 47, amoxor.w, 0x9abcdef0, 0xffffffff0f0f0f0f, 0xffffffff9abcdef0, 0x95b3d1ff
    T_AMO_D 49, amoand.d, 0x5, 0x3, 0x5, 0x1
    T_AMO_D 51, amoand.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x0
    T_AMO_D 53, amoand.d, 0xffffffffffffffff, 0x1, 0xffffffffffffffff, 0x1
    T_AMO_D 55, amoand.d, 0x123456789abcdef0, 0xf0f0f0f0f0f0f0f, 0x123456789abcdef0, 0x20406080a0c0e00
    T_AMO_W 57, amoand.w, 0x5, 0xdead000000000003, 0x5, 0x1
    T_AMO_W 59, amoand.w, 0x80000000, 0x7fffffff, 0xffffffff80000000, 0x0
    T_AMO_W 61, amoand.w, 0xffffffff, 0x100000001, 0xffffffffffffffff, 0x1
    T_AMO_W 63, amoand.w, 0x9abcdef0, 0xffffffff0f0f0f0f, 0xffffffff9abcdef0, 0xa0c0e00
    T_AMO_D 65, amoor.d, 0x5, 0x3, 0x5, 0x7
    T_AMO_D 67, amoor.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0xffffffffffffffff
    T_AMO_D 69, amoor.d, 0xffffffffffffffff, 0x1, 0xffffffffffffffff, 0xffffffffffffffff
    T_AMO_D 71, amoor.d, 0x123456789abcdef0, 0xf0f0f0f0f0f0f0f, 0x123456789abcdef0, 0x1f3f5f7f9fbfdfff
    T_AMO_W 73, amoor.w, 0x5, 0xdead000000000003, 0x5, 0x7
    T_AMO_W 75, amoor.w, 0x80000000, 0x7fffffff, 0xffffffff80000000, 0xffffffff
    T_AMO_W 77, amoor.w, 0xffffffff, 0x100000001, 0xffffffffffffffff, 0xffffffff
    T_AMO_W 79, amoor.w, 0x9abcdef0, 0xffffffff0f0f0f0f, 0xffffffff9abcdef0, 0x9fbfdfff
    T_AMO_D 81, amomin.d, 0x5, 0x3, 0x5, 0x3
    T_AMO_D 83, amomin.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x8000000000000000
    T_AMO_D 85, amomin.d, 0xffffffffffffffff, 0x1, 0xffffffffffffffff, 0xffffffffffffffff
    T_AMO_D 87, amomin.d, 0x123456789abcdef0, 0xf0f0f0f0f0f0f0f, 0x123456789abcdef0, 0xf0f0f0f0f0f0f0f
    T_AMO_W 89, amomin.w, 0x5, 0xdead000000000003, 0x5, 0x3
    T_AMO_W 91, amomin.w, 0x80000000, 0x7fffffff, 0xffffffff80000000, 0x80000000
    T_AMO_W 93, amomin.w, 0xffffffff, 0x100000001, 0xffffffffffffffff, 0xffffffff
    T_AMO_W 95, amomin.w, 0x9abcdef0, 0xffffffff0f0f0f0f, 0xffffffff9abcdef0, 0x9abcdef0
    T_AMO_D 97, amomax.d, 0x5, 0x3, 0x5, 0x5
    T_AMO_D 99, amomax.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff
    T_AMO_D 101, amomax.d, 0xffffffffffffffff, 0x1, 0xffffffffffffffff, 0x1
    T_AMO_D 103, amomax.d, 0x123456789abcdef0, 0xf0f0f0f0f0f0f0f, 0x123456789abcdef0, 0x123456789abcdef0
    T_AMO_W 105, amomax.w, 0x5, 0xdead000000000003, 0x5, 0x5
    T_AMO_W 107, amomax.w, 0x80000000, 0x7fffffff, 0xffffffff80000000, 0x7fffffff
    T_AMO_W 109, amomax.w, 0xffffffff, 0x100000001, 0xffffffffffffffff, 0x1
    T_AMO_W 111, amomax.w, 0x9abcdef0, 0xffffffff0f0f0f0f, 0xffffffff9abcdef0, 0xf0f0f0f
    T_AMO_D 113, amominu.d, 0x5, 0x3, 0x5, 0x3
    T_AMO_D 115, amominu.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff
    T_AMO_D 117, amominu.d, 0xffffffffffffffff, 0x1, 0xffffffffffffffff, 0x1
    T_AMO_D 119, amominu.d, 0x123456789abcdef0, 0xf0f0f0f0f0f0f0f, 0x123456789abcdef0, 0xf0f0f0f0f0f0f0f
    T_AMO_W 121, amominu.w, 0x5, 0xdead000000000003, 0x5, 0x3
    T_AMO_W 123, amominu.w, 0x80000000, 0x7fffffff, 0xffffffff80000000, 0x7fffffff
    T_AMO_W 125, amominu.w, 0xffffffff, 0x100000001, 0xffffffffffffffff, 0x1
    T_AMO_W 127, amominu.w, 0x9abcdef0, 0xffffffff0f0f0f0f, 0xffffffff9abcdef0, 0xf0f0f0f
    T_AMO_D 129, amomaxu.d, 0x5, 0x3, 0x5, 0x5
    T_AMO_D 131, amomaxu.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x8000000000000000
    T_AMO_D 133, amomaxu.d, 0xffffffffffffffff, 0x1, 0xffffffffffffffff, 0xffffffffffffffff
    T_AMO_D 135, amomaxu.d, 0x123456789abcdef0, 0xf0f0f0f0f0f0f0f, 0x123456789abcdef0, 0x123456789abcdef0
    T_AMO_W 137, amomaxu.w, 0x5, 0xdead000000000003, 0x5, 0x5
    T_AMO_W 139, amomaxu.w, 0x80000000, 0x7fffffff, 0xffffffff80000000, 0x80000000
    T_AMO_W 141, amomaxu.w, 0xffffffff, 0x100000001, 0xffffffffffffffff, 0xffffffff
    T_AMO_W 143, amomaxu.w, 0x9abcdef0, 0xffffffff0f0f0f0f, 0xffffffff9abcdef0, 0x9abcdef0

/* --- rd = x0 still updates memory; rd == rs2; ordering bits */
    la a0, amo_buf
    li a1, 10
    sd a1, 0(a0)
    li a2, 5
    amoadd.d x0, a2, (a0)
    ld a3, 0(a0)
    CHECK 150, a3, 15
    amoswap.d a2, a2, (a0)      /* rd == rs2: old value comes back, new value is old rs2 */
    CHECK 151, a2, 15
    ld a3, 0(a0)
    CHECK 152, a3, 5
    li a2, 1
    amoadd.d.aq a3, a2, (a0)
    amoadd.d.rl a3, a2, (a0)
    amoadd.d.aqrl a3, a2, (a0)
    amoadd.w.aqrl a3, a2, (a0)
    ld a3, 0(a0)
    CHECK 153, a3, 9

/* --- LR/SC. An sc always ends any reservation, so start with one to be sure none exists. */
    la a0, lr_buf
    sc.d a3, zero, (a0)
    li a1, 0x1111111111111111
    sd a1, 0(a0)
    li a2, 0x2222222222222222
    sc.d a3, a2, (a0)           /* no reservation: fails */
    CHECK_NZ 154, a3
    ld a4, 0(a0)
    CHECK 155, a4, 0x1111111111111111
    lr.d a4, (a0)
    CHECK 156, a4, 0x1111111111111111
    sc.d a3, a2, (a0)           /* reservation held: succeeds */
    CHECK 157, a3, 0
    ld a4, 0(a0)
    CHECK 158, a4, 0x2222222222222222
    li a2, 0x3333
    sc.d a3, a2, (a0)           /* the first sc used the reservation up */
    CHECK_NZ 159, a3
    ld a4, 0(a0)
    CHECK 160, a4, 0x2222222222222222

/* lr.w sign-extends, sc.w writes only the addressed word */
    li a1, 0x44444444c0000001
    sd a1, 0(a0)
    lr.w a4, (a0)
    CHECK 161, a4, 0xffffffffc0000001
    li a2, 0xffffffff87654321
    sc.w a3, a2, (a0)
    CHECK 162, a3, 0
    ld a4, 0(a0)
    CHECK 163, a4, 0x4444444487654321
    addi a5, a0, 4
    sc.w a3, a2, (a5)           /* no reservation any more */
    CHECK_NZ 164, a3
    ld a4, 0(a0)
    CHECK 165, a4, 0x4444444487654321
/* lr.w / sc.w on the upper word, with ordering bits */
    addi a5, a0, 4
    lr.w.aq a4, (a5)
    CHECK 166, a4, 0x44444444
    li a2, 0x12345678
    sc.w.rl a3, a2, (a5)
    CHECK 167, a3, 0
    ld a4, 0(a0)
    CHECK 168, a4, 0x1234567887654321
    lr.d.aqrl a4, (a0)
    sc.d.aqrl a3, zero, (a0)
    CHECK 169, a3, 0
    ld a4, 0(a0)
    CHECK 170, a4, 0
/* an lr/sc retry loop implementing an atomic increment */
    li a1, 41
    sd a1, 0(a0)
1:  lr.d a4, (a0)
    addi a4, a4, 1
    sc.d a3, a4, (a0)
    bnez a3, 1b
    ld a4, 0(a0)
    CHECK 171, a4, 42

/* --- misaligned LR addresses trap with mtval = the address (AMO: rvwasm-impl.S) */
    la a0, amo_buf
    addi a1, a0, 2
    EXPECT_M
2:  lr.w a4, (a1)
    CHECK_TRAP 172, m_rec, CAUSE_MISALIGNED_LOAD, 2b
    CHECK_RECR 175, m_rec, REC_TVAL, a1
    addi a1, a0, 4
    EXPECT_M
3:  lr.d a4, (a1)
    CHECK_TRAP 176, m_rec, CAUSE_MISALIGNED_LOAD, 3b
    CHECK_RECR 179, m_rec, REC_TVAL, a1
TEST_END

    .section .bss
    .balign 64
amo_buf:    .skip 64
lr_buf:     .skip 64
