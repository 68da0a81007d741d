/*
 * sv39.S - Sv39 translation, from S and U:
 *   4 KiB pages with R, W, X, U permissions; execute-only pages; S may not touch U pages
 *   (SUM = 0) nor ever execute them; U may not touch S pages; 2 MiB and 1 GiB superpages
 *   (a high, sign-extended VA for the latter); misaligned superpages, V = 0, W without R,
 *   a pointer PTE at the last level and non-canonical VAs all raise page faults (12 fetch,
 *   13 load, 15 store/AMO) with xtval = the VA, delegated to S through medeleg and taken
 *   in M when not delegated (from S and U); A and D set by hardware (Svadu-style) and visible in the PTE;
 *   sfence.vma (whole and per address) makes PTE changes visible; M ignores satp.
 */
#include "test.h"

#define VA_RW    0x40000000
#define VA_RO    0x40001000
#define VA_XO    0x40002000
#define VA_U     0x40003000
#define VA_INV   0x40004000
#define VA_WO    0x40005000
#define VA_AD    0x40006000
#define VA_UCODE 0x40007000
#define VA_PTR   0x40008000
#define VA_2M    0x40200000
#define VA_2MBAD 0x40400000
#define VA_1G    0xffffffffc0000000
#define VA_1GBAD 0x100000000
#define PA_BIG   0x80200000          /* 2 MiB-aligned RAM above the image */
#define RWAD     (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
#define PF_DELEG ((1 << CAUSE_FETCH_PAGE) | (1 << CAUSE_LOAD_PAGE) | (1 << CAUSE_STORE_PAGE))

/* page fault delegated to S at \insn, stval = \va */
.macro T_SPF num, cause, va, insn:vararg
    TRAP_RESET m_rec
    EXPECT_S
.Lp\@:
    \insn
    CHECK_TRAP \num, s_rec, \cause, .Lp\@
    CHECK_REC (\num + 3), s_rec, REC_TVAL, \va
    CHECK_NOTRAP (\num + 4), m_rec
.endm

/* the same, taken in M */
.macro T_MPF num, cause, va, insn:vararg
    TRAP_RESET s_rec
    EXPECT_M
.Lq\@:
    \insn
    CHECK_TRAP \num, m_rec, \cause, .Lq\@
    CHECK_REC (\num + 3), m_rec, REC_TVAL, \va
    CHECK_NOTRAP (\num + 4), s_rec
.endm

/* map \va -> \pa (a symbol or a constant in a register-free form) */
.macro MAP va, pa_sym, flags, level
    li a0, \va
    la a1, \pa_sym
    li a2, \flags
    li a3, \level
    call pt_map
.endm
.macro MAPC va, pa, flags, level
    li a0, \va
    li a1, \pa
    li a2, \flags
    li a3, \level
    call pt_map
.endm

/* \reg = the VA of \sym, a label in page_ucode, as U sees it */
.macro UVA reg, sym
    la \reg, \sym
    la t1, page_ucode
    sub \reg, \reg, t1
    li t1, VA_UCODE
    add \reg, \reg, t1
.endm

TEST_BEGIN sv39
    li a7, 0
/* ------------------------------------------------------------ page contents (physical) */
    la a0, page_rw
    li a1, 0x1111
    sd a1, 0(a0)
    la a0, page_ro
    li a1, 0x2222
    sd a1, 0(a0)
    la a0, page_u
    li a1, 0x3333
    sd a1, 0(a0)
    la a0, page_b
    li a1, 0x4444
    sd a1, 0(a0)
    la a0, page_ad
    li a1, 0x5555
    sd a1, 0(a0)
    li a0, PA_BIG + 0x1238
    li a1, 0x6666
    sd a1, 0(a0)
    li a0, PA_BIG + 0x200000 - 8
    li a1, 0x7777
    sd a1, 0(a0)
/* ------------------------------------------------------------ page tables */
    call pt_reset
    call pt_map_kernel
    MAP VA_RW, page_rw, RWAD, PAGE_4K
    la s0, pte_rw
    sd a0, 0(s0)
    MAP VA_RO, page_ro, PTE_V | PTE_R | PTE_A, PAGE_4K
    MAP VA_XO, page_xo, PTE_V | PTE_X | PTE_A, PAGE_4K
    MAP VA_U, page_u, RWAD | PTE_U, PAGE_4K
    MAP VA_INV, page_rw, PTE_R | PTE_W | PTE_A | PTE_D, PAGE_4K     /* V = 0 */
    MAP VA_WO, page_rw, PTE_V | PTE_W | PTE_A | PTE_D, PAGE_4K      /* W without R */
    MAP VA_AD, page_ad, PTE_V | PTE_R | PTE_W, PAGE_4K              /* A = D = 0 */
    la s0, pte_ad
    sd a0, 0(s0)
    MAP VA_UCODE, page_ucode, PTE_V | PTE_R | PTE_X | PTE_U | PTE_A, PAGE_4K
    MAP VA_PTR, page_rw, PTE_V, PAGE_4K                             /* pointer at level 0 */
    MAPC VA_2M, PA_BIG, RWAD, PAGE_2M
    MAPC VA_2MBAD, PA_BIG + 0x1000, RWAD, PAGE_2M                   /* PPN[0] != 0 */
    MAPC VA_1G, 0x80000000, RWAD, PAGE_1G
    MAPC VA_1GBAD, PA_BIG, RWAD, PAGE_1G                            /* PPN[1] != 0 */
    call pt_satp
    csrw satp, a0
    sfence.vma
    li a0, PF_DELEG
    csrw medeleg, a0

/* M ignores satp: these are physical accesses */
    li a0, VA_RW
    la a1, page_rw
    ld a2, 0(a1)
    CHECK 1, a2, 0x1111

/* ------------------------------------------------------------ S: permitted accesses */
    GO_S
    li s1, VA_RW
    ld a0, 0(s1)
    CHECK 2, a0, 0x1111
    li a1, 0x1212
    sd a1, 8(s1)
    lw a0, 8(s1)
    CHECK 3, a0, 0x1212
    li a1, 5
    addi a2, s1, 8
    amoadd.d a0, a1, (a2)
    ld a0, 8(s1)
    CHECK 4, a0, 0x1217
    li s1, VA_RO
    ld a0, 0(s1)
    CHECK 5, a0, 0x2222
    li s1, VA_XO
    jalr ra, 0(s1)              /* execute-only page: returns a0 = 0x42 */
    CHECK 6, a0, 0x42
    li s1, VA_2M + 0x1238
    ld a0, 0(s1)
    CHECK 7, a0, 0x6666
    li s1, VA_2M + 0x200000 - 8
    ld a0, 0(s1)
    CHECK 8, a0, 0x7777
    li s1, VA_1G + 0x200000 + 0x1238
    ld a0, 0(s1)
    CHECK 9, a0, 0x6666
    li a1, 0x6767
    sd a1, 0(s1)
    li s1, VA_2M + 0x1238
    ld a0, 0(s1)
    CHECK 10, a0, 0x6767
    GO_M
    la a1, page_rw              /* the S stores reached the physical page */
    ld a2, 8(a1)
    CHECK 11, a2, 0x1217

/* ------------------------------------------------------------ S: page faults delegated to S */
    GO_S
    li s1, VA_RO
    T_SPF 12, CAUSE_STORE_PAGE, VA_RO, sd a0, 0(s1)
    T_SPF 17, CAUSE_STORE_PAGE, VA_RO, amoswap.d a0, a0, (s1)
    li s1, VA_XO
    T_SPF 22, CAUSE_LOAD_PAGE, VA_XO, ld a0, 0(s1)
    li s1, VA_U                 /* U page, SUM = 0 */
    T_SPF 27, CAUSE_LOAD_PAGE, VA_U, ld a0, 0(s1)
    T_SPF 32, CAUSE_STORE_PAGE, VA_U + 8, sd a0, 8(s1)
    li s1, VA_INV
    T_SPF 37, CAUSE_LOAD_PAGE, VA_INV, ld a0, 0(s1)
    T_SPF 42, CAUSE_STORE_PAGE, VA_INV + 16, sd a0, 16(s1)
    li s1, VA_WO
    T_SPF 47, CAUSE_LOAD_PAGE, VA_WO, ld a0, 0(s1)
    T_SPF 52, CAUSE_STORE_PAGE, VA_WO, sd a0, 0(s1)
    li s1, VA_PTR
    T_SPF 57, CAUSE_LOAD_PAGE, VA_PTR, ld a0, 0(s1)
    li s1, VA_2MBAD + 0x10
    T_SPF 62, CAUSE_LOAD_PAGE, VA_2MBAD + 0x10, ld a0, 0(s1)
    li s1, VA_1GBAD + 0x20
    T_SPF 67, CAUSE_LOAD_PAGE, VA_1GBAD + 0x20, ld a0, 0(s1)
    li s1, 0x0000004000000000   /* bit 38 clear, bits 63:39 not all equal to it */
    T_SPF 72, CAUSE_LOAD_PAGE, 0x0000004000000000, ld a0, 0(s1)
    li s1, 0xffffff0040000000
    T_SPF 77, CAUSE_STORE_PAGE, 0xffffff0040000000, sd a0, 0(s1)
    li s1, 0x50000000           /* nothing mapped in this 1 GiB */
    T_SPF 82, CAUSE_LOAD_PAGE, 0x50000000, lb a0, 0(s1)
    /* fetch page faults: resume after the jump */
    .irp va, VA_INV, VA_RW, VA_U, VA_UCODE
    TRAP_RESET m_rec
    EXPECT_S
    RESUME_AT s_rec, 9f, -1
    li s1, \va
    jalr ra, 0(s1)
9:
    CHECK_REC 87, s_rec, REC_COUNT, 1
    CHECK_REC 88, s_rec, REC_CAUSE, CAUSE_FETCH_PAGE
    CHECK_REC 89, s_rec, REC_EPC, \va
    CHECK_REC 90, s_rec, REC_TVAL, \va
    CHECK_NOTRAP 91, m_rec
    .endr

/* ------------------------------------------------------------ A and D bits */
    LDV s2, pte_ad
    ld a0, 0(s2)
    CHECKM 92, a0, PTE_A | PTE_D, 0
    li s1, VA_AD
    ld a1, 0(s1)
    CHECK 93, a1, 0x5555
    ld a0, 0(s2)
    CHECKM 94, a0, PTE_A | PTE_D, PTE_A
    sd a1, 8(s1)
    ld a0, 0(s2)
    CHECKM 95, a0, PTE_A | PTE_D, PTE_A | PTE_D
    /* a store to a fresh page sets both */
    li a0, PTE_A | PTE_D
    ld a1, 0(s2)
    not a0, a0
    and a1, a1, a0
    sd a1, 0(s2)
    sfence.vma s1, zero
    sw zero, 16(s1)
    ld a0, 0(s2)
    CHECKM 96, a0, PTE_A | PTE_D, PTE_A | PTE_D

/* ------------------------------------------------------------ sfence.vma */
    LDV s2, pte_rw
    li s1, VA_RW
    ld a0, 0(s1)
    CHECK 97, a0, 0x1111
    la a1, page_b               /* point VA_RW at page_b */
    srli a1, a1, 12
    slli a1, a1, 10
    ori a1, a1, RWAD
    sd a1, 0(s2)
    sfence.vma s1, zero         /* this address */
    ld a0, 0(s1)
    CHECK 98, a0, 0x4444
    sd zero, 0(s2)              /* unmap it */
    sfence.vma                  /* everything */
    T_SPF 99, CAUSE_LOAD_PAGE, VA_RW, ld a0, 0(s1)
    la a1, page_rw              /* and back */
    srli a1, a1, 12
    slli a1, a1, 10
    ori a1, a1, RWAD
    sd a1, 0(s2)
    sfence.vma zero, zero
    ld a0, 0(s1)
    CHECK 104, a0, 0x1111
    GO_M

/* ------------------------------------------------------------ page faults taken in M */
    csrw medeleg, zero
    GO_S
    li s1, VA_RO
    T_MPF 105, CAUSE_STORE_PAGE, VA_RO, sd a0, 0(s1)
    li s1, VA_INV
    T_MPF 110, CAUSE_LOAD_PAGE, VA_INV, ld a0, 0(s1)
    TRAP_RESET s_rec
    EXPECT_M
    RESUME_AT m_rec, 1f, PRV_S
    li s1, VA_INV
    jalr ra, 0(s1)
1:  CHECK_REC 115, m_rec, REC_CAUSE, CAUSE_FETCH_PAGE
    CHECK_REC 116, m_rec, REC_TVAL, VA_INV
    CHECK_REC 117, m_rec, REC_EPC, VA_INV
    GO_M
    /* from U, not delegated: two page faults skipped by M, then an ecall resumes in M */
    TRAP_RESET s_rec
    TRAP_RESET m_rec
    ARM m_rec, 3
    RESUME_AT m_rec, 3f, PRV_M
    li s2, VA_U
    li s3, VA_RW
    li t0, MSTATUS_MPP
    csrc mstatus, t0
    UVA t0, user_m_faults
    csrw mepc, t0
    mret
3:  CHECK_REC 130, m_rec, REC_COUNT, 3
    CHECK_REC 131, m_rec, REC_LOG + 0, CAUSE_LOAD_PAGE
    CHECK_REC 132, m_rec, REC_LOG + 8, CAUSE_STORE_PAGE
    CHECK_REC 133, m_rec, REC_LOG + 16, CAUSE_ECALL_U
    CHECK 134, a0, 0x3333       /* the load after the faults ran */
    CHECK_NOTRAP 135, s_rec
    li a0, PF_DELEG | (1 << CAUSE_ECALL_U)
    csrw medeleg, a0

/* ------------------------------------------------------------ U-mode */
    GO_S
    /* U runs user_prog at VA_UCODE: s2 = U data page, s3 = an S page */
    li s2, VA_U
    li s3, VA_RW
    TRAP_RESET m_rec
    EXPECT_S
    RESUME_AT s_rec, 2f, PRV_S
    li t0, MSTATUS_SPP
    csrc sstatus, t0
    UVA t0, user_ok
    csrw sepc, t0
    sret
2:  CHECK_REC 120, s_rec, REC_CAUSE, CAUSE_ECALL_U
    CHECK 121, a0, 0x3333       /* U read its page */
    CHECK 122, a2, 0x42         /* and called a U function */
    li s2, VA_U
    EXPECT_S
    ld a0, 8(s2)                /* S may not: SUM = 0 -> fault */
    CHECK_REC 123, s_rec, REC_CAUSE, CAUSE_LOAD_PAGE
    CHECK_REC 119, s_rec, REC_COUNT, 1
    GO_M
    la a0, page_u               /* U's store landed */
    ld a1, 8(a0)
    CHECK 124, a1, 0x0badf00d
    GO_S
    /* U touching an S page: load page fault, resume in S */
    .irp which, user_ld_s, user_st_s, user_exec_s, user_exec_nx
    TRAP_RESET m_rec
    EXPECT_S
    RESUME_AT s_rec, 9f, PRV_S
    li t0, MSTATUS_SPP
    csrc sstatus, t0
    UVA t0, \which
    csrw sepc, t0
    sret
9:
    CHECK_NOTRAP 125, m_rec
    .endr
    CHECK_REC 126, s_rec, REC_CAUSE, CAUSE_FETCH_PAGE   /* the last one */
    CHECK_REC 127, s_rec, REC_TVAL, VA_U
    CHECK_REC 128, s_rec, REC_EPC, VA_U
    LDV a0, s_rec + REC_STATUS
    CHECKM 129, a0, MSTATUS_SPP, 0
    GO_M
    csrw satp, zero
    csrw medeleg, zero
TEST_END

/* ======================================================================== pages */
    .text
    .balign 4096
page_xo:                        /* mapped execute-only at VA_XO */
    li a0, 0x42
    ret
    .balign 4096
page_ucode:                     /* mapped U|R|X at VA_UCODE; position-independent */
user_ok:
    ld a0, 0(s2)                /* own page: fine */
    li a1, 0x0badf00d
    sd a1, 8(s2)
    jal ra, user_func
    mv a2, a1
    li a7, 0
    ecall                       /* the S handler resumes in S */
user_func:
    li a1, 0x42
    ret
user_ld_s:
    ld a0, 0(s3)                /* S page: load page fault */
user_st_s:
    sd a0, 0(s3)                /* S page: store page fault */
user_exec_s:
    jalr ra, 0(s3)              /* fetch from an S page: fetch page fault */
user_exec_nx:
    jalr ra, 0(s2)              /* fetch from a U page without X */
user_m_faults:
    ld a0, 0(s3)                /* S page: load page fault (taken in M, skipped) */
    sd a0, 0(s3)                /* store page fault (likewise) */
    ld a0, 0(s2)                /* own page */
    li a7, 0
    ecall
    .balign 4096

    .section .bss
    .balign 4096
page_rw:    .skip 4096
page_ro:    .skip 4096
page_u:     .skip 4096
page_ad:    .skip 4096
page_b:     .skip 4096
pte_rw:     .skip 8
pte_ad:     .skip 8
