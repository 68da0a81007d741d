/*
 * bench.h - shared skeleton of the sensitive-instruction micro-benchmarks (a port of
 * Adams & Agesen, ASPLOS 2006; see README.md). Included from each <name>.S (run through
 * the C preprocessor). Plain assembly, no runtime; linked at 0x80000000.
 *
 * Every program has the same shape:
 *
 *     #include "bench.h"
 *     BENCH_START                  # _start, M-mode: PMP open, traps to M fail, ...
 *         ... M-mode set-up (medeleg, page tables) ...
 *     ENTER PRV_S                  # mret to the next instruction in S (or U)
 *     BENCH_LOOP                   # s0 = bench_iterations; 1:
 *         <operation>              #   the thing measured (one or a few instructions)
 *     BENCH_LOOP_END               #   addi s0, s0, -1; bnez s0, 1b
 *         ... cheap checks on the result (BENCH_FAIL n on a mismatch) ...
 *     BENCH_PASS                   # finisher 0x5555 from the current mode
 *     BENCH_S_HANDLER              # optional: the S trap handler (sepc += 4; sret)
 *     BENCH_DATA                   # bench_iterations (and the page-aligned data area)
 *
 * The loop is always `1: <operation>; addi s0, s0, -1; bnez s0, 1b`, in 32-bit encodings
 * (.option norvc), so programs differ only in <operation>. s0 is the loop counter; s1..s11
 * and a0..a7 are free for the operation's operands and results (set up before BENCH_LOOP,
 * which clobbers t0: values that live across the loop go in a or s registers); t6 belongs
 * to the S handler.
 *
 * Ending: BENCH_PASS stores 0x5555 to the syscon finisher (0x100000) from whatever mode
 * the loop ran in (PMP is open and the devices are identity-mapped under paging), so
 * rvwasm and QEMU power off with exit status 0. BENCH_FAIL n stores 0x3333 | n << 16
 * (exit status n, 1..63). Any trap into M is unexpected: the M handler fails with exit
 * status 64 + mcause for an exception, 128 + cause for an interrupt.
 *
 * The harness (bench/sensitive.ts) overwrites the 8-byte word bench_iterations after
 * loading the ELF; 0 runs the loop not at all.
 */
#ifndef RVWASM_BENCH_H
#define RVWASM_BENCH_H

#define FINISHER        0x00100000
#define FINISHER_PASS   0x5555
#define FINISHER_FAIL   0x3333
#define UART_BASE       0x10000000
#define UART_LSR        5
#define LSR_THRE        0x20

#define PRV_U 0
#define PRV_S 1
#define PRV_M 3

#define MSTATUS_SIE     (1 << 1)
#define MSTATUS_MPP     (3 << 11)

#define CAUSE_ILLEGAL   2
#define CAUSE_ECALL_U   8
#define CAUSE_ECALL_S   9
#define CAUSE_LOAD_PAGE 13

#define SATP_SV39       (8 << 60)
#define PTE_V (1 << 0)
#define PTE_R (1 << 1)
#define PTE_W (1 << 2)
#define PTE_X (1 << 3)
#define PTE_A (1 << 6)
#define PTE_D (1 << 7)
#define PTE_RWAD  (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
#define PTE_RWXAD (PTE_RWAD | PTE_X)

/* The virtual page the paging benchmarks play with: root[1] -> l1 -> l0[0]. */
#define TEST_VA         0x40000000

#define DEFAULT_ITERATIONS 100000

#ifdef __ASSEMBLER__

    .option norvc

/* ---------------------------------------------------------------- start (M-mode) */
.macro BENCH_START
    .text
    .globl _start
_start:
    csrr t0, mhartid
    bnez t0, .Lpark
    csrw mstatus, zero
    csrw mie, zero
    csrw mideleg, zero
    csrw medeleg, zero
    csrw satp, zero
    la t0, m_trap
    csrw mtvec, t0
    la t0, s_trap
    csrw stvec, t0
    /* PMP entry 0: NAPOT over the whole address space, RWX, so S and U reach RAM and
       the devices (QEMU enforces PMP; without an entry S/U may touch nothing). */
    li t0, -1
    csrw pmpaddr0, t0
    li t0, 0x1f                 /* A = NAPOT, X, W, R */
    csrw pmpcfg0, t0
    /* S and U may read cycle, time, instret (mcounteren.CY/TM/IR). */
    li t0, 7
    csrw mcounteren, t0
    la sp, bench_stack_top
    j .Lstart_done

.Lpark:
    wfi
    j .Lpark

/* Any trap into M is a failure: exit status 64 + mcause (128 + cause for interrupts). */
    .balign 4
m_trap:
    csrr t0, mcause
    andi t1, t0, 63
    addi t1, t1, 64
    bgez t0, 1f
    addi t1, t1, 64
1:  slli t1, t1, 16
    li t2, FINISHER_FAIL
    or t1, t1, t2
    li t0, FINISHER
    sw t1, 0(t0)
2:  j 2b

.Lstart_done:
.endm

/* From M: continue at the next instruction in privilege \mode (PRV_S or PRV_U). */
.macro ENTER mode
    li t0, MSTATUS_MPP
    csrc mstatus, t0
    li t0, (\mode << 11)
    csrs mstatus, t0
    la t0, .Lenter\@
    csrw mepc, t0
    mret
.Lenter\@:
.endm

/* ---------------------------------------------------------------- the loop */
.macro BENCH_LOOP
    la t0, bench_iterations
    ld s0, 0(t0)
    beqz s0, .Lloop_done
    .balign 16
1:
.endm

.macro BENCH_LOOP_END
    addi s0, s0, -1
    bnez s0, 1b
.Lloop_done:
.endm

/* ---------------------------------------------------------------- ending */
.macro BENCH_PASS
    li t0, FINISHER
    li t1, FINISHER_PASS
    sw t1, 0(t0)
.Lpass_spin\@:
    j .Lpass_spin\@
.endm

/* exit status \code (1..63) */
.macro BENCH_FAIL code
    li t0, FINISHER
    li t1, FINISHER_FAIL | (\code << 16)
    sw t1, 0(t0)
.Lfail_spin\@:
    j .Lfail_spin\@
.endm

/* ---------------------------------------------------------------- S handler */
/* The whole S-mode trap handler of the trapping benchmarks: skip the 4-byte instruction
   that trapped and return to its mode (SPP). Clobbers t6 only. Programs without one
   get a stvec that fails (BENCH_NO_S_HANDLER). */
.macro BENCH_S_HANDLER
    .balign 4
s_trap:
    csrr t6, sepc
    addi t6, t6, 4
    csrw sepc, t6
    sret
.endm

.macro BENCH_NO_S_HANDLER
    .balign 4
s_trap:
    BENCH_FAIL 63
.endm

/* ---------------------------------------------------------------- paging */
/* From M: Sv39 with identity gigapages for the devices (0..1 GiB, RW) and RAM
   (2..3 GiB, RWX), and root[1] -> pt_l1, pt_l1[0] -> pt_l0: TEST_VA is mapped by
   pt_l0[0], which the program writes (0 = unmapped). Enables translation for S and U
   (satp), flushes the TLB. Clobbers t0..t2. The tables live in .data (BENCH_DATA), so
   every reload of the ELF resets them. */
.macro SV39_ON
    la t0, pt_root
    li t1, (0x00000000 >> 12 << 10) | PTE_RWAD
    sd t1, 0(t0)
    la t2, pt_l1
    srli t2, t2, 12
    slli t2, t2, 10
    ori t2, t2, PTE_V
    sd t2, 8(t0)
    li t1, (0x80000000 >> 12 << 10) | PTE_RWXAD
    sd t1, 16(t0)
    la t0, pt_l1
    la t2, pt_l0
    srli t2, t2, 12
    slli t2, t2, 10
    ori t2, t2, PTE_V
    sd t2, 0(t0)
    la t0, pt_root
    srli t0, t0, 12
    li t1, SATP_SV39
    or t0, t0, t1
    csrw satp, t0
    sfence.vma
.endm

/* \reg = the leaf PTE mapping the 4 KiB page at symbol \sym, RW, A and D set. */
.macro LEAF_PTE reg, sym
    la \reg, \sym
    srli \reg, \reg, 12
    slli \reg, \reg, 10
    ori \reg, \reg, PTE_RWAD
.endm

/* ---------------------------------------------------------------- data */
/* bench_iterations, a stack, and three page tables, all in page-aligned data away from
   the code (stores there never touch a page holding code). A program's own data (ptemod's
   two frames) follows in .data after it. */
.macro BENCH_DATA
    .data
    .balign 4096
    .globl bench_iterations
bench_iterations:
    .dword DEFAULT_ITERATIONS
    .balign 4096
bench_stack:
    .zero 4096
bench_stack_top:
    .balign 4096
pt_root:
    .zero 4096
pt_l1:
    .zero 4096
pt_l0:
    .zero 4096
.endm

#endif /* __ASSEMBLER__ */
#endif /* RVWASM_BENCH_H */
