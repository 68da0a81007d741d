/*
 * rv64i-alu.S - RV64I integer computation: LUI, AUIPC, every register-register and
 * register-immediate ALU instruction including the *W forms (sign extension of 32-bit
 * results, shift amounts masked to 6 / 5 bits), x0 as destination, rd aliasing rs1/rs2,
 * NOP. All in 32-bit encodings (.option norvc).
 */
#include "test.h"

/* rd = op(rs1 = a, rs2 = b) */
.macro T_RR num, op, a, b, exp
    li a0, \a
    li a1, \b
    \op a2, a0, a1
    CHECK \num, a2, \exp
.endm

/* rd = op(rs1 = a, imm) */
.macro T_RI num, op, a, imm, exp
    li a0, \a
    \op a2, a0, \imm
    CHECK \num, a2, \exp
.endm

TEST_BEGIN rv64i-alu
/* --- register-register */
    T_RR 1, add, 0x0, 0x0, 0x0
    T_RR 2, add, 0x1, 0x1, 0x2
    T_RR 3, add, 0x3, 0x7, 0xa
    T_RR 4, add, 0xffffffffffffffff, 0x1, 0x0
    T_RR 5, add, 0x7fffffffffffffff, 0x1, 0x8000000000000000
    T_RR 6, add, 0x8000000000000000, 0xffffffffffffffff, 0x7fffffffffffffff
    T_RR 7, add, 0xffffffff, 0x1, 0x100000000
    T_RR 8, add, 0xfffffffffffffffb, 0xfffffffffffffff9, 0xfffffffffffffff4
    T_RR 9, add, 0x123456789abcdef0, 0xfedcba987654321, 0x2222222222222211
    T_RR 10, sub, 0x0, 0x0, 0x0
    T_RR 11, sub, 0x1, 0x1, 0x0
    T_RR 12, sub, 0x3, 0x7, 0xfffffffffffffffc
    T_RR 13, sub, 0x0, 0x1, 0xffffffffffffffff
    T_RR 14, sub, 0x8000000000000000, 0x1, 0x7fffffffffffffff
    T_RR 15, sub, 0x7fffffffffffffff, 0xffffffffffffffff, 0x8000000000000000
    T_RR 16, sub, 0xfffffffffffffffb, 0xfffffffffffffff9, 0x2
    T_RR 17, sub, 0x123456789abcdef0, 0xfedcba987654321, 0x2468acf13579bcf
    T_RR 18, sll, 0x1, 0x0, 0x1
    T_RR 19, sll, 0x1, 0x1, 0x2
    T_RR 20, sll, 0x1, 0x3f, 0x8000000000000000
    T_RR 21, sll, 0x1, 0x40, 0x1
    T_RR 22, sll, 0x1, 0x41, 0x2
    T_RR 23, sll, 0x8000000000000001, 0x1, 0x2
    T_RR 24, sll, 0x123456789abcdef0, 0x4, 0x23456789abcdef00
    T_RR 25, sll, 0xffffffffffffffff, 0x20, 0xffffffff00000000
    T_RR 26, sll, 0x3, 0x7f, 0x8000000000000000
    T_RR 27, srl, 0x8000000000000000, 0x0, 0x8000000000000000
    T_RR 28, srl, 0x8000000000000000, 0x1, 0x4000000000000000
    T_RR 29, srl, 0x8000000000000000, 0x3f, 0x1
    T_RR 30, srl, 0xffffffffffffffff, 0x40, 0xffffffffffffffff
    T_RR 31, srl, 0xffffffffffffffff, 0x44, 0xfffffffffffffff
    T_RR 32, srl, 0x123456789abcdef0, 0x8, 0x123456789abcde
    T_RR 33, srl, 0xffffffffffffffff, 0x1f, 0x1ffffffff
    T_RR 34, sra, 0x8000000000000000, 0x0, 0x8000000000000000
    T_RR 35, sra, 0x8000000000000000, 0x1, 0xc000000000000000
    T_RR 36, sra, 0x8000000000000000, 0x3f, 0xffffffffffffffff
    T_RR 37, sra, 0x7fffffffffffffff, 0x3e, 0x1
    T_RR 38, sra, 0xffffffffffffffff, 0x40, 0xffffffffffffffff
    T_RR 39, sra, 0xffffffffffffff00, 0x4, 0xfffffffffffffff0
    T_RR 40, sra, 0x8123456789abcdef, 0x47, 0xff02468acf13579b
    T_RR 41, slt, 0x0, 0x0, 0x0
    T_RR 42, slt, 0x0, 0x1, 0x1
    T_RR 43, slt, 0x1, 0x0, 0x0
    T_RR 44, slt, 0xffffffffffffffff, 0x0, 0x1
    T_RR 45, slt, 0x0, 0xffffffffffffffff, 0x0
    T_RR 46, slt, 0x8000000000000000, 0x7fffffffffffffff, 0x1
    T_RR 47, slt, 0x7fffffffffffffff, 0x8000000000000000, 0x0
    T_RR 48, slt, 0xfffffffffffffffe, 0xffffffffffffffff, 0x1
    T_RR 49, sltu, 0x0, 0x0, 0x0
    T_RR 50, sltu, 0x0, 0x1, 0x1
    T_RR 51, sltu, 0x1, 0x0, 0x0
    T_RR 52, sltu, 0xffffffffffffffff, 0x0, 0x0
    T_RR 53, sltu, 0x0, 0xffffffffffffffff, 0x1
    T_RR 54, sltu, 0x8000000000000000, 0x7fffffffffffffff, 0x0
    T_RR 55, sltu, 0xfffffffffffffffe, 0xffffffffffffffff, 0x1
    T_RR 56, sltu, 0x5, 0x5, 0x0
    T_RR 57, xor, 0x0, 0x0, 0x0
    T_RR 58, xor, 0xffffffffffffffff, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa
    T_RR 59, xor, 0xff00ff00ff00ff00, 0xff00ff00ff00ff0, 0xf0f0f0f0f0f0f0f0
    T_RR 60, xor, 0x123456789abcdef0, 0xffffffffffffffff, 0xedcba9876543210f
    T_RR 61, or, 0x0, 0x0, 0x0
    T_RR 62, or, 0xff00ff00ff00ff00, 0xff00ff00ff00ff0, 0xfff0fff0fff0fff0
    T_RR 63, or, 0x8000000000000000, 0x1, 0x8000000000000001
    T_RR 64, or, 0x0, 0xffffffffffffffff, 0xffffffffffffffff
    T_RR 65, and, 0x0, 0x0, 0x0
    T_RR 66, and, 0xff00ff00ff00ff00, 0xff00ff00ff00ff0, 0xf000f000f000f00
    T_RR 67, and, 0xffffffffffffffff, 0x123456789abcdef0, 0x123456789abcdef0
    T_RR 68, and, 0x8000000000000000, 0x7fffffffffffffff, 0x0
    T_RR 69, addw, 0x0, 0x0, 0x0
    T_RR 70, addw, 0x1, 0x1, 0x2
    T_RR 71, addw, 0x7fffffff, 0x1, 0xffffffff80000000
    T_RR 72, addw, 0xffffffff, 0x1, 0x0
    T_RR 73, addw, 0x123456789, 0x1, 0x2345678a
    T_RR 74, addw, 0xffffffffffffffff, 0xffffffffffffffff, 0xfffffffffffffffe
    T_RR 75, addw, 0x80000000, 0x80000000, 0x0
    T_RR 76, addw, 0xdeadbeef00000005, 0xcafe000000000003, 0x8
    T_RR 77, subw, 0x0, 0x0, 0x0
    T_RR 78, subw, 0x0, 0x1, 0xffffffffffffffff
    T_RR 79, subw, 0x80000000, 0x1, 0x7fffffff
    T_RR 80, subw, 0x100000000, 0x1, 0xffffffffffffffff
    T_RR 81, subw, 0xfffffffffffffffb, 0xfffffffffffffff9, 0x2
    T_RR 82, subw, 0x7fffffff, 0xffffffffffffffff, 0xffffffff80000000
    T_RR 83, sllw, 0x1, 0x0, 0x1
    T_RR 84, sllw, 0x1, 0x1f, 0xffffffff80000000
    T_RR 85, sllw, 0x1, 0x20, 0x1
    T_RR 86, sllw, 0x1, 0x21, 0x2
    T_RR 87, sllw, 0xffffffff, 0x4, 0xfffffffffffffff0
    T_RR 88, sllw, 0x12345678abcdef01, 0x8, 0xffffffffcdef0100
    T_RR 89, sllw, 0x3, 0x1e, 0xffffffffc0000000
    T_RR 90, srlw, 0x80000000, 0x0, 0xffffffff80000000
    T_RR 91, srlw, 0x80000000, 0x1f, 0x1
    T_RR 92, srlw, 0x80000000, 0x1, 0x40000000
    T_RR 93, srlw, 0xffffffffffffffff, 0x20, 0xffffffffffffffff
    T_RR 94, srlw, 0xffffffffffffffff, 0x24, 0xfffffff
    T_RR 95, srlw, 0xffffffff00000000, 0x4, 0x0
    T_RR 96, srlw, 0x1234567887654321, 0x4, 0x8765432
    T_RR 97, sraw, 0x80000000, 0x0, 0xffffffff80000000
    T_RR 98, sraw, 0x80000000, 0x1f, 0xffffffffffffffff
    T_RR 99, sraw, 0x80000000, 0x1, 0xffffffffc0000000
    T_RR 100, sraw, 0x7fffffff, 0x1e, 0x1
    T_RR 101, sraw, 0xffffffffffffffff, 0x21, 0xffffffffffffffff
    T_RR 102, sraw, 0xf0000000, 0x4, 0xffffffffff000000
    T_RR 103, sraw, 0x1234567887654321, 0x24, 0xfffffffff8765432
/* --- register-immediate */
    T_RI 104, addi, 0x0, 0, 0x0
    T_RI 105, addi, 0x1, 1, 0x2
    T_RI 106, addi, 0x3, -7, 0xfffffffffffffffc
    T_RI 107, addi, 0x7fffffffffffffff, 1, 0x8000000000000000
    T_RI 108, addi, 0xffffffffffffffff, 2047, 0x7fe
    T_RI 109, addi, 0x0, -2048, 0xfffffffffffff800
    T_RI 110, addi, 0x8000000000000000, -1, 0x7fffffffffffffff
    T_RI 111, slti, 0x0, 0, 0x0
    T_RI 112, slti, 0x0, 1, 0x1
    T_RI 113, slti, 0x1, 0, 0x0
    T_RI 114, slti, 0xffffffffffffffff, 0, 0x1
    T_RI 115, slti, 0x0, -1, 0x0
    T_RI 116, slti, 0xfffffffffffff800, -2047, 0x1
    T_RI 117, slti, 0x8000000000000000, -2048, 0x1
    T_RI 118, slti, 0x7ff, 2047, 0x0
    T_RI 119, sltiu, 0x0, 0, 0x0
    T_RI 120, sltiu, 0x0, 1, 0x1
    T_RI 121, sltiu, 0x1, 0, 0x0
    T_RI 122, sltiu, 0xffffffffffffffff, 0, 0x0
    T_RI 123, sltiu, 0x0, -1, 0x1
    T_RI 124, sltiu, 0xfffffffffffffffe, -1, 0x1
    T_RI 125, sltiu, 0xfffffffffffff800, -2048, 0x0
    T_RI 126, sltiu, 0x5, 6, 0x1
    T_RI 127, xori, 0xff00ff00ff00ff, 240, 0xff00ff00ff000f
    T_RI 128, xori, 0xff00ff00ff00ff, -1, 0xff00ff00ff00ff00
    T_RI 129, xori, 0x123456789abcdef0, -2048, 0xedcba987654326f0
    T_RI 130, xori, 0x0, 0, 0x0
    T_RI 131, ori, 0xff00ff00ff00ff, 240, 0xff00ff00ff00ff
    T_RI 132, ori, 0x0, -1, 0xffffffffffffffff
    T_RI 133, ori, 0x8000000000000000, 2047, 0x80000000000007ff
    T_RI 134, ori, 0x0, 0, 0x0
    T_RI 135, andi, 0xff00ff00ff00ff, 240, 0xf0
    T_RI 136, andi, 0xffffffffffffffff, -1, 0xffffffffffffffff
    T_RI 137, andi, 0x123456789abcdef0, -16, 0x123456789abcdef0
    T_RI 138, andi, 0xffffffffffffffff, 2047, 0x7ff
    T_RI 139, slli, 0x1, 0, 0x1
    T_RI 140, slli, 0x1, 1, 0x2
    T_RI 141, slli, 0x1, 63, 0x8000000000000000
    T_RI 142, slli, 0x8000000000000001, 1, 0x2
    T_RI 143, slli, 0x123456789abcdef0, 36, 0xabcdef0000000000
    T_RI 144, slli, 0xffffffffffffffff, 31, 0xffffffff80000000
    T_RI 145, srli, 0x8000000000000000, 0, 0x8000000000000000
    T_RI 146, srli, 0x8000000000000000, 1, 0x4000000000000000
    T_RI 147, srli, 0x8000000000000000, 63, 0x1
    T_RI 148, srli, 0xffffffffffffffff, 32, 0xffffffff
    T_RI 149, srli, 0x123456789abcdef0, 12, 0x123456789abcd
    T_RI 150, srai, 0x8000000000000000, 0, 0x8000000000000000
    T_RI 151, srai, 0x8000000000000000, 1, 0xc000000000000000
    T_RI 152, srai, 0x8000000000000000, 63, 0xffffffffffffffff
    T_RI 153, srai, 0x7fffffffffffffff, 62, 0x1
    T_RI 154, srai, 0xffffffffffffff00, 4, 0xfffffffffffffff0
    T_RI 155, srai, 0x8123456789abcdef, 33, 0xffffffffc091a2b3
    T_RI 156, addiw, 0x0, 0, 0x0
    T_RI 157, addiw, 0x7fffffff, 1, 0xffffffff80000000
    T_RI 158, addiw, 0xffffffff, 1, 0x0
    T_RI 159, addiw, 0x123456789, -1, 0x23456788
    T_RI 160, addiw, 0xffffffffffffffff, -2048, 0xfffffffffffff7ff
    T_RI 161, addiw, 0x80000000, 2047, 0xffffffff800007ff
    T_RI 162, addiw, 0xdeadbeef12345678, 0, 0x12345678
    T_RI 163, slliw, 0x1, 0, 0x1
    T_RI 164, slliw, 0x1, 31, 0xffffffff80000000
    T_RI 165, slliw, 0xffffffff, 4, 0xfffffffffffffff0
    T_RI 166, slliw, 0x12345678abcdef01, 8, 0xffffffffcdef0100
    T_RI 167, slliw, 0x3, 30, 0xffffffffc0000000
    T_RI 168, srliw, 0x80000000, 0, 0xffffffff80000000
    T_RI 169, srliw, 0x80000000, 31, 0x1
    T_RI 170, srliw, 0x80000000, 1, 0x40000000
    T_RI 171, srliw, 0xffffffff00000000, 4, 0x0
    T_RI 172, srliw, 0x1234567887654321, 4, 0x8765432
    T_RI 173, srliw, 0xffffffffffffffff, 0, 0xffffffffffffffff
    T_RI 174, sraiw, 0x80000000, 0, 0xffffffff80000000
    T_RI 175, sraiw, 0x80000000, 31, 0xffffffffffffffff
    T_RI 176, sraiw, 0x80000000, 1, 0xffffffffc0000000
    T_RI 177, sraiw, 0x7fffffff, 30, 0x1
    T_RI 178, sraiw, 0xf0000000, 4, 0xffffffffff000000
    T_RI 179, sraiw, 0x12345678876543ff, 8, 0xffffffffff876543

/* --- LUI: 20-bit immediate into bits 31:12, sign-extended to 64 bits */
    lui a0, 0
    CHECK 180, a0, 0
    lui a0, 0x12345
    CHECK 181, a0, 0x12345000
    lui a0, 0x7ffff
    CHECK 182, a0, 0x7ffff000
    lui a0, 0x80000
    CHECK 183, a0, 0xffffffff80000000
    lui a0, 0xfffff
    CHECK 184, a0, 0xfffffffffffff000

/* --- AUIPC: pc + sign-extended (imm << 12) */
1:  auipc a0, 0
    CHECKL 185, a0, 1b
2:  auipc a0, 1
    la a1, 2b
    li a2, 0x1000
    add a1, a1, a2
    CHECKR 186, a0, a1
3:  auipc a0, 0xfffff
    la a1, 3b
    li a2, -0x1000
    add a1, a1, a2
    CHECKR 187, a0, a1
4:  auipc a0, 0x80000
    la a1, 4b
    li a2, 0xffffffff80000000
    add a1, a1, a2
    CHECKR 188, a0, a1

/* --- x0 as destination is discarded, x0 as source reads 0 */
    li a0, 123
    addi x0, a0, 5
    add x0, a0, a0
    lui x0, 0x12345
    mv a1, x0
    CHECK 189, a1, 0
    add a1, x0, a0
    CHECK 190, a1, 123
    sub a1, x0, a0
    CHECK 191, a1, -123
    sltu a1, x0, a0          /* snez */
    CHECK 192, a1, 1
    sltiu a1, a0, 1          /* seqz */
    CHECK 193, a1, 0
    sltu a1, x0, x0
    CHECK 194, a1, 0

/* --- aliasing: rd == rs1, rd == rs2, rs1 == rs2 */
    li a0, 13
    li a1, 11
    add a0, a0, a1
    CHECK 195, a0, 24
    sub a1, a0, a1
    CHECK 196, a1, 13
    sub a2, a1, a1
    CHECK 197, a2, 0
    li a3, 3
    sll a3, a3, a3
    CHECK 198, a3, 24
    addi a3, a3, -24
    CHECK 199, a3, 0
    li a4, 0x80000000
    addw a4, a4, a4
    CHECK 200, a4, 0
    li a4, 0x40000000
    addw a4, a4, a4
    CHECK 201, a4, 0xffffffff80000000

/* --- NOP and pseudo-instructions built on the base set */
    li a0, 77
    nop
    addi x0, x0, 0
    CHECK 202, a0, 77
    not a1, a0
    CHECK 203, a1, -78
    neg a1, a0
    CHECK 204, a1, -77
    negw a1, a0
    CHECK 205, a1, -77
    sext.w a1, a4
    CHECK 206, a1, 0xffffffff80000000
    li a0, -1
    srliw a1, a0, 0
    CHECK 207, a1, -1
    slli a1, a0, 32
    srli a1, a1, 32          /* zext.w idiom */
    CHECK 208, a1, 0xffffffff

/* --- large constants through li (lui/addi(w)/slli sequences) */
    li a0, 0x123456789abcdef0
    srli a1, a0, 32
    CHECK 209, a1, 0x12345678
    li a0, 0x8000000000000000
    srai a1, a0, 63
    CHECK 210, a1, -1
TEST_END
