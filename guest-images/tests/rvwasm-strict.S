/*
 * rvwasm-strict.S - rvwasm's documented implementation choices, and spec rules that
 * QEMU 7.2 does not follow (so this image is expected to fail on QEMU; the number it
 * fails with says which rule, see README.md):
 *   1-9    misa reads exactly RV64 ACIMSU (0x8000000000141105)
 *   10-19  csrrs/csrrc with rs1 != x0 holding 0 on a read-only CSR is a write attempt:
 *          illegal instruction (unpriv. spec, Zicsr chapter); QEMU lets it pass
 *   20-21  mstatus.MPP cannot hold the reserved value 2 (WARL, priv. spec 3.1.6.1)
 *   22-25  mepc/sepc bit 0 always reads 0 (priv. spec 3.1.14, 4.1.7); QEMU keeps it
 *   26-29  pmpaddr bits 63:54 read 0 (priv. spec 3.7.1, figure 3.29); QEMU keeps them
 *   30-37  pmpcfg4..14 (even) and pmpaddr16..63 exist as storage (QEMU 7.2 has 16 entries)
 *   38-41  satp: a write with MODE Sv48 or Sv57 (unsupported in rvwasm) leaves it unchanged
 *   42-57  ebreak / c.ebreak: mtval (and stval when delegated) = the pc of the ebreak
 *   58-77  misaligned AMO -> store/AMO address-misaligned (6), misaligned SC -> 6, mtval =
 *          address; AMO to a hole -> store/AMO access fault (7) (QEMU says 4 and 5)
 *   78-82  mcountinhibit.IR / CY stop minstret / mcycle (QEMU 7.2 reads 0)
 *   83-88  an mret or sret to S or U clears mstatus.MPRV (priv. spec 1.12, 3.1.6.3)
 *   90-99  priority among pending interrupts: MSI > MTI > SEI > SSI > STI in M, SEI > SSI >
 *          STI in S (priv. spec 3.1.9); QEMU 7.2 without AIA takes the lowest number first
 *   100-101 an mret from M to M keeps MPRV and sets MPP = U (priv. spec 3.1.6.1) without a
 *          CSR write: M's loads are translated as U's from then on; QEMU 7.2 keeps the
 *          untranslated TLB entry it filled under MPP = M (fails at 101)
 */
#include "test.h"

.macro CHECK_ILL num, label
    CHECK_TRAP \num, m_rec, CAUSE_ILLEGAL, \label
    la t6, \label
    lwu t6, 0(t6)
    li gp, (\num + 3)
    LDV t5, m_rec + REC_TVAL
    bne t5, t6, fail_check
.endm

.macro SPIN n
    li a5, \n
.Ls\@:
    addi a5, a5, -1
    bnez a5, .Ls\@
.endm

#define INTR(c) (CAUSE_INTR | (c))

TEST_BEGIN rvwasm-strict
    li a7, 0
/* ------------------------------------------------------------ 1: misa */
    csrr a0, misa
    CHECK 1, a0, 0x8000000000141105

/* ------------------------------------------------------------ 10: csrrs/csrrc write attempts */
    li a1, 0
    EXPECT_M
10: csrrs a0, marchid, a1
    CHECK_ILL 10, 10b
    EXPECT_M
14: csrrc a0, mimpid, a1
    CHECK_ILL 14, 14b

/* ------------------------------------------------------------ 20: MPP = 2 */
    csrr s0, mstatus
    li a0, MSTATUS_MPP
    csrc mstatus, a0
    li a0, 2 << 11
    csrs mstatus, a0
    csrr a1, mstatus
    csrw mstatus, s0
    srli a1, a1, 11
    andi a1, a1, 3
    li gp, 20
    li t6, 2
    mv t5, a1
    beq t5, t6, fail_check

/* ------------------------------------------------------------ 22: xepc bit 0 */
    csrr s0, mepc
    li a0, 0x80001235
    csrw mepc, a0
    csrr a1, mepc
    csrw mepc, s0
    CHECK 22, a1, 0x80001234
    li a0, 0x80001237
    csrw mepc, a0
    csrr a1, mepc
    csrw mepc, s0
    CHECK 23, a1, 0x80001236
    li a0, 0x80004321
    csrw sepc, a0
    csrr a1, sepc
    CHECK 24, a1, 0x80004320
    GO_S
    li a0, 0x80004323
    csrw sepc, a0
    csrr a1, sepc
    CHECK 25, a1, 0x80004322
    GO_M

/* ------------------------------------------------------------ 26: pmpaddr width */
    li a0, -1
    csrw pmpaddr5, a0
    csrr a1, pmpaddr5
    csrw pmpaddr5, zero
    CHECK 26, a1, 0x003fffffffffffff

/* ------------------------------------------------------------ 30: 64 PMP entries of storage */
    li gp, 30                   /* (an illegal-instruction trap here: fewer entries) */
    .irp n, 16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63
    li a0, 0x00000abcdef00000 + \n
    csrw pmpaddr\n, a0
    .endr
    .irp n, 16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63
    csrr a1, pmpaddr\n
    CHECK 30, a1, 0x00000abcdef00000 + \n
    csrw pmpaddr\n, zero
    .endr
    .irp n, 4, 6, 8, 10, 12, 14
    li a0, 0x0019001b001d0000 + \n     /* OFF/NAPOT entries with R/RW/RX, no L */
    csrw pmpcfg\n, a0
    csrr a1, pmpcfg\n
    CHECK 31, a1, 0x0019001b001d0000 + \n
    csrw pmpcfg\n, zero
    .endr

/* ------------------------------------------------------------ 38: satp, unsupported modes */
    la a0, pt_root
    srli a0, a0, 12
    li a1, SATP_MODE_SV39
    or s1, a0, a1
    csrw satp, s1
    li a1, SATP_MODE_SV48
    or a2, a0, a1
    csrw satp, a2
    csrr a3, satp
    CHECKR 38, a3, s1
    li a1, SATP_MODE_SV57
    or a2, a0, a1
    csrw satp, a2
    csrr a3, satp
    CHECKR 39, a3, s1
    csrw satp, zero

/* ------------------------------------------------------------ 42: ebreak tval = pc */
    li a0, 0x1234
    csrw mtval, a0
    EXPECT_M
42: ebreak
    CHECK_TRAP 42, m_rec, CAUSE_BREAKPOINT, 42b
    CHECK_RECL 45, m_rec, REC_TVAL, 42b
    EXPECT_M
    .option rvc
46: c.ebreak
    .option norvc
    CHECK_TRAP 46, m_rec, CAUSE_BREAKPOINT, 46b
    CHECK_RECL 49, m_rec, REC_TVAL, 46b
    GO_U
    EXPECT_M
50: ebreak
    CHECK_RECL 50, m_rec, REC_TVAL, 50b
    GO_M
    li a0, 1 << CAUSE_BREAKPOINT
    csrw medeleg, a0
    GO_S
    EXPECT_S
51: ebreak
    CHECK_TRAP 51, s_rec, CAUSE_BREAKPOINT, 51b
    CHECK_RECL 54, s_rec, REC_TVAL, 51b
    S_GO_U
    EXPECT_S
55: ebreak
    CHECK_RECL 55, s_rec, REC_TVAL, 55b
    GO_M
    csrw medeleg, zero

/* ------------------------------------------------------------ 58: atomics */
    la a0, amo_buf
    li a2, 1
    addi a1, a0, 1
    EXPECT_M
58: amoadd.w a4, a2, (a1)
    CHECK_TRAP 58, m_rec, CAUSE_MISALIGNED_STORE, 58b
    CHECK_RECR 61, m_rec, REC_TVAL, a1
    addi a1, a0, 4
    EXPECT_M
62: amoswap.d a4, a2, (a1)
    CHECK_TRAP 62, m_rec, CAUSE_MISALIGNED_STORE, 62b
    CHECK_RECR 65, m_rec, REC_TVAL, a1
    addi a1, a0, 6
    EXPECT_M
66: amomaxu.d a4, a2, (a1)
    CHECK_TRAP 66, m_rec, CAUSE_MISALIGNED_STORE, 66b
    CHECK_RECR 69, m_rec, REC_TVAL, a1
    addi a1, a0, 2
    EXPECT_M
70: sc.w a4, a2, (a1)
    CHECK_TRAP 70, m_rec, CAUSE_MISALIGNED_STORE, 70b
    CHECK_RECR 73, m_rec, REC_TVAL, a1
    li a1, 0
    EXPECT_M
74: amoadd.w a4, a2, (a1)
    CHECK_TRAP 74, m_rec, CAUSE_STORE_ACCESS, 74b
    CHECK_REC 77, m_rec, REC_TVAL, 0

/* ------------------------------------------------------------ 78: mcountinhibit */
    li a0, 4                    /* IR */
    csrw mcountinhibit, a0
    csrr s0, minstret
    SPIN 100
    csrr s1, minstret
    csrr s2, instret
    csrw mcountinhibit, zero
    CHECKR 78, s1, s0
    CHECKR 79, s2, s0
    li a0, 1                    /* CY */
    csrw mcountinhibit, a0
    csrr s0, mcycle
    SPIN 100
    csrr s1, mcycle
    csrr s2, cycle
    csrw mcountinhibit, zero
    CHECKR 80, s1, s0
    CHECKR 81, s2, s0
    csrr s0, minstret
    SPIN 100
    csrr s1, minstret
    li gp, 82
    beq s0, s1, fail_check

/* ------------------------------------------------------------ 83: xRET clears MPRV */
    li a0, MSTATUS_MPRV
    csrs mstatus, a0
    GO_S                        /* mret to S */
    GO_M
    csrr a0, mstatus
    CHECKM 83, a0, MSTATUS_MPRV, 0
    li a0, MSTATUS_MPRV
    csrs mstatus, a0
    GO_U                        /* mret to U */
    GO_M
    csrr a0, mstatus
    CHECKM 84, a0, MSTATUS_MPRV, 0
    li a0, MSTATUS_MPRV | MSTATUS_SPP
    csrs mstatus, a0
    la a0, 1f
    csrw sepc, a0
    sret                        /* sret (in M) to S */
1:  GO_M
    csrr a0, mstatus
    CHECKM 85, a0, MSTATUS_MPRV, 0
    li a0, MSTATUS_MPRV | MSTATUS_MPP_M
    csrs mstatus, a0
    la a0, 2f
    csrw mepc, a0
    mret                        /* mret to M keeps it */
2:  csrr a0, mstatus
    li t4, MSTATUS_MPRV
    csrc mstatus, t4
    CHECKM 86, a0, MSTATUS_MPRV, MSTATUS_MPRV

/* ------------------------------------------------------------ 90: interrupt priority in M */
    csrci mstatus, MSTATUS_MIE
    csrw mideleg, zero
    li a0, MIP_MSIP | MIP_MTIP | MIP_SEIP | MIP_SSIP | MIP_STIP
    csrw mie, a0
    li a0, MIP_SEIP | MIP_SSIP | MIP_STIP
    csrs mip, a0
    li a1, CLINT_MSIP
    li a0, 1
    sw a0, 0(a1)
    li a1, CLINT_MTIMECMP
    sd zero, 0(a1)
    SPIN 1000
    TRAP_RESET m_rec
    ARM m_rec, 5
    csrsi mstatus, MSTATUS_MIE
    nop
    csrci mstatus, MSTATUS_MIE
    CHECK_REC 90, m_rec, REC_COUNT, 5
    CHECK_REC 91, m_rec, REC_LOG + 0, INTR(IRQ_MSI)
    CHECK_REC 92, m_rec, REC_LOG + 8, INTR(IRQ_MTI)
    CHECK_REC 93, m_rec, REC_LOG + 16, INTR(IRQ_SEI)
    CHECK_REC 94, m_rec, REC_LOG + 24, INTR(IRQ_SSI)
    CHECK_REC 95, m_rec, REC_LOG + 32, INTR(IRQ_STI)
    csrw mie, zero
/* ------------------------------------------------------------ 96: priority in S */
    li a0, MIP_SEIP | MIP_SSIP | MIP_STIP
    csrw mideleg, a0
    csrw mie, a0
    csrs mip, a0
    TRAP_RESET s_rec
    ARM s_rec, 3
    li a0, MSTATUS_SIE          /* (earlier srets may have left SIE = 1) */
    csrc mstatus, a0
    GO_S
    csrsi sstatus, MSTATUS_SIE
    nop
    csrci sstatus, MSTATUS_SIE
    CHECK_REC 96, s_rec, REC_COUNT, 3
    CHECK_REC 97, s_rec, REC_LOG + 0, INTR(IRQ_SEI)
    CHECK_REC 98, s_rec, REC_LOG + 8, INTR(IRQ_SSI)
    CHECK_REC 99, s_rec, REC_LOG + 16, INTR(IRQ_STI)
    GO_M
    csrw mip, zero
    csrw mie, zero
    csrw mideleg, zero
/* ------------------------------------------------------------ 100: MPP = U after mret, with MPRV */
    /* As a VA, mprv_a's address maps mprv_b (a U page); with MPP = M it is physical mprv_a. */
    call pt_reset
    la a0, mprv_a
    la a1, mprv_b
    li a2, PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D
    li a3, PAGE_4K
    call pt_map
    call pt_satp
    csrw satp, a0
    sfence.vma
    la s5, mprv_a
    li a0, 0x7171
    sd a0, 0(s5)
    la a0, mprv_b
    li a1, 0x7272
    sd a1, 0(a0)
    li t4, MSTATUS_MPP
    csrs mstatus, t4            /* MPP = M */
    li t4, MSTATUS_MPRV
    csrs mstatus, t4
    ld a0, 0(s5)                /* MPP = M: untranslated */
    la t0, 1f
    csrw mepc, t0
    mret                        /* to M at 1f: MPRV stays, MPP becomes U */
1:  ld a1, 0(s5)                /* MPP = U: translated, to mprv_b */
    csrc mstatus, t4
    CHECK 100, a0, 0x7171
    CHECK 101, a1, 0x7272
    csrw satp, zero
    li t4, MSTATUS_MPP
    csrs mstatus, t4
TEST_END

    .section .bss
    .balign 64
amo_buf:    .skip 64
    .balign 4096
mprv_a:     .skip 4096
mprv_b:     .skip 4096
