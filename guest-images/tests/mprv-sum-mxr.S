/*
 * mprv-sum-mxr.S - the mstatus bits that change how loads and stores are checked:
 *   SUM: S may load/store U pages only with SUM = 1, and may never execute them;
 *   MXR: loads from execute-only pages succeed with MXR = 1 (S and U pages, the latter
 *        with SUM too when in S; U-mode accesses checked through MPRV with MPP = U),
 *        stores to them still fault;
 *   MPRV: M-mode loads/stores are translated and checked as if in mode MPP (S: SUM
 *        applies; U: only U pages), MXR applies too; MPP = M means no translation;
 *        instruction fetch is never affected (the M code here is not mapped at all).
 * Faults are page faults with xtval = the VA.
 */
#include "test.h"

#define VA_S   0x40000000            /* S RW */
#define VA_U   0x40001000            /* U RW */
#define VA_XO  0x40002000            /* S execute-only */
#define VA_UXO 0x40003000            /* U execute-only */
#define VA_URO 0x40004000            /* U read-only */
#define RWAD   (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
#define XO_INSN 0x04200513           /* li a0, 0x42 */

.macro MAP va, pa_sym, flags
    li a0, \va
    la a1, \pa_sym
    li a2, \flags
    li a3, PAGE_4K
    call pt_map
.endm

/* page fault taken by \rec's handler at \insn with tval \va */
.macro T_PF num, rec, cause, va, insn:vararg
    EXPECT_BOTH_RESET
    ARM \rec, 1
.Lp\@:
    \insn
    CHECK_TRAP \num, \rec, \cause, .Lp\@
    CHECK_REC (\num + 3), \rec, REC_TVAL, \va
.endm

/* a page fault on an access made in M with MPRV set, taken in M */
.macro T_MPF num, cause, va, insn:vararg
    EXPECT_M
    li t4, MSTATUS_MPRV
    csrs mstatus, t4
.Lm\@:
    \insn
    csrc mstatus, t4
    CHECK_TRAP \num, m_rec, \cause, .Lm\@
    CHECK_REC (\num + 3), m_rec, REC_TVAL, \va
.endm

/* one access in M with MPRV set (everything else in M stays untranslated) */
.macro MPRV_DO insn:vararg
    li t4, MSTATUS_MPRV
    csrs mstatus, t4
    \insn
    csrc mstatus, t4
.endm

/* set mstatus.MPP = \mode */
.macro SET_MPP mode
    li t4, MSTATUS_MPP
    csrc mstatus, t4
    li t4, (\mode << 11)
    csrs mstatus, t4
.endm

TEST_BEGIN mprv-sum-mxr
    li a7, 0
    la a0, page_s
    li a1, 0x1111
    sd a1, 0(a0)
    la a0, page_u
    li a1, 0x3333
    sd a1, 0(a0)
    la a0, page_uro
    li a1, 0x5555
    sd a1, 0(a0)
    call pt_reset
    call pt_map_kernel
    MAP VA_S, page_s, RWAD
    MAP VA_U, page_u, RWAD | PTE_U
    MAP VA_XO, page_xo, PTE_V | PTE_X | PTE_A
    MAP VA_UXO, page_xo, PTE_V | PTE_X | PTE_U | PTE_A
    MAP VA_URO, page_uro, PTE_V | PTE_R | PTE_U | PTE_A
    call pt_satp
    csrw satp, a0
    sfence.vma
    li a0, (1 << CAUSE_LOAD_PAGE) | (1 << CAUSE_STORE_PAGE) | (1 << CAUSE_FETCH_PAGE)
    csrw medeleg, a0

/* ------------------------------------------------------------ SUM (from S) */
    GO_S
    li s1, VA_U
    T_PF 1, s_rec, CAUSE_LOAD_PAGE, VA_U, ld a0, 0(s1)
    T_PF 5, s_rec, CAUSE_STORE_PAGE, VA_U, sd a0, 0(s1)
    li a0, MSTATUS_SUM
    csrs sstatus, a0
    TRAP_RESET s_rec
    ld a0, 0(s1)
    CHECK 9, a0, 0x3333
    li a1, 0x3434
    sd a1, 8(s1)
    ld a0, 8(s1)
    CHECK 10, a0, 0x3434
    CHECK_NOTRAP 11, s_rec
    li s2, VA_URO               /* SUM does not add W */
    T_PF 12, s_rec, CAUSE_STORE_PAGE, VA_URO, sd a0, 0(s2)
    /* SUM never allows S to execute a U page */
    EXPECT_S
    RESUME_AT s_rec, 1f, -1
    li s2, VA_UXO
    jalr ra, 0(s2)
1:  CHECK_REC 16, s_rec, REC_CAUSE, CAUSE_FETCH_PAGE
    CHECK_REC 17, s_rec, REC_TVAL, VA_UXO
    li a0, MSTATUS_SUM
    csrc sstatus, a0

/* ------------------------------------------------------------ MXR (from S) */
    li s1, VA_XO
    T_PF 18, s_rec, CAUSE_LOAD_PAGE, VA_XO, lw a0, 0(s1)
    li a0, MSTATUS_MXR
    csrs sstatus, a0
    TRAP_RESET s_rec
    lwu a0, 0(s1)
    CHECK 22, a0, XO_INSN
    CHECK_NOTRAP 23, s_rec
    T_PF 24, s_rec, CAUSE_STORE_PAGE, VA_XO, sw a0, 0(s1)
    li s2, VA_UXO               /* U execute-only: MXR alone is not enough for S */
    T_PF 28, s_rec, CAUSE_LOAD_PAGE, VA_UXO, lw a0, 0(s2)
    li a0, MSTATUS_SUM
    csrs sstatus, a0
    TRAP_RESET s_rec
    lwu a0, 0(s2)               /* MXR + SUM */
    CHECK 32, a0, XO_INSN
    CHECK_NOTRAP 33, s_rec
    li a0, MSTATUS_SUM | MSTATUS_MXR
    csrc sstatus, a0
    T_PF 34, s_rec, CAUSE_LOAD_PAGE, VA_UXO, lw a0, 0(s2)

    GO_M
    csrw medeleg, zero

/* ------------------------------------------------------------ MPRV (M-mode, code not mapped) */
    call pt_reset               /* a table without the DRAM identity map */
    MAP VA_S, page_s, RWAD
    MAP VA_U, page_u, RWAD | PTE_U
    MAP VA_XO, page_xo, PTE_V | PTE_X | PTE_A
    MAP VA_URO, page_uro, PTE_V | PTE_R | PTE_U | PTE_A
    MAP VA_UXO, page_xo, PTE_V | PTE_X | PTE_U | PTE_A
    call pt_satp
    csrw satp, a0
    sfence.vma
    li s1, VA_S
    li s2, VA_U
    li s3, VA_XO
    li s4, VA_URO
    SET_MPP PRV_S
    MPRV_DO ld a0, 0(s1)
    CHECK 50, a0, 0x1111
    li a1, 0x1818
    MPRV_DO sd a1, 16(s1)
    la a0, page_s
    ld a0, 16(a0)
    CHECK 51, a0, 0x1818
    /* MPP = S, SUM = 0: U page faults, in M (the handler sees MPP = M and returns) */
    SET_MPP PRV_S
    T_MPF 52, CAUSE_LOAD_PAGE, VA_U, ld a0, 0(s2)
    SET_MPP PRV_S
    li a0, MSTATUS_SUM
    csrs mstatus, a0
    MPRV_DO ld a0, 0(s2)
    CHECK 56, a0, 0x3333
    li a0, MSTATUS_SUM
    csrc mstatus, a0
    /* MXR through MPRV */
    SET_MPP PRV_S
    T_MPF 57, CAUSE_LOAD_PAGE, VA_XO, lw a0, 0(s3)
    SET_MPP PRV_S
    li a0, MSTATUS_MXR
    csrs mstatus, a0
    MPRV_DO lwu a0, 0(s3)
    CHECK 61, a0, XO_INSN
    li a0, MSTATUS_MXR
    csrc mstatus, a0
    /* MPP = U: only U pages */
    SET_MPP PRV_U
    MPRV_DO ld a0, 0(s2)
    CHECK 62, a0, 0x3333
    SET_MPP PRV_U
    T_MPF 63, CAUSE_LOAD_PAGE, VA_S, ld a0, 0(s1)
    SET_MPP PRV_U
    T_MPF 67, CAUSE_STORE_PAGE, VA_URO, sd a0, 0(s4)
    SET_MPP PRV_U
    MPRV_DO ld a0, 0(s4)
    CHECK 71, a0, 0x5555
    /* MXR for U-mode accesses (U execute-only page) */
    li s6, VA_UXO
    SET_MPP PRV_U
    T_MPF 74, CAUSE_LOAD_PAGE, VA_UXO, lw a0, 0(s6)
    SET_MPP PRV_U
    li a0, MSTATUS_MXR
    csrs mstatus, a0
    MPRV_DO lwu a0, 0(s6)
    CHECK 78, a0, XO_INSN
    li a0, MSTATUS_MXR
    csrc mstatus, a0
    /* MPP = M: MPRV changes nothing */
    SET_MPP PRV_M
    la s5, page_s
    MPRV_DO ld a0, 0(s5)
    CHECK 72, a0, 0x1111
    /* without MPRV, M is untranslated whatever MPP says */
    SET_MPP PRV_U
    ld a0, 0(s5)
    CHECK 73, a0, 0x1111
    csrw satp, zero
    SET_MPP PRV_M
TEST_END

    .text
    .balign 4096
page_xo:
    li a0, 0x42
    ret
    .balign 4096

    .section .bss
    .balign 4096
page_s:     .skip 4096
page_u:     .skip 4096
page_uro:   .skip 4096
