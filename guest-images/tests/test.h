/*
 * test.h - shared definitions and macros for the rvwasm bare-metal acceptance tests.
 *
 * Include from a .S file (it is run through the C preprocessor). Every test file:
 *
 *     #include "test.h"
 *     TEST_BEGIN rv64m          # defines test_name and test_main
 *         ... checks ...
 *     TEST_END                  # returns to the runtime, which prints "rv64m: ok" and passes
 *
 * Register conventions (see runtime.S):
 *   gp (x3)  number of the current check; it becomes the failure exit code
 *   t5, t6   scratch of the CHECK macros (got / expected); do not keep values there
 *   sp       a stack in DRAM, valid in every mode while paging is off or identity-mapped
 * Everything else is free for the test.
 *
 * Written for rvwasm from the RISC-V unprivileged spec 20191213 and privileged spec 20211203.
 */
#ifndef RVWASM_TEST_H
#define RVWASM_TEST_H

/* ---------------------------------------------------------------- machine */
#define UART_BASE       0x10000000
#define UART_THR        0
#define UART_IER        1
#define UART_IIR        2
#define UART_LSR        5
#define FINISHER_BASE   0x00100000
#define FINISHER_PASS   0x5555
#define FINISHER_FAIL   0x3333
#define CLINT_BASE      0x02000000
#define CLINT_MSIP      0x02000000
#define CLINT_MTIMECMP  0x02004000
#define CLINT_MTIME     0x0200bff8
#define PLIC_BASE       0x0c000000
#define DRAM_BASE       0x80000000
/* mtimecmp value meaning "never" (228 years at 10 MHz). Not all ones: QEMU 7.2's ACLINT
   overflows converting that to nanoseconds and then misses later, nearer deadlines. */
#define TIMER_NEVER     0x00ffffffffffffff

/* ---------------------------------------------------------------- privilege */
#define PRV_U 0
#define PRV_S 1
#define PRV_M 3

/* ---------------------------------------------------------------- mstatus */
#define MSTATUS_SIE   (1 << 1)
#define MSTATUS_MIE   (1 << 3)
#define MSTATUS_SPIE  (1 << 5)
#define MSTATUS_UBE   (1 << 6)
#define MSTATUS_MPIE  (1 << 7)
#define MSTATUS_SPP   (1 << 8)
#define MSTATUS_MPP   (3 << 11)
#define MSTATUS_MPP_S (1 << 11)
#define MSTATUS_MPP_M (3 << 11)
#define MSTATUS_FS    (3 << 13)
#define MSTATUS_MPRV  (1 << 17)
#define MSTATUS_SUM   (1 << 18)
#define MSTATUS_MXR   (1 << 19)
#define MSTATUS_TVM   (1 << 20)
#define MSTATUS_TW    (1 << 21)
#define MSTATUS_TSR   (1 << 22)
#define MSTATUS_UXL   (3 << 32)
#define MSTATUS_SXL   (3 << 34)

/* ---------------------------------------------------------------- interrupts */
#define IRQ_SSI 1
#define IRQ_MSI 3
#define IRQ_STI 5
#define IRQ_MTI 7
#define IRQ_SEI 9
#define IRQ_MEI 11
#define MIP_SSIP (1 << IRQ_SSI)
#define MIP_MSIP (1 << IRQ_MSI)
#define MIP_STIP (1 << IRQ_STI)
#define MIP_MTIP (1 << IRQ_MTI)
#define MIP_SEIP (1 << IRQ_SEI)
#define MIP_MEIP (1 << IRQ_MEI)
#define CAUSE_INTR (1 << 63)

/* ---------------------------------------------------------------- exceptions */
#define CAUSE_MISALIGNED_FETCH 0
#define CAUSE_FETCH_ACCESS     1
#define CAUSE_ILLEGAL          2
#define CAUSE_BREAKPOINT       3
#define CAUSE_MISALIGNED_LOAD  4
#define CAUSE_LOAD_ACCESS      5
#define CAUSE_MISALIGNED_STORE 6
#define CAUSE_STORE_ACCESS     7
#define CAUSE_ECALL_U          8
#define CAUSE_ECALL_S          9
#define CAUSE_ECALL_M          11
#define CAUSE_FETCH_PAGE       12
#define CAUSE_LOAD_PAGE        13
#define CAUSE_STORE_PAGE       15

/* ---------------------------------------------------------------- paging */
#define SATP_MODE_SV39 (8 << 60)
#define SATP_MODE_SV48 (9 << 60)
#define SATP_MODE_SV57 (10 << 60)
#define SATP_MODE_SV64 (11 << 60)
#define PTE_V (1 << 0)
#define PTE_R (1 << 1)
#define PTE_W (1 << 2)
#define PTE_X (1 << 3)
#define PTE_U (1 << 4)
#define PTE_G (1 << 5)
#define PTE_A (1 << 6)
#define PTE_D (1 << 7)
#define PAGE_4K 0
#define PAGE_2M 1
#define PAGE_1G 2

/* ---------------------------------------------------------------- runtime ABI */
/* magic values in a7 for ecall (handled before any recording) */
#define SYS_FAIL  0x4641494c      /* fail with gp as the test number */
#define SYS_GO_M  0x474f4d4d      /* M handler: return to the next instruction in M-mode */
#define SYS_GO_S  0x474f5353      /* S handler: return to the next instruction in S-mode */

/* layout of m_rec / s_rec, the trap records kept by the M and S handlers */
#define REC_COUNT   0     /* traps taken since the last TRAP_RESET */
#define REC_CAUSE   8     /* xcause of the last trap */
#define REC_TVAL    16    /* xtval */
#define REC_EPC     24    /* xepc */
#define REC_STATUS  32    /* mstatus/sstatus as read on entry (before any change) */
#define REC_VEC     40    /* vector slot the trap came through (-1 = direct mode entry) */
#define REC_ARMED   48    /* how many further traps are expected */
#define REC_RESUME  56    /* when non-zero: the trap that uses up the last arm (or any trap
                             when nothing is armed) continues there (cleared on use) */
#define REC_RESMODE 64    /* privilege for REC_RESUME (-1: keep xPP) */
#define REC_HOOK    72    /* when non-zero: called (jalr) before returning; see runtime.S */
#define REC_IP      80    /* mip/sip as read on entry */
#define REC_LOG     88    /* causes of the first 16 traps since TRAP_RESET */
#define REC_SIZE    (REC_LOG + 16 * 8)

#define SENTINEL 0x5a5a5a5a5a5a5a5a

/* ================================================================ macros */
#ifdef __ASSEMBLER__

/* Test skeleton. */
.macro TEST_BEGIN name
    .section .rodata
    .globl test_name
test_name:
    .asciz "\name"
    .text
    .option norvc
    .balign 4
    .globl test_main
test_main:
    addi sp, sp, -16
    sd ra, 8(sp)
.endm

.macro TEST_END
    ld ra, 8(sp)
    addi sp, sp, 16
    ret
.endm

/* Load the 64-bit value stored at symbol \sym into \reg. */
.macro LDV reg, sym
    la \reg, \sym
    ld \reg, 0(\reg)
.endm

/* Store register \reg to the 64-bit variable at \sym (uses t6). */
.macro STV reg, sym
    la t6, \sym
    sd \reg, 0(t6)
.endm

/* Store the immediate \imm to the 64-bit variable at \sym (uses t5, t6). */
.macro STVI sym, imm
    li t5, \imm
    la t6, \sym
    sd t5, 0(t6)
.endm

/* ---- checks: on mismatch, fail with test number \num (t5 = got, t6 = expected) */
.macro CHECK num, reg, imm
    li gp, \num
    mv t5, \reg
    li t6, \imm
    bne t5, t6, fail_check
.endm

.macro CHECKR num, reg, expreg
    li gp, \num
    mv t5, \reg
    mv t6, \expreg
    bne t5, t6, fail_check
.endm

.macro CHECKL num, reg, label
    li gp, \num
    mv t5, \reg
    la t6, \label
    bne t5, t6, fail_check
.endm

/* 64-bit variable at \sym == \imm / == address of \label / == \reg */
.macro CHECKV num, sym, imm
    li gp, \num
    LDV t5, \sym
    li t6, \imm
    bne t5, t6, fail_check
.endm

.macro CHECKVL num, sym, label
    li gp, \num
    LDV t5, \sym
    la t6, \label
    bne t5, t6, fail_check
.endm

.macro CHECKVR num, sym, reg
    li gp, \num
    LDV t5, \sym
    mv t6, \reg
    bne t5, t6, fail_check
.endm

/* (\reg & \mask) == \imm */
.macro CHECKM num, reg, mask, imm
    li gp, \num
    li t6, \mask
    and t5, \reg, t6
    li t6, \imm
    bne t5, t6, fail_check
.endm

/* unconditional failure */
.macro FAIL num
    li gp, \num
    li t5, 0
    li t6, 0
    j fail_check
.endm

/* ---- trap records. \rec is m_rec or s_rec. */
.macro TRAP_RESET rec
    la t6, \rec
    sd zero, REC_COUNT(t6)
    sd zero, REC_ARMED(t6)
    sd zero, REC_RESUME(t6)
    sd zero, REC_HOOK(t6)
    li t5, -1
    sd t5, REC_RESMODE(t6)
    sd t5, REC_VEC(t6)
    li t5, SENTINEL
    sd t5, REC_CAUSE(t6)
    sd t5, REC_TVAL(t6)
    sd t5, REC_EPC(t6)
.endm

/* allow \n more traps into the handler of \rec */
.macro ARM rec, n
    la t6, \rec
    li t5, \n
    sd t5, REC_ARMED(t6)
.endm

/* expect exactly one trap handled by M (resp. S); the handler skips the instruction */
.macro EXPECT_M
    TRAP_RESET m_rec
    ARM m_rec, 1
.endm
.macro EXPECT_S
    TRAP_RESET s_rec
    ARM s_rec, 1
.endm
/* expect a trap in either handler, and make sure the other handler gets none */
.macro EXPECT_BOTH_RESET
    TRAP_RESET m_rec
    TRAP_RESET s_rec
.endm

/* after the trap, continue at \label in privilege \mode (-1: the trapped xPP) */
.macro RESUME_AT rec, label, mode
    la t6, \rec
    la t5, \label
    sd t5, REC_RESUME(t6)
    li t5, \mode
    sd t5, REC_RESMODE(t6)
.endm

/* register a hook called by the handler before it returns */
.macro SET_HOOK rec, label
    la t6, \rec
    la t5, \label
    sd t5, REC_HOOK(t6)
.endm

/* rec.field == imm */
.macro CHECK_REC num, rec, field, imm
    li gp, \num
    la t6, \rec
    ld t5, \field(t6)
    li t6, \imm
    bne t5, t6, fail_check
.endm
.macro CHECK_RECL num, rec, field, label
    li gp, \num
    la t6, \rec
    ld t5, \field(t6)
    la t6, \label
    bne t5, t6, fail_check
.endm
.macro CHECK_RECR num, rec, field, reg
    li gp, \num
    la t6, \rec
    ld t5, \field(t6)
    mv t6, \reg
    bne t5, t6, fail_check
.endm

/* one trap was taken, with cause \cause at instruction \label (uses numbers num, num+1, num+2) */
.macro CHECK_TRAP num, rec, cause, label
    CHECK_REC (\num), \rec, REC_COUNT, 1
    CHECK_REC (\num+1), \rec, REC_CAUSE, \cause
    CHECK_RECL (\num+2), \rec, REC_EPC, \label
.endm

/* no trap was taken by the handler of \rec */
.macro CHECK_NOTRAP num, rec
    CHECK_REC \num, \rec, REC_COUNT, 0
.endm

/* ---- privilege changes */
/* From M: continue at the next instruction in S-mode (resp. U-mode). MIE becomes MPIE. */
.macro GO_S
    li t6, MSTATUS_MPP
    csrc mstatus, t6
    li t6, MSTATUS_MPP_S
    csrs mstatus, t6
    la t6, .Lgo_s\@
    csrw mepc, t6
    mret
.Lgo_s\@:
.endm

.macro GO_U
    li t6, MSTATUS_MPP
    csrc mstatus, t6
    la t6, .Lgo_u\@
    csrw mepc, t6
    mret
.Lgo_u\@:
.endm

/* From S (or U, or M): back to M-mode at the next instruction, with mstatus.MIE = 0 (ecall,
   handled by the M handler without recording). Needs the ecall not delegated and pc
   identity-mapped. */
.macro GO_M
    li a7, SYS_GO_M
    ecall
    li a7, 0
.endm

/* From S: continue at the next instruction in U-mode. */
.macro S_GO_U
    li t6, MSTATUS_SPP
    csrc sstatus, t6
    la t6, .Ls_go_u\@
    csrw sepc, t6
    sret
.Ls_go_u\@:
.endm

/* From U: back to S at the next instruction, with SIE = 0 (needs ecall from U delegated). */
.macro U_GO_S
    li a7, SYS_GO_S
    ecall
    li a7, 0
.endm

/* ---- devices */
.macro PUTC ch
    li a0, \ch
    call putchar
.endm

/* stop the CLINT timer */
.macro TIMER_OFF
    li t6, CLINT_MTIMECMP
    li t5, TIMER_NEVER
    sd t5, 0(t6)
.endm

/* mtimecmp = mtime + \delta */
.macro TIMER_IN delta
    li t6, CLINT_MTIME
    ld t5, 0(t6)
    li t6, \delta
    add t5, t5, t6
    li t6, CLINT_MTIMECMP
    sd t5, 0(t6)
.endm

#endif /* __ASSEMBLER__ */
#endif /* RVWASM_TEST_H */
