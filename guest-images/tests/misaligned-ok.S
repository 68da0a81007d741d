/*
 * misaligned-ok.S - misaligned loads and stores that complete (rvwasm's default policy,
 * `--misaligned allow`, and QEMU's behaviour): every width at every offset inside and
 * across 8-byte boundaries, little-endian assembly of the bytes, sign/zero extension,
 * compressed forms, and under Sv39 an access that spans two virtual pages mapped to
 * non-adjacent physical pages. (With `--misaligned trap` see misaligned-trap.S.)
 */
#include "test.h"

.macro T_LD num, op, off, exp
    \op a1, \off(s0)
    CHECK \num, a1, \exp
.endm

TEST_BEGIN misaligned-ok
    la s0, buf
    li a1, 0x8786858483828180
    sd a1, 0(s0)
    li a1, 0x8f8e8d8c8b8a8988
    sd a1, 8(s0)
    li a1, 0x1716151413121110
    sd a1, 16(s0)
    T_LD 1, lh, 1, 0xffffffffffff8281
    T_LD 2, lhu, 7, 0x8887
    T_LD 3, lw, 1, 0xffffffff84838281
    T_LD 4, lw, 6, 0xffffffff89888786
    T_LD 5, lwu, 5, 0x88878685
    T_LD 6, ld, 1, 0x8887868584838281
    T_LD 7, ld, 3, 0x8a89888786858483
    T_LD 8, ld, 12, 0x131211108f8e8d8c
    T_LD 9, lwu, 14, 0x11108f8e
    T_LD 10, lh, 15, 0x108f
    li a1, 0xa1a2
    sh a1, 3(s0)
    ld a2, 0(s0)
    CHECK 11, a2, 0x878685a1a2828180
    li a1, 0xb1b2b3b4
    sw a1, 6(s0)
    ld a2, 0(s0)
    CHECK 12, a2, 0xb3b485a1a2828180
    ld a2, 8(s0)
    CHECK 13, a2, 0x8f8e8d8c8b8ab1b2
    li a1, 0xc1c2c3c4c5c6c7c8
    sd a1, 13(s0)
    ld a2, 8(s0)
    CHECK 14, a2, 0xc6c7c88c8b8ab1b2
    ld a2, 16(s0)
    CHECK 15, a2, 0x171615c1c2c3c4c5
    .option rvc
    addi a0, s0, 2
    c.lw a1, 4(a0)              /* buf + 6 */
    CHECK 16, a1, 0xffffffffb1b2b3b4
    c.ld a1, 8(a0)              /* buf + 10 */
    CHECK 17, a1, 0xc4c5c6c7c88c8b8a
    li a1, 0x0102030405060708
    c.sd a1, 0(a0)
    ld a2, 0(s0)
    CHECK 18, a2, 0x0304050607088180
    .option norvc

/* a load that spans two virtual pages backed by non-adjacent frames */
    la a0, frame_a
    li a1, 0xa3a2a1a0
    li a2, 4092
    add a0, a0, a2
    sw a1, 0(a0)
    la a0, frame_c
    li a1, 0xc7c6c5c4c3c2c1c0
    sd a1, 0(a0)
    call pt_reset
    call pt_map_kernel
    li a0, 0x40000000
    la a1, frame_a
    li a2, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
    li a3, PAGE_4K
    call pt_map
    li a0, 0x40001000
    la a1, frame_c
    li a2, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
    li a3, PAGE_4K
    call pt_map
    call pt_satp
    csrw satp, a0
    sfence.vma
    GO_S
    li s1, 0x40000ffc
    ld a1, 0(s1)                /* a0..a3 from frame_a, c0..c3 from frame_c */
    CHECK 19, a1, 0xc3c2c1c0a3a2a1a0
    ld a1, 4(s1)
    CHECK 20, a1, 0xc7c6c5c4c3c2c1c0
    ld a1, 2(s1)
    CHECK 21, a1, 0xc5c4c3c2c1c0a3a2
    li a2, 0x5566778899aabbcc
    sd a2, 1(s1)                /* a store across the boundary */
    ld a1, 1(s1)
    CHECKR 22, a1, a2
    GO_M
    csrw satp, zero
    la a0, frame_a
    li a2, 4088
    add a0, a0, a2
    ld a1, 0(a0)
    CHECK 23, a1, 0xaabbcca000000000
    la a0, frame_c
    ld a1, 0(a0)
    CHECK 24, a1, 0xc7c6c55566778899
TEST_END

    .section .bss
    .balign 4096
frame_a:    .skip 4096
    .skip 4096                  /* a gap: the frames are not adjacent */
frame_c:    .skip 4096
buf:        .skip 64
