/*
 * rv64m.S - the M extension: MUL, MULH, MULHSU, MULHU, DIV, DIVU, REM, REMU and the
 * 32-bit MULW, DIVW, DIVUW, REMW, REMUW on signed/unsigned edge values, including the
 * architected results of division by zero (quotient all ones, remainder = dividend) and
 * of signed overflow (MIN / -1 = MIN, remainder 0), and sign extension of *W results.
 */
#include "test.h"

.macro T_RR num, op, a, b, exp
    li a0, \a
    li a1, \b
    \op a2, a0, a1
    CHECK \num, a2, \exp
.endm

TEST_BEGIN rv64m
/* --- mul */
    T_RR 1, mul, 0x0, 0x0, 0x0
    T_RR 2, mul, 0x7, 0x3, 0x15
    T_RR 3, mul, 0xfffffffffffffff9, 0x3, 0xffffffffffffffeb
    T_RR 4, mul, 0x7, 0xfffffffffffffffd, 0xffffffffffffffeb
    T_RR 5, mul, 0xfffffffffffffff9, 0xfffffffffffffffd, 0x15
    T_RR 6, mul, 0x123456789abcdef0, 0xfedcba9876543210, 0x236d88fe5618cf00
    T_RR 7, mul, 0xffffffffffffffff, 0xffffffffffffffff, 0x1
    T_RR 8, mul, 0xffffffffffffffff, 0x1, 0xffffffffffffffff
    T_RR 9, mul, 0x8000000000000000, 0xffffffffffffffff, 0x8000000000000000
    T_RR 10, mul, 0x7fffffffffffffff, 0x7fffffffffffffff, 0x1
    T_RR 11, mul, 0x8000000000000000, 0x8000000000000000, 0x0
    T_RR 12, mul, 0x5, 0x0, 0x0
    T_RR 13, mul, 0xfffffffffffffffb, 0x0, 0x0
    T_RR 14, mul, 0xffffffff, 0xffffffff, 0xfffffffe00000001
    T_RR 15, mul, 0x80000000, 0xffffffffffffffff, 0xffffffff80000000
    T_RR 16, mul, 0xffffffff80000000, 0xffffffffffffffff, 0x80000000
    T_RR 17, mul, 0x100000007, 0x100000003, 0xa00000015
    T_RR 18, mul, 0xdeadbeef, 0x10, 0xdeadbeef0
/* --- mulh */
    T_RR 19, mulh, 0x0, 0x0, 0x0
    T_RR 20, mulh, 0x7, 0x3, 0x0
    T_RR 21, mulh, 0xfffffffffffffff9, 0x3, 0xffffffffffffffff
    T_RR 22, mulh, 0x7, 0xfffffffffffffffd, 0xffffffffffffffff
    T_RR 23, mulh, 0xfffffffffffffff9, 0xfffffffffffffffd, 0x0
    T_RR 24, mulh, 0x123456789abcdef0, 0xfedcba9876543210, 0xffeb49923cc09532
    T_RR 25, mulh, 0xffffffffffffffff, 0xffffffffffffffff, 0x0
    T_RR 26, mulh, 0xffffffffffffffff, 0x1, 0xffffffffffffffff
    T_RR 27, mulh, 0x8000000000000000, 0xffffffffffffffff, 0x0
    T_RR 28, mulh, 0x7fffffffffffffff, 0x7fffffffffffffff, 0x3fffffffffffffff
    T_RR 29, mulh, 0x8000000000000000, 0x8000000000000000, 0x4000000000000000
    T_RR 30, mulh, 0x5, 0x0, 0x0
    T_RR 31, mulh, 0xfffffffffffffffb, 0x0, 0x0
    T_RR 32, mulh, 0xffffffff, 0xffffffff, 0x0
    T_RR 33, mulh, 0x80000000, 0xffffffffffffffff, 0xffffffffffffffff
    T_RR 34, mulh, 0xffffffff80000000, 0xffffffffffffffff, 0x0
    T_RR 35, mulh, 0x100000007, 0x100000003, 0x1
    T_RR 36, mulh, 0xdeadbeef, 0x10, 0x0
/* --- mulhsu */
    T_RR 37, mulhsu, 0x0, 0x0, 0x0
    T_RR 38, mulhsu, 0x7, 0x3, 0x0
    T_RR 39, mulhsu, 0xfffffffffffffff9, 0x3, 0xffffffffffffffff
    T_RR 40, mulhsu, 0x7, 0xfffffffffffffffd, 0x6
    T_RR 41, mulhsu, 0xfffffffffffffff9, 0xfffffffffffffffd, 0xfffffffffffffff9
    T_RR 42, mulhsu, 0x123456789abcdef0, 0xfedcba9876543210, 0x121fa00ad77d7422
    T_RR 43, mulhsu, 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff
    T_RR 44, mulhsu, 0xffffffffffffffff, 0x1, 0xffffffffffffffff
    T_RR 45, mulhsu, 0x8000000000000000, 0xffffffffffffffff, 0x8000000000000000
    T_RR 46, mulhsu, 0x7fffffffffffffff, 0x7fffffffffffffff, 0x3fffffffffffffff
    T_RR 47, mulhsu, 0x8000000000000000, 0x8000000000000000, 0xc000000000000000
    T_RR 48, mulhsu, 0x5, 0x0, 0x0
    T_RR 49, mulhsu, 0xfffffffffffffffb, 0x0, 0x0
    T_RR 50, mulhsu, 0xffffffff, 0xffffffff, 0x0
    T_RR 51, mulhsu, 0x80000000, 0xffffffffffffffff, 0x7fffffff
    T_RR 52, mulhsu, 0xffffffff80000000, 0xffffffffffffffff, 0xffffffff80000000
    T_RR 53, mulhsu, 0x100000007, 0x100000003, 0x1
    T_RR 54, mulhsu, 0xdeadbeef, 0x10, 0x0
/* --- mulhu */
    T_RR 55, mulhu, 0x0, 0x0, 0x0
    T_RR 56, mulhu, 0x7, 0x3, 0x0
    T_RR 57, mulhu, 0xfffffffffffffff9, 0x3, 0x2
    T_RR 58, mulhu, 0x7, 0xfffffffffffffffd, 0x6
    T_RR 59, mulhu, 0xfffffffffffffff9, 0xfffffffffffffffd, 0xfffffffffffffff6
    T_RR 60, mulhu, 0x123456789abcdef0, 0xfedcba9876543210, 0x121fa00ad77d7422
    T_RR 61, mulhu, 0xffffffffffffffff, 0xffffffffffffffff, 0xfffffffffffffffe
    T_RR 62, mulhu, 0xffffffffffffffff, 0x1, 0x0
    T_RR 63, mulhu, 0x8000000000000000, 0xffffffffffffffff, 0x7fffffffffffffff
    T_RR 64, mulhu, 0x7fffffffffffffff, 0x7fffffffffffffff, 0x3fffffffffffffff
    T_RR 65, mulhu, 0x8000000000000000, 0x8000000000000000, 0x4000000000000000
    T_RR 66, mulhu, 0x5, 0x0, 0x0
    T_RR 67, mulhu, 0xfffffffffffffffb, 0x0, 0x0
    T_RR 68, mulhu, 0xffffffff, 0xffffffff, 0x0
    T_RR 69, mulhu, 0x80000000, 0xffffffffffffffff, 0x7fffffff
    T_RR 70, mulhu, 0xffffffff80000000, 0xffffffffffffffff, 0xffffffff7fffffff
    T_RR 71, mulhu, 0x100000007, 0x100000003, 0x1
    T_RR 72, mulhu, 0xdeadbeef, 0x10, 0x0
/* --- div */
    T_RR 73, div, 0x0, 0x0, 0xffffffffffffffff
    T_RR 74, div, 0x7, 0x3, 0x2
    T_RR 75, div, 0xfffffffffffffff9, 0x3, 0xfffffffffffffffe
    T_RR 76, div, 0x7, 0xfffffffffffffffd, 0xfffffffffffffffe
    T_RR 77, div, 0xfffffffffffffff9, 0xfffffffffffffffd, 0x2
    T_RR 78, div, 0x123456789abcdef0, 0xfedcba9876543210, 0xfffffffffffffff1
    T_RR 79, div, 0xffffffffffffffff, 0xffffffffffffffff, 0x1
    T_RR 80, div, 0xffffffffffffffff, 0x1, 0xffffffffffffffff
    T_RR 81, div, 0x8000000000000000, 0xffffffffffffffff, 0x8000000000000000
    T_RR 82, div, 0x7fffffffffffffff, 0x7fffffffffffffff, 0x1
    T_RR 83, div, 0x8000000000000000, 0x8000000000000000, 0x1
    T_RR 84, div, 0x5, 0x0, 0xffffffffffffffff
    T_RR 85, div, 0xfffffffffffffffb, 0x0, 0xffffffffffffffff
    T_RR 86, div, 0xffffffff, 0xffffffff, 0x1
    T_RR 87, div, 0x80000000, 0xffffffffffffffff, 0xffffffff80000000
    T_RR 88, div, 0xffffffff80000000, 0xffffffffffffffff, 0x80000000
    T_RR 89, div, 0x100000007, 0x100000003, 0x1
    T_RR 90, div, 0xdeadbeef, 0x10, 0xdeadbee
/* --- divu */
    T_RR 91, divu, 0x0, 0x0, 0xffffffffffffffff
    T_RR 92, divu, 0x7, 0x3, 0x2
    T_RR 93, divu, 0xfffffffffffffff9, 0x3, 0x5555555555555553
    T_RR 94, divu, 0x7, 0xfffffffffffffffd, 0x0
    T_RR 95, divu, 0xfffffffffffffff9, 0xfffffffffffffffd, 0x0
    T_RR 96, divu, 0x123456789abcdef0, 0xfedcba9876543210, 0x0
    T_RR 97, divu, 0xffffffffffffffff, 0xffffffffffffffff, 0x1
    T_RR 98, divu, 0xffffffffffffffff, 0x1, 0xffffffffffffffff
    T_RR 99, divu, 0x8000000000000000, 0xffffffffffffffff, 0x0
    T_RR 100, divu, 0x7fffffffffffffff, 0x7fffffffffffffff, 0x1
    T_RR 101, divu, 0x8000000000000000, 0x8000000000000000, 0x1
    T_RR 102, divu, 0x5, 0x0, 0xffffffffffffffff
    T_RR 103, divu, 0xfffffffffffffffb, 0x0, 0xffffffffffffffff
    T_RR 104, divu, 0xffffffff, 0xffffffff, 0x1
    T_RR 105, divu, 0x80000000, 0xffffffffffffffff, 0x0
    T_RR 106, divu, 0xffffffff80000000, 0xffffffffffffffff, 0x0
    T_RR 107, divu, 0x100000007, 0x100000003, 0x1
    T_RR 108, divu, 0xdeadbeef, 0x10, 0xdeadbee
/* --- rem */
    T_RR 109, rem, 0x0, 0x0, 0x0
    T_RR 110, rem, 0x7, 0x3, 0x1
    T_RR 111, rem, 0xfffffffffffffff9, 0x3, 0xffffffffffffffff
    T_RR 112, rem, 0x7, 0xfffffffffffffffd, 0x1
    T_RR 113, rem, 0xfffffffffffffff9, 0xfffffffffffffffd, 0xffffffffffffffff
    T_RR 114, rem, 0x123456789abcdef0, 0xfedcba9876543210, 0x123456789abcde0
    T_RR 115, rem, 0xffffffffffffffff, 0xffffffffffffffff, 0x0
    T_RR 116, rem, 0xffffffffffffffff, 0x1, 0x0
    T_RR 117, rem, 0x8000000000000000, 0xffffffffffffffff, 0x0
    T_RR 118, rem, 0x7fffffffffffffff, 0x7fffffffffffffff, 0x0
    T_RR 119, rem, 0x8000000000000000, 0x8000000000000000, 0x0
    T_RR 120, rem, 0x5, 0x0, 0x5
    T_RR 121, rem, 0xfffffffffffffffb, 0x0, 0xfffffffffffffffb
    T_RR 122, rem, 0xffffffff, 0xffffffff, 0x0
    T_RR 123, rem, 0x80000000, 0xffffffffffffffff, 0x0
    T_RR 124, rem, 0xffffffff80000000, 0xffffffffffffffff, 0x0
    T_RR 125, rem, 0x100000007, 0x100000003, 0x4
    T_RR 126, rem, 0xdeadbeef, 0x10, 0xf
/* --- remu */
    T_RR 127, remu, 0x0, 0x0, 0x0
    T_RR 128, remu, 0x7, 0x3, 0x1
    T_RR 129, remu, 0xfffffffffffffff9, 0x3, 0x0
    T_RR 130, remu, 0x7, 0xfffffffffffffffd, 0x7
    T_RR 131, remu, 0xfffffffffffffff9, 0xfffffffffffffffd, 0xfffffffffffffff9
    T_RR 132, remu, 0x123456789abcdef0, 0xfedcba9876543210, 0x123456789abcdef0
    T_RR 133, remu, 0xffffffffffffffff, 0xffffffffffffffff, 0x0
    T_RR 134, remu, 0xffffffffffffffff, 0x1, 0x0
    T_RR 135, remu, 0x8000000000000000, 0xffffffffffffffff, 0x8000000000000000
    T_RR 136, remu, 0x7fffffffffffffff, 0x7fffffffffffffff, 0x0
    T_RR 137, remu, 0x8000000000000000, 0x8000000000000000, 0x0
    T_RR 138, remu, 0x5, 0x0, 0x5
    T_RR 139, remu, 0xfffffffffffffffb, 0x0, 0xfffffffffffffffb
    T_RR 140, remu, 0xffffffff, 0xffffffff, 0x0
    T_RR 141, remu, 0x80000000, 0xffffffffffffffff, 0x80000000
    T_RR 142, remu, 0xffffffff80000000, 0xffffffffffffffff, 0xffffffff80000000
    T_RR 143, remu, 0x100000007, 0x100000003, 0x4
    T_RR 144, remu, 0xdeadbeef, 0x10, 0xf
/* --- mulw */
    T_RR 145, mulw, 0x0, 0x0, 0x0
    T_RR 146, mulw, 0x7, 0x3, 0x15
    T_RR 147, mulw, 0xfffffffffffffff9, 0x3, 0xffffffffffffffeb
    T_RR 148, mulw, 0x7, 0xfffffffffffffffd, 0xffffffffffffffeb
    T_RR 149, mulw, 0xfffffffffffffff9, 0xfffffffffffffffd, 0x15
    T_RR 150, mulw, 0x123456789abcdef0, 0xfedcba9876543210, 0x5618cf00
    T_RR 151, mulw, 0xffffffffffffffff, 0xffffffffffffffff, 0x1
    T_RR 152, mulw, 0xffffffffffffffff, 0x1, 0xffffffffffffffff
    T_RR 153, mulw, 0x8000000000000000, 0xffffffffffffffff, 0x0
    T_RR 154, mulw, 0x7fffffffffffffff, 0x7fffffffffffffff, 0x1
    T_RR 155, mulw, 0x8000000000000000, 0x8000000000000000, 0x0
    T_RR 156, mulw, 0x5, 0x0, 0x0
    T_RR 157, mulw, 0xfffffffffffffffb, 0x0, 0x0
    T_RR 158, mulw, 0xffffffff, 0xffffffff, 0x1
    T_RR 159, mulw, 0x80000000, 0xffffffffffffffff, 0xffffffff80000000
    T_RR 160, mulw, 0xffffffff80000000, 0xffffffffffffffff, 0xffffffff80000000
    T_RR 161, mulw, 0x100000007, 0x100000003, 0x15
    T_RR 162, mulw, 0xdeadbeef, 0x10, 0xffffffffeadbeef0
/* --- divw */
    T_RR 163, divw, 0x0, 0x0, 0xffffffffffffffff
    T_RR 164, divw, 0x7, 0x3, 0x2
    T_RR 165, divw, 0xfffffffffffffff9, 0x3, 0xfffffffffffffffe
    T_RR 166, divw, 0x7, 0xfffffffffffffffd, 0xfffffffffffffffe
    T_RR 167, divw, 0xfffffffffffffff9, 0xfffffffffffffffd, 0x2
    T_RR 168, divw, 0x123456789abcdef0, 0xfedcba9876543210, 0x0
    T_RR 169, divw, 0xffffffffffffffff, 0xffffffffffffffff, 0x1
    T_RR 170, divw, 0xffffffffffffffff, 0x1, 0xffffffffffffffff
    T_RR 171, divw, 0x8000000000000000, 0xffffffffffffffff, 0x0
    T_RR 172, divw, 0x7fffffffffffffff, 0x7fffffffffffffff, 0x1
    T_RR 173, divw, 0x8000000000000000, 0x8000000000000000, 0xffffffffffffffff
    T_RR 174, divw, 0x5, 0x0, 0xffffffffffffffff
    T_RR 175, divw, 0xfffffffffffffffb, 0x0, 0xffffffffffffffff
    T_RR 176, divw, 0xffffffff, 0xffffffff, 0x1
    T_RR 177, divw, 0x80000000, 0xffffffffffffffff, 0xffffffff80000000
    T_RR 178, divw, 0xffffffff80000000, 0xffffffffffffffff, 0xffffffff80000000
    T_RR 179, divw, 0x100000007, 0x100000003, 0x2
    T_RR 180, divw, 0xdeadbeef, 0x10, 0xfffffffffdeadbef
/* --- divuw */
    T_RR 181, divuw, 0x0, 0x0, 0xffffffffffffffff
    T_RR 182, divuw, 0x7, 0x3, 0x2
    T_RR 183, divuw, 0xfffffffffffffff9, 0x3, 0x55555553
    T_RR 184, divuw, 0x7, 0xfffffffffffffffd, 0x0
    T_RR 185, divuw, 0xfffffffffffffff9, 0xfffffffffffffffd, 0x0
    T_RR 186, divuw, 0x123456789abcdef0, 0xfedcba9876543210, 0x1
    T_RR 187, divuw, 0xffffffffffffffff, 0xffffffffffffffff, 0x1
    T_RR 188, divuw, 0xffffffffffffffff, 0x1, 0xffffffffffffffff
    T_RR 189, divuw, 0x8000000000000000, 0xffffffffffffffff, 0x0
    T_RR 190, divuw, 0x7fffffffffffffff, 0x7fffffffffffffff, 0x1
    T_RR 191, divuw, 0x8000000000000000, 0x8000000000000000, 0xffffffffffffffff
    T_RR 192, divuw, 0x5, 0x0, 0xffffffffffffffff
    T_RR 193, divuw, 0xfffffffffffffffb, 0x0, 0xffffffffffffffff
    T_RR 194, divuw, 0xffffffff, 0xffffffff, 0x1
    T_RR 195, divuw, 0x80000000, 0xffffffffffffffff, 0x0
    T_RR 196, divuw, 0xffffffff80000000, 0xffffffffffffffff, 0x0
    T_RR 197, divuw, 0x100000007, 0x100000003, 0x2
    T_RR 198, divuw, 0xdeadbeef, 0x10, 0xdeadbee
/* --- remw */
    T_RR 199, remw, 0x0, 0x0, 0x0
    T_RR 200, remw, 0x7, 0x3, 0x1
    T_RR 201, remw, 0xfffffffffffffff9, 0x3, 0xffffffffffffffff
    T_RR 202, remw, 0x7, 0xfffffffffffffffd, 0x1
    T_RR 203, remw, 0xfffffffffffffff9, 0xfffffffffffffffd, 0xffffffffffffffff
    T_RR 204, remw, 0x123456789abcdef0, 0xfedcba9876543210, 0xffffffff9abcdef0
    T_RR 205, remw, 0xffffffffffffffff, 0xffffffffffffffff, 0x0
    T_RR 206, remw, 0xffffffffffffffff, 0x1, 0x0
    T_RR 207, remw, 0x8000000000000000, 0xffffffffffffffff, 0x0
    T_RR 208, remw, 0x7fffffffffffffff, 0x7fffffffffffffff, 0x0
    T_RR 209, remw, 0x8000000000000000, 0x8000000000000000, 0x0
    T_RR 210, remw, 0x5, 0x0, 0x5
    T_RR 211, remw, 0xfffffffffffffffb, 0x0, 0xfffffffffffffffb
    T_RR 212, remw, 0xffffffff, 0xffffffff, 0x0
    T_RR 213, remw, 0x80000000, 0xffffffffffffffff, 0x0
    T_RR 214, remw, 0xffffffff80000000, 0xffffffffffffffff, 0x0
    T_RR 215, remw, 0x100000007, 0x100000003, 0x1
    T_RR 216, remw, 0xdeadbeef, 0x10, 0xffffffffffffffff
/* --- remuw */
    T_RR 217, remuw, 0x0, 0x0, 0x0
    T_RR 218, remuw, 0x7, 0x3, 0x1
    T_RR 219, remuw, 0xfffffffffffffff9, 0x3, 0x0
    T_RR 220, remuw, 0x7, 0xfffffffffffffffd, 0x7
    T_RR 221, remuw, 0xfffffffffffffff9, 0xfffffffffffffffd, 0xfffffffffffffff9
    T_RR 222, remuw, 0x123456789abcdef0, 0xfedcba9876543210, 0x2468ace0
    T_RR 223, remuw, 0xffffffffffffffff, 0xffffffffffffffff, 0x0
    T_RR 224, remuw, 0xffffffffffffffff, 0x1, 0x0
    T_RR 225, remuw, 0x8000000000000000, 0xffffffffffffffff, 0x0
    T_RR 226, remuw, 0x7fffffffffffffff, 0x7fffffffffffffff, 0x0
    T_RR 227, remuw, 0x8000000000000000, 0x8000000000000000, 0x0
    T_RR 228, remuw, 0x5, 0x0, 0x5
    T_RR 229, remuw, 0xfffffffffffffffb, 0x0, 0xfffffffffffffffb
    T_RR 230, remuw, 0xffffffff, 0xffffffff, 0x0
    T_RR 231, remuw, 0x80000000, 0xffffffffffffffff, 0xffffffff80000000
    T_RR 232, remuw, 0xffffffff80000000, 0xffffffffffffffff, 0xffffffff80000000
    T_RR 233, remuw, 0x100000007, 0x100000003, 0x1
    T_RR 234, remuw, 0xdeadbeef, 0x10, 0xf
/* --- register aliasing */
    li a0, -9
    mul a0, a0, a0
    CHECK 240, a0, 81
    li a0, 100
    li a1, 7
    div a1, a0, a1
    CHECK 241, a1, 14
    li a0, 100
    li a1, 7
    rem a0, a0, a1
    CHECK 242, a0, 2
    li a0, 0x100000000
    mulhu a0, a0, a0
    CHECK 243, a0, 1
    li a0, 12345
    divu a0, a0, a0
    CHECK 244, a0, 1
    li a1, 0
    divuw x0, a0, a1           /* rd = x0: result discarded */
    mv a2, x0
    CHECK 245, a2, 0
TEST_END
