/*
 * csr-super.S - supervisor CSRs and CSR privilege rules:
 *   sstatus as a view of mstatus (SIE SPIE SPP SUM MXR and UXL visible; MIE MPIE MPP MPRV
 *   TVM TW TSR SXL hidden and untouched by sstatus writes); sie/sip as views of mie/mip
 *   masked by mideleg (S can set/clear sip.SSIP when delegated, STIP/SEIP are read-only
 *   in sip); stvec (direct and vectored), sepc (bit 1 kept), scause, stval, sscratch,
 *   senvcfg, scounteren read/write from S; satp: bare and Sv39 values kept, a write with
 *   an unsupported MODE (reserved 1, Sv64) leaves satp unchanged; S-mode access to M-mode
 *   CSRs and U-mode access to S- and M-mode CSRs raise illegal instruction (mtval = bits).
 */
#include "test.h"

.macro T_WR num, csr, val, mask, exp
    li a0, \val
    csrw \csr, a0
    csrr a1, \csr
    CHECKM \num, a1, \mask, \exp
.endm

/* the instruction at \label traps to M as illegal, mtval = its bits */
.macro CHECK_ILL num, label
    CHECK_TRAP \num, m_rec, CAUSE_ILLEGAL, \label
    la t6, \label
    lwu t6, 0(t6)
    li gp, (\num + 3)
    LDV t5, m_rec + REC_TVAL
    bne t5, t6, fail_check
.endm

/* access \insn must be illegal in the current mode */
.macro T_ILL num, insn:vararg
    EXPECT_M
.Lill\@:
    \insn
    CHECK_ILL \num, .Lill\@
.endm

#define SVIEW (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR)
#define MONLY (MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPRV | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR)

TEST_BEGIN csr-super
/* ------------------------------------------------------------ sstatus view */
    li a0, SVIEW | MONLY & ~MSTATUS_MPRV
    csrs mstatus, a0
    GO_S                        /* MPP := S */
    csrr a1, sstatus
    CHECKM 1, a1, SVIEW | MONLY | MSTATUS_MPP, SVIEW
    CHECKM 2, a1, MSTATUS_UXL | MSTATUS_SXL, 2 << 32
    li a0, SVIEW
    csrc sstatus, a0
    csrr a1, sstatus
    CHECKM 3, a1, SVIEW, 0
    li a0, MONLY
    csrs sstatus, a0            /* M-only bits cannot be set through sstatus */
    GO_M
    csrr a1, mstatus
    CHECKM 4, a1, SVIEW | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR | MSTATUS_MPRV, MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR
    li a0, MONLY | SVIEW
    csrc mstatus, a0
    li a0, MSTATUS_TSR | MSTATUS_TW
    csrs mstatus, a0
    GO_S
    li a0, SVIEW
    csrs sstatus, a0
    li a0, MSTATUS_TSR | MSTATUS_TW | MSTATUS_MPRV
    csrc sstatus, a0            /* nor cleared */
    GO_M
    csrr a1, mstatus
    CHECKM 5, a1, SVIEW | MSTATUS_TSR | MSTATUS_TW, SVIEW | MSTATUS_TSR | MSTATUS_TW
    li a0, MONLY | SVIEW
    csrc mstatus, a0

/* ------------------------------------------------------------ sie / sip views */
    /* nothing delegated: S sees no bits and cannot change mie */
    csrw mideleg, zero
    li a0, MIP_SSIP | MIP_STIP | MIP_SEIP | MIP_MTIP
    csrw mie, a0
    GO_S
    csrr a1, sie
    CHECK 6, a1, 0
    li a0, -1
    csrw sie, a0
    csrw sie, zero
    GO_M
    csrr a1, mie
    CHECK 7, a1, MIP_SSIP | MIP_STIP | MIP_SEIP | MIP_MTIP
    csrw mie, zero
    li a0, MIP_SSIP | MIP_STIP | MIP_SEIP
    csrs mip, a0                /* pending, but mie = 0: nothing is taken */
    GO_S
    csrr a1, sip
    CHECK 8, a1, 0
    li a0, MIP_SSIP
    csrc sip, a0                /* not delegated: no effect */
    GO_M
    csrr a1, mip
    CHECKM 9, a1, MIP_SSIP | MIP_STIP | MIP_SEIP, MIP_SSIP | MIP_STIP | MIP_SEIP
    li a0, MIP_SSIP | MIP_STIP | MIP_SEIP
    csrc mip, a0
    /* all three delegated: the views show them (sstatus.SIE = 0 keeps them from firing) */
    li a0, MIP_SSIP | MIP_STIP | MIP_SEIP
    csrw mideleg, a0
    li a0, MIP_STIP | MIP_MTIP
    csrw mie, a0
    GO_S
    csrr a1, sie
    CHECK 10, a1, MIP_STIP      /* MTIE never shows */
    li a0, MIP_SSIP | MIP_SEIP | MIP_MSIP
    csrs sie, a0
    csrr a1, sie
    CHECK 11, a1, MIP_SSIP | MIP_STIP | MIP_SEIP
    GO_M
    csrr a1, mie
    CHECK 12, a1, MIP_SSIP | MIP_STIP | MIP_SEIP | MIP_MTIP
    li a0, MIP_STIP | MIP_SEIP
    csrs mip, a0
    GO_S
    csrr a1, sip
    CHECK 13, a1, MIP_STIP | MIP_SEIP
    li a0, MIP_SSIP
    csrs sip, a0                /* S may raise its own software interrupt */
    csrr a1, sip
    CHECK 14, a1, MIP_SSIP | MIP_STIP | MIP_SEIP
    li a0, MIP_STIP | MIP_SEIP
    csrc sip, a0                /* read-only in sip */
    csrr a1, sip
    CHECK 15, a1, MIP_SSIP | MIP_STIP | MIP_SEIP
    li a0, MIP_SSIP
    csrc sip, a0
    csrr a1, sip
    CHECK 16, a1, MIP_STIP | MIP_SEIP
    csrw sie, zero
    GO_M
    csrr a1, mie
    CHECK 17, a1, MIP_MTIP
    csrr a1, mip
    CHECKM 18, a1, MIP_SSIP | MIP_STIP | MIP_SEIP, MIP_STIP | MIP_SEIP
    csrw mip, zero
    csrw mie, zero
    csrw mideleg, zero

/* ------------------------------------------------------------ trap CSRs from S */
    GO_S
    csrr s0, stvec
    la a0, s_vec_table
    csrw stvec, a0
    csrr a1, stvec
    CHECKR 19, a1, a0
    ori a0, a0, 1
    csrw stvec, a0
    csrr a1, stvec
    CHECKR 20, a1, a0
    csrw stvec, s0
    T_WR 21, sepc, 0x80002006, -1, 0x80002006
    T_WR 22, sepc, 0xffffffffc0000000, -1, 0xffffffffc0000000
    T_WR 23, scause, 13, -1, 13
    T_WR 24, scause, 0x8000000000000005, -1, 0x8000000000000005
    T_WR 25, stval, 0xdeadbeefcafe, -1, 0xdeadbeefcafe
    csrr s0, sscratch
    T_WR 26, sscratch, 0x0123456789abcdef, -1, 0x0123456789abcdef
    csrw sscratch, s0
    T_WR 27, scounteren, 7, 7, 7
    T_WR 28, scounteren, 0, 7, 0
    T_WR 29, senvcfg, 0, -1, 0
    T_WR 30, senvcfg, 1, 0xfffffffffffffffe, 0
    csrw senvcfg, zero
    csrr a1, satp               /* S may read satp while TVM = 0 */
    CHECK 31, a1, 0
    GO_M

/* ------------------------------------------------------------ satp (written from M) */
    la a0, pt_root
    srli a0, a0, 12
    li a1, SATP_MODE_SV39
    or s1, a0, a1               /* Sv39, ASID 0 */
    csrw satp, s1
    csrr a1, satp
    CHECKR 32, a1, s1
    la a0, pt_root
    srli a0, a0, 12
    li a2, (1 << 60)            /* MODE 1: reserved */
    or a0, a0, a2
    csrw satp, a0
    csrr a1, satp
    CHECKR 33, a1, s1
    li a0, SATP_MODE_SV64       /* MODE 11: Sv64, not implemented */
    csrw satp, a0
    csrr a1, satp
    CHECKR 34, a1, s1
    csrw satp, zero             /* bare: always supported */
    csrr a1, satp
    CHECK 35, a1, 0

/* ------------------------------------------------------------ privilege of CSR accesses */
    GO_S
    T_ILL 40, csrr a0, mstatus
    T_ILL 44, csrw mscratch, zero
    T_ILL 48, csrr a0, mepc
    T_ILL 52, csrr a0, misa
    T_ILL 56, csrr a0, mhartid
    T_ILL 60, csrw medeleg, zero
    T_ILL 64, csrr a0, mideleg
    T_ILL 68, csrr a0, mie
    T_ILL 72, csrr a0, mip
    T_ILL 76, csrr a0, mtvec
    T_ILL 80, csrr a0, mcause
    T_ILL 84, csrr a0, mtval
    T_ILL 88, csrr a0, mcounteren
    T_ILL 92, csrr a0, menvcfg
    T_ILL 96, csrr a0, mcycle
    T_ILL 100, csrr a0, minstret
    T_ILL 104, csrr a0, mcountinhibit
    T_ILL 108, csrr a0, pmpcfg0
    T_ILL 112, csrr a0, pmpaddr0
    T_ILL 116, csrr a0, mvendorid
    GO_M
    GO_U
    T_ILL 120, csrr a0, sstatus
    T_ILL 124, csrw sscratch, zero
    T_ILL 128, csrr a0, sepc
    T_ILL 132, csrr a0, stvec
    T_ILL 136, csrr a0, sie
    T_ILL 140, csrr a0, sip
    T_ILL 144, csrr a0, scause
    T_ILL 148, csrr a0, stval
    T_ILL 152, csrr a0, satp
    T_ILL 156, csrr a0, scounteren
    T_ILL 160, csrr a0, senvcfg
    T_ILL 164, csrr a0, mstatus
    T_ILL 168, csrr a0, mhartid
    T_ILL 172, csrw mscratch, a0
    GO_M
TEST_END
