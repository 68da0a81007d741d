/*
 * csr-machine.S - machine-level CSRs as seen from M-mode:
 *   misa (MXL = 2 for RV64; A, C, I, M, S, U present; writing back the read value is
 *   harmless), mhartid = 0, mvendorid/marchid/mimpid readable and stable, mstatus (every
 *   field in the brief writable and read back: MIE SIE MPIE SPIE SPP MPP MPRV SUM MXR TVM
 *   TW TSR; UXL = SXL = 2; MPP = 2 rejected: rvwasm-strict.S), mtvec (direct and vectored
 *   base+mode kept), mepc (bit 1 kept; bit 0 reading 0 is in rvwasm-strict.S), mcause/mtval/mscratch read-write,
 *   medeleg/mideleg (the delegable bits are writable), mie (all six enables), mip (SSIP,
 *   STIP, SEIP writable; MSIP/MTIP ignore CSR writes and follow the CLINT), mcounteren,
 *   menvcfg, mcountinhibit (CY and IR writable), pmpaddr0..15 (WARL
 *   storage; bits 63:54 reading 0 is in rvwasm-strict.S) and pmpcfg0/pmpcfg2 (odd pmpcfg numbers do not exist on RV64).
 */
#include "test.h"

/* write \val to \csr, read it back, compare the bits in \mask with \exp */
.macro T_WR num, csr, val, mask, exp
    li a0, \val
    csrw \csr, a0
    csrr a1, \csr
    CHECKM \num, a1, \mask, \exp
.endm

.macro CHECK_ILL num, label
    CHECK_TRAP \num, m_rec, CAUSE_ILLEGAL, \label
    la t6, \label
    lwu t6, 0(t6)
    li gp, (\num + 3)
    LDV t5, m_rec + REC_TVAL
    bne t5, t6, fail_check
.endm

TEST_BEGIN csr-machine
/* ------------------------------------------------------------ identification */
    csrr a0, misa
    srli a1, a0, 62
    CHECK 1, a1, 2
    li a2, (1 << 0) | (1 << 2) | (1 << 8) | (1 << 12) | (1 << 18) | (1 << 20)
    and a1, a0, a2
    CHECKR 2, a1, a2
    csrw misa, a0               /* writing the current value is allowed (WARL) */
    csrr a1, misa
    CHECKR 3, a1, a0
    csrr a0, mhartid
    CHECK 4, a0, 0
    csrr a0, mvendorid
    csrr a1, mvendorid
    CHECKR 5, a0, a1
    csrr a0, marchid
    csrr a1, marchid
    CHECKR 6, a0, a1
    csrr a0, mimpid
    csrr a1, mimpid
    CHECKR 7, a0, a1

/* ------------------------------------------------------------ mstatus */
    csrr s0, mstatus
    srli a1, s0, 32
    andi a1, a1, 3
    CHECK 8, a1, 2              /* UXL = 64 */
    srli a1, s0, 34
    andi a1, a1, 3
    CHECK 9, a1, 2              /* SXL = 64 */
    .irp bit, 1, 3, 5, 7, 8, 17, 18, 19, 20, 21, 22
    li a0, 1 << \bit
    csrs mstatus, a0
    csrr a1, mstatus
    CHECKM (10 + \bit), a1, 1 << \bit, 1 << \bit
    csrc mstatus, a0
    csrr a1, mstatus
    CHECKM (40 + \bit), a1, 1 << \bit, 0
    .endr
    /* MPP holds U, S and M */
    li a0, MSTATUS_MPP
    csrc mstatus, a0
    csrr a1, mstatus
    CHECKM 70, a1, MSTATUS_MPP, 0
    li a0, MSTATUS_MPP_S
    csrs mstatus, a0
    csrr a1, mstatus
    CHECKM 71, a1, MSTATUS_MPP, MSTATUS_MPP_S
    li a0, MSTATUS_MPP
    csrs mstatus, a0
    csrr a1, mstatus
    CHECKM 72, a1, MSTATUS_MPP, MSTATUS_MPP_M
    /* the UXL/SXL fields ignore writes */
    li a0, MSTATUS_UXL | MSTATUS_SXL
    csrc mstatus, a0
    csrr a1, mstatus
    li a2, (2 << 32) | (2 << 34)
    CHECKM 74, a1, MSTATUS_UXL | MSTATUS_SXL, (2 << 32) | (2 << 34)
    csrw mstatus, zero
    csrr a1, mstatus
    li a2, MSTATUS_MIE | MSTATUS_SIE | MSTATUS_MPIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_MPP | MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR
    and a1, a1, a2
    CHECK 75, a1, 0
    csrw mstatus, s0

/* ------------------------------------------------------------ trap setup / handling */
    csrr s0, mtvec
    la a0, m_vec_table
    csrw mtvec, a0
    csrr a1, mtvec
    CHECKR 76, a1, a0
    ori a0, a0, 1               /* vectored */
    csrw mtvec, a0
    csrr a1, mtvec
    CHECKR 77, a1, a0
    csrw mtvec, s0
    csrr a1, mtvec
    CHECKR 78, a1, s0

    csrr s0, mepc
    T_WR 80, mepc, 0x80001236, -1, 0x80001236      /* bit 1 kept (IALIGN = 16) */
    T_WR 81, mepc, 0x80001234, -1, 0x80001234      /* (bit 0 reads 0: rvwasm-strict.S) */
    csrw mepc, s0

    T_WR 82, mcause, 2, -1, 2
    T_WR 83, mcause, 0x8000000000000007, -1, 0x8000000000000007
    T_WR 84, mcause, 0, -1, 0
    T_WR 85, mtval, 0x1234, -1, 0x1234
    T_WR 86, mtval, 0x8000000000000001, -1, 0x8000000000000001
    T_WR 87, mtval, 0, -1, 0

    csrr s0, mscratch
    li a0, 0xfedcba9876543210
    csrw mscratch, a0
    csrr a1, mscratch
    csrw mscratch, s0
    CHECK 88, a1, 0xfedcba9876543210

/* ------------------------------------------------------------ delegation */
    T_WR 89, medeleg, -1, 0xb3fe, 0xb3fe   /* all exceptions that S/U can raise */
    T_WR 90, medeleg, 0, -1, 0
    T_WR 91, medeleg, 0x100, -1, 0x100     /* ecall from U alone */
    csrw medeleg, zero
    T_WR 92, mideleg, -1, 0x222, 0x222     /* SSI, STI, SEI */
    T_WR 93, mideleg, 0, 0x222, 0
    T_WR 94, mideleg, 0x20, 0x222, 0x20
    csrw mideleg, zero

/* ------------------------------------------------------------ interrupt enable/pending */
    T_WR 95, mie, -1, 0xaaa, 0xaaa
    T_WR 96, mie, 0, -1, 0
    T_WR 97, mie, MIP_MTIP | MIP_SSIP, -1, MIP_MTIP | MIP_SSIP
    csrw mie, zero
    /* mip: SSIP, STIP, SEIP are software-writable by M */
    li a0, MIP_SSIP | MIP_STIP | MIP_SEIP
    csrs mip, a0
    csrr a1, mip
    CHECKM 98, a1, MIP_SSIP | MIP_STIP | MIP_SEIP, MIP_SSIP | MIP_STIP | MIP_SEIP
    csrc mip, a0
    csrr a1, mip
    CHECKM 99, a1, MIP_SSIP | MIP_STIP | MIP_SEIP, 0
    /* MSIP, MTIP, MEIP ignore CSR writes */
    li a0, MIP_MSIP | MIP_MTIP | MIP_MEIP
    csrs mip, a0
    csrr a1, mip
    CHECKM 100, a1, MIP_MSIP | MIP_MTIP | MIP_MEIP, 0
    /* ... and follow the CLINT */
    li a2, CLINT_MSIP
    li a0, 1
    sw a0, 0(a2)
    csrr a1, mip
    CHECKM 101, a1, MIP_MSIP, MIP_MSIP
    csrc mip, a0                /* still pending: the CLINT holds it */
    li a0, MIP_MSIP
    csrc mip, a0
    csrr a1, mip
    CHECKM 102, a1, MIP_MSIP, MIP_MSIP
    sw zero, 0(a2)
    csrr a1, mip
    CHECKM 103, a1, MIP_MSIP, 0
    li a2, CLINT_MTIMECMP
    sd zero, 0(a2)              /* mtime >= 0: timer pending */
    csrr a1, mip
    CHECKM 104, a1, MIP_MTIP, MIP_MTIP
    TIMER_OFF
    csrr a1, mip
    CHECKM 105, a1, MIP_MTIP, 0

/* ------------------------------------------------------------ counters and envcfg */
    T_WR 106, mcounteren, 7, 7, 7
    T_WR 107, mcounteren, 0, 7, 0
    T_WR 108, mcounteren, 5, 7, 5
    csrw mcounteren, zero
    T_WR 109, mcountinhibit, 5, 7, 5
    T_WR 111, mcountinhibit, 0, 7, 0
    T_WR 112, menvcfg, 0, -1, 0
    T_WR 113, menvcfg, 1, 0xfffffffffffffffe, 0 /* FIOM may stick, nothing else appears */
    csrw menvcfg, zero

/* ------------------------------------------------------------ PMP storage */
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    li a0, 0x0000123456789ab0 + \n
    csrw pmpaddr\n, a0
    .endr
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    csrr a1, pmpaddr\n
    CHECK (120 + \n), a1, 0x0000123456789ab0 + \n
    .endr
    li a0, 0x00110b091f1d1b19   /* no L bit, no reserved W-without-R, no bits 6:5 */
    csrw pmpcfg0, a0
    csrr a1, pmpcfg0
    CHECK 137, a1, 0x00110b091f1d1b19
    li a0, 0x191b1d1f00000000
    csrw pmpcfg2, a0
    csrr a1, pmpcfg2
    CHECK 138, a1, 0x191b1d1f00000000
    csrw pmpcfg2, zero
    li a0, 0x1f
    csrw pmpcfg0, a0            /* back to: entry 0 NAPOT RWX over everything */
    li a0, -1
    csrw pmpaddr0, a0
    .irp n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    csrw pmpaddr\n, zero
    .endr
    csrr a1, pmpcfg0
    CHECK 139, a1, 0x1f
    EXPECT_M
140: csrr a0, pmpcfg1           /* odd pmpcfg CSRs do not exist on RV64 */
    CHECK_ILL 141, 140b
    EXPECT_M
145: csrw pmpcfg3, zero
    CHECK_ILL 146, 145b
TEST_END
