/*
 * runtime.S - start-up code, trap handlers, console and page-table helpers shared by
 * every rvwasm acceptance test. Linked first into each image (see Makefile, link.ld).
 *
 * Start-up (M-mode): park harts other than 0, set sp, mtvec/stvec to the recording
 * handlers, mscratch/sscratch to their save areas, PMP entry 0 to allow everything (needed
 * on real hardware and QEMU before S/U run; rvwasm keeps PMP as storage only), clear
 * satp/medeleg/mideleg/mie/mstatus, zero .bss, stop the timer, then call test_main.
 * When test_main returns (in M-mode) the test passes: "<name>: ok" on the UART and the
 * finisher pass code.
 *
 * Trap handlers (m_trap_entry for M, s_trap_entry for S, plus vectored tables
 * m_vec_table/s_vec_table that note the slot used and fall into the same code):
 *   1. save x1..x31 in the save area (xscratch points at it);
 *   2. an ecall with a7 = SYS_FAIL reports a failed check (gp, t5 = got, t6 = expected);
 *      a7 = SYS_GO_M (M handler) / SYS_GO_S (S handler) returns to the next instruction in
 *      M (resp. S) mode with MIE (resp. SIE) = 0; none of these are recorded;
 *   3. otherwise the trap is recorded in m_rec / s_rec (count, cause, tval, epc, status,
 *      ip, vector slot, a log of the first 16 causes);
 *   4. a trap nobody expected (REC_ARMED == 0 and no REC_RESUME) fails the test, printing
 *      cause, epc and tval; an expected trap uses up one REC_ARMED;
 *   5. REC_HOOK, when set, is called (a0 = cause, a1 = save area, sp = a handler stack);
 *   6. continuation: REC_RESUME (and REC_RESMODE) when set and this trap used up the last
 *      arm (or nothing was armed); else an exception skips the
 *      faulting instruction (2 or 4 bytes, read through the trapped context's translation);
 *      an interrupt without hook has its source cleared (or its enable bit cleared when
 *      the handler cannot clear the source) so the test does not loop.
 */
#include "test.h"

    .option norvc

#define SAVE_VEC (32 * 8)
#define SAVE_SIZE (33 * 8)

    .macro SAVE_REGS
    .irp r, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    sd x\r, (\r * 8)(sp)
    .endr
    .endm

    .macro RESTORE_REGS
    .irp r, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    ld x\r, (\r * 8)(sp)
    .endr
    ld sp, 16(sp)
    .endm

/* ======================================================================== start */
    .section .text.init, "ax", @progbits
    .globl _start
_start:
    csrr t0, mhartid
    bnez t0, park
    la sp, stack_top
    csrw mstatus, zero
    la t0, m_trap_entry
    csrw mtvec, t0
    la t0, m_save
    csrw mscratch, t0
    la t0, s_trap_entry
    csrw stvec, t0
    la t0, s_save
    csrw sscratch, t0
    csrw satp, zero
    csrw medeleg, zero
    csrw mideleg, zero
    csrw mie, zero
    csrw mip, zero
    li t0, -1
    csrw pmpaddr0, t0
    li t0, 0x1f                 /* A=NAPOT, X, W, R */
    csrw pmpcfg0, t0
    /* zero .bss */
    la t0, __bss_start
    la t1, __bss_end
1:  bgeu t0, t1, 2f
    sd zero, 0(t0)
    addi t0, t0, 8
    j 1b
2:
    li t0, -1
    la t1, m_save
    sd t0, SAVE_VEC(t1)
    la t1, s_save
    sd t0, SAVE_VEC(t1)
    TIMER_OFF
    li t0, CLINT_MSIP
    sw zero, 0(t0)
    TRAP_RESET m_rec
    TRAP_RESET s_rec
    li gp, 0
    call test_main
    j report_pass

park:
    wfi
    j park

/* ======================================================================== failure */
    .text
    .balign 4
    .globl fail_check
fail_check:                     /* gp = test number, t5 = got, t6 = expected */
    li a7, SYS_FAIL
    ecall
1:  j 1b

/* ======================================================================== M handler */
    .balign 256
    .globl m_vec_table
m_vec_table:
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    j m_vec_\n
    .endr
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
m_vec_\n:
    csrrw sp, mscratch, sp
    sd t0, 40(sp)
    li t0, \n
    sd t0, SAVE_VEC(sp)
    ld t0, 40(sp)
    csrrw sp, mscratch, sp
    j m_trap_entry
    .endr

    .balign 64
    .globl m_trap_entry
m_trap_entry:
    csrrw sp, mscratch, sp
    SAVE_REGS
    csrr t0, mscratch
    sd t0, 16(sp)
    csrw mscratch, sp
    mv s11, sp
    ld s6, SAVE_VEC(s11)
    li t0, -1
    sd t0, SAVE_VEC(s11)
    csrr s1, mcause
    csrr s2, mtval
    csrr s3, mepc
    csrr s4, mstatus
    csrr s5, mip
    bltz s1, m_record
    li t0, CAUSE_ECALL_U
    beq s1, t0, m_ecall
    li t0, CAUSE_ECALL_S
    beq s1, t0, m_ecall
    li t0, CAUSE_ECALL_M
    bne s1, t0, m_record
m_ecall:
    ld t0, (17 * 8)(s11)        /* a7 */
    li t1, SYS_FAIL
    beq t0, t1, m_sys_fail
    li t1, SYS_GO_M
    bne t0, t1, m_record
    li t0, MSTATUS_MPP
    csrs mstatus, t0
    li t0, MSTATUS_MPIE         /* arrive with MIE = 0 */
    csrc mstatus, t0
    addi s3, s3, 4
    csrw mepc, s3
    j m_return

m_record:
    la s0, m_rec
    ld t0, REC_COUNT(s0)
    li t1, 16
    bgeu t0, t1, 1f
    slli t1, t0, 3
    add t1, t1, s0
    sd s1, REC_LOG(t1)
1:  addi t0, t0, 1
    sd t0, REC_COUNT(s0)
    sd s1, REC_CAUSE(s0)
    sd s2, REC_TVAL(s0)
    sd s3, REC_EPC(s0)
    sd s4, REC_STATUS(s0)
    sd s5, REC_IP(s0)
    sd s6, REC_VEC(s0)
    li s8, 1                    /* s8 = REC_RESUME may be used by this trap */
    ld t0, REC_ARMED(s0)
    beqz t0, 1f
    addi t0, t0, -1
    sd t0, REC_ARMED(s0)
    beqz t0, 2f
    li s8, 0                    /* more traps to come: the resume point is for the last */
    j 2f
1:  ld t0, REC_RESUME(s0)       /* nothing armed: expected only with a resume point */
    beqz t0, m_unexpected
2:  li s7, 0                    /* s7 = a hook ran */
    ld t0, REC_HOOK(s0)
    beqz t0, 3f
    li s7, 1
    mv a0, s1
    mv a1, s11
    jalr t0
3:  beqz s8, 4f
    ld t0, REC_RESUME(s0)
    beqz t0, 4f
    sd zero, REC_RESUME(s0)
    csrw mepc, t0
    ld t1, REC_RESMODE(s0)
    bltz t1, m_return
    li t2, MSTATUS_MPP
    csrc mstatus, t2
    slli t1, t1, 11
    csrs mstatus, t1
    j m_return
4:  bltz s1, m_interrupt
    /* exception: skip the instruction; fetch faults need REC_RESUME */
    li t0, CAUSE_FETCH_ACCESS
    beq s1, t0, m_unexpected
    li t0, CAUSE_FETCH_PAGE
    beq s1, t0, m_unexpected
    li t0, CAUSE_MISALIGNED_FETCH
    beq s1, t0, m_unexpected
    /* read the instruction at mepc as the trapped context sees it */
    srli t0, s4, 11
    andi t0, t0, 3
    li t1, PRV_M
    beq t0, t1, 5f
    csrr t0, satp
    srli t0, t0, 60
    beqz t0, 5f
    li t0, MSTATUS_MPRV | MSTATUS_MXR | MSTATUS_SUM
    csrs mstatus, t0
    lhu t2, 0(s3)
    csrw mstatus, s4
    j 6f
5:  lhu t2, 0(s3)
6:  andi t2, t2, 3
    li t1, 3
    li t0, 4
    beq t2, t1, 7f
    li t0, 2
7:  add s3, s3, t0
    csrw mepc, s3
    j m_return

m_interrupt:
    bnez s7, m_return           /* the hook dealt with the source */
    andi t0, s1, 0x3f
    li t1, IRQ_SSI
    bne t0, t1, 1f
    li t2, MIP_SSIP
    csrc mip, t2
    j m_return
1:  li t1, IRQ_MSI
    bne t0, t1, 1f
    li t2, CLINT_MSIP
    sw zero, 0(t2)
    j m_return
1:  li t1, IRQ_STI
    bne t0, t1, 1f
    li t2, MIP_STIP
    csrc mip, t2
    j m_return
1:  li t1, IRQ_MTI
    bne t0, t1, 1f
    li t2, CLINT_MTIMECMP
    li t3, TIMER_NEVER
    sd t3, 0(t2)
    j m_return
1:  li t1, IRQ_SEI
    bne t0, t1, 1f
    li t2, MIP_SEIP
    csrc mip, t2
    j m_return
1:  li t2, 1                    /* MEI or anything else: mask it */
    sll t2, t2, t0
    csrc mie, t2

m_return:
    mv sp, s11
    RESTORE_REGS
    mret

m_sys_fail:
    li t0, MSTATUS_MPRV
    csrc mstatus, t0
    ld a0, (3 * 8)(s11)         /* gp */
    ld a1, (30 * 8)(s11)        /* t5 */
    ld a2, (31 * 8)(s11)        /* t6 */
    j report_check_fail

m_unexpected:
    li t0, MSTATUS_MPRV
    csrc mstatus, t0
    ld a0, (3 * 8)(s11)         /* gp */
    mv a1, s1
    mv a2, s3
    mv a3, s2
    li a4, 'M'
    j report_trap_fail

/* ======================================================================== S handler */
    .balign 256
    .globl s_vec_table
s_vec_table:
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    j s_vec_\n
    .endr
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
s_vec_\n:
    csrrw sp, sscratch, sp
    sd t0, 40(sp)
    li t0, \n
    sd t0, SAVE_VEC(sp)
    ld t0, 40(sp)
    csrrw sp, sscratch, sp
    j s_trap_entry
    .endr

    .balign 64
    .globl s_trap_entry
s_trap_entry:
    csrrw sp, sscratch, sp
    SAVE_REGS
    csrr t0, sscratch
    sd t0, 16(sp)
    csrw sscratch, sp
    mv s11, sp
    ld s6, SAVE_VEC(s11)
    li t0, -1
    sd t0, SAVE_VEC(s11)
    csrr s1, scause
    csrr s2, stval
    csrr s3, sepc
    csrr s4, sstatus
    csrr s5, sip
    bltz s1, s_record
    li t0, CAUSE_ECALL_U
    beq s1, t0, s_ecall
    li t0, CAUSE_ECALL_S
    bne s1, t0, s_record
s_ecall:
    ld t0, (17 * 8)(s11)
    li t1, SYS_FAIL
    beq t0, t1, s_sys_fail
    li t1, SYS_GO_S
    bne t0, t1, s_record
    li t0, MSTATUS_SPP
    csrs sstatus, t0
    li t0, MSTATUS_SPIE         /* arrive with SIE = 0 */
    csrc sstatus, t0
    addi s3, s3, 4
    csrw sepc, s3
    j s_return

s_record:
    la s0, s_rec
    ld t0, REC_COUNT(s0)
    li t1, 16
    bgeu t0, t1, 1f
    slli t1, t0, 3
    add t1, t1, s0
    sd s1, REC_LOG(t1)
1:  addi t0, t0, 1
    sd t0, REC_COUNT(s0)
    sd s1, REC_CAUSE(s0)
    sd s2, REC_TVAL(s0)
    sd s3, REC_EPC(s0)
    sd s4, REC_STATUS(s0)
    sd s5, REC_IP(s0)
    sd s6, REC_VEC(s0)
    li s8, 1                    /* s8 = REC_RESUME may be used by this trap */
    ld t0, REC_ARMED(s0)
    beqz t0, 1f
    addi t0, t0, -1
    sd t0, REC_ARMED(s0)
    beqz t0, 2f
    li s8, 0                    /* more traps to come: the resume point is for the last */
    j 2f
1:  ld t0, REC_RESUME(s0)       /* nothing armed: expected only with a resume point */
    beqz t0, s_unexpected
2:  li s7, 0
    ld t0, REC_HOOK(s0)
    beqz t0, 3f
    li s7, 1
    mv a0, s1
    mv a1, s11
    jalr t0
3:  beqz s8, 4f
    ld t0, REC_RESUME(s0)
    beqz t0, 4f
    sd zero, REC_RESUME(s0)
    csrw sepc, t0
    ld t1, REC_RESMODE(s0)
    bltz t1, s_return
    li t2, MSTATUS_SPP
    csrc sstatus, t2
    beqz t1, s_return
    csrs sstatus, t2
    j s_return
4:  bltz s1, s_interrupt
    li t0, CAUSE_FETCH_ACCESS
    beq s1, t0, s_unexpected
    li t0, CAUSE_FETCH_PAGE
    beq s1, t0, s_unexpected
    li t0, CAUSE_MISALIGNED_FETCH
    beq s1, t0, s_unexpected
    li t0, MSTATUS_MXR | MSTATUS_SUM
    csrs sstatus, t0
    lhu t2, 0(s3)
    csrw sstatus, s4
    andi t2, t2, 3
    li t1, 3
    li t0, 4
    beq t2, t1, 7f
    li t0, 2
7:  add s3, s3, t0
    csrw sepc, s3
    j s_return

s_interrupt:
    bnez s7, s_return
    andi t0, s1, 0x3f
    li t1, IRQ_SSI
    bne t0, t1, 1f
    li t2, MIP_SSIP
    csrc sip, t2
    j s_return
1:  li t2, 1                    /* STI/SEI cannot be cleared from S: mask them */
    sll t2, t2, t0
    csrc sie, t2

s_return:
    mv sp, s11
    RESTORE_REGS
    sret

s_sys_fail:
    ld a0, (3 * 8)(s11)
    ld a1, (30 * 8)(s11)
    ld a2, (31 * 8)(s11)
    j report_check_fail

s_unexpected:
    ld a0, (3 * 8)(s11)
    mv a1, s1
    mv a2, s3
    mv a3, s2
    li a4, 'S'
    j report_trap_fail

/* ======================================================================== reports */
/* report_check_fail(a0 = test, a1 = got, a2 = expected) */
report_check_fail:
    mv s0, a0
    mv s1, a1
    mv s2, a2
    la sp, fail_stack_top
    la a0, test_name
    call puts
    la a0, str_fail
    call puts
    mv a0, s0
    call putdec
    la a0, str_got
    call puts
    mv a0, s1
    call puthex
    la a0, str_exp
    call puts
    mv a0, s2
    call puthex
    la a0, str_close
    call puts
    mv a0, s0
    j report_fail

/* report_trap_fail(a0 = test, a1 = cause, a2 = epc, a3 = tval, a4 = 'M'/'S') */
report_trap_fail:
    mv s0, a0
    mv s1, a1
    mv s2, a2
    mv s3, a3
    mv s4, a4
    la sp, fail_stack_top
    la a0, test_name
    call puts
    la a0, str_fail
    call puts
    mv a0, s0
    call putdec
    la a0, str_unexp
    call puts
    mv a0, s4
    call putchar
    la a0, str_cause
    call puts
    mv a0, s1
    call puthex
    la a0, str_epc
    call puts
    mv a0, s2
    call puthex
    la a0, str_tval
    call puts
    mv a0, s3
    call puthex
    la a0, str_nl
    call puts
    mv a0, s0
    j report_fail

/* report_pass / report_fail(a0 = code): weak, htif.S provides its own */
    .weak report_pass
report_pass:
    la a0, test_name
    call puts
    la a0, str_ok
    call puts
    li t0, FINISHER_BASE
    li t1, FINISHER_PASS
    sw t1, 0(t0)
1:  wfi
    j 1b

    .weak report_fail
report_fail:
    li t1, 0xffff
    and a0, a0, t1
    bnez a0, 1f
    li a0, 255                  /* never exit 0 on failure */
1:  slli a0, a0, 16
    li t1, FINISHER_FAIL
    or a0, a0, t1
    li t0, FINISHER_BASE
    sw a0, 0(t0)
2:  wfi
    j 2b

/* ======================================================================== console */
    .globl putchar
putchar:                        /* a0 = character; uses t0, t1 */
    li t0, UART_BASE
1:  lbu t1, UART_LSR(t0)
    andi t1, t1, 0x20
    beqz t1, 1b
    sb a0, UART_THR(t0)
    ret

    .globl puts
puts:                           /* a0 = NUL-terminated string; uses t0-t2, a0 */
    addi sp, sp, -16
    sd ra, 8(sp)
    sd s0, 0(sp)
    mv s0, a0
1:  lbu a0, 0(s0)
    beqz a0, 2f
    call putchar
    addi s0, s0, 1
    j 1b
2:  ld s0, 0(sp)
    ld ra, 8(sp)
    addi sp, sp, 16
    ret

    .globl puthex
puthex:                         /* a0 = value, printed as 0x + 16 hex digits */
    addi sp, sp, -32
    sd ra, 24(sp)
    sd s0, 16(sp)
    sd s1, 8(sp)
    mv s0, a0
    li a0, '0'
    call putchar
    li a0, 'x'
    call putchar
    li s1, 60
1:  srl a0, s0, s1
    andi a0, a0, 15
    li t2, 10
    blt a0, t2, 2f
    addi a0, a0, 'a' - 10
    j 3f
2:  addi a0, a0, '0'
3:  call putchar
    addi s1, s1, -4
    bgez s1, 1b
    ld s1, 8(sp)
    ld s0, 16(sp)
    ld ra, 24(sp)
    addi sp, sp, 32
    ret

    .globl putdec
putdec:                         /* a0 = value < 100000, decimal, without M instructions */
    addi sp, sp, -48
    sd ra, 40(sp)
    sd s0, 32(sp)
    sd s1, 24(sp)
    sd s2, 16(sp)
    mv s0, a0
    la s1, pow10
    li s2, 0                    /* a digit was printed */
1:  ld t2, 0(s1)
    beqz t2, 4f
    li a0, 0
2:  bltu s0, t2, 3f
    sub s0, s0, t2
    addi a0, a0, 1
    j 2b
3:  addi s1, s1, 8
    or t0, a0, s2
    li t1, 1
    beq t2, t1, 5f              /* always print the last digit */
    beqz t0, 1b
5:  li s2, 1
    addi a0, a0, '0'
    call putchar
    j 1b
4:  ld s2, 16(sp)
    ld s1, 24(sp)
    ld s0, 32(sp)
    ld ra, 40(sp)
    addi sp, sp, 48
    ret

/* ======================================================================== paging */
/* pt_reset(): empty root table and pool */
    .globl pt_reset
pt_reset:
    la t0, pt_root
    la t1, pt_pool_end
1:  sd zero, 0(t0)
    addi t0, t0, 8
    bltu t0, t1, 1b
    la t0, pt_pool
    la t1, pt_next
    sd t0, 0(t1)
    ret

/* pt_map(a0 = va, a1 = pa, a2 = PTE flags, a3 = level 0/1/2): writes the leaf PTE,
   allocating intermediate tables; returns a0 = address of the leaf PTE. Uses t0-t6. */
    .globl pt_map
pt_map:
    la t0, pt_root
    li t1, 2
1:  slli t2, t1, 3
    add t2, t2, t1
    addi t2, t2, 12             /* shift = 12 + 9 * level */
    srl t3, a0, t2
    andi t3, t3, 0x1ff
    slli t3, t3, 3
    add t3, t3, t0              /* PTE address at this level */
    beq t1, a3, 3f
    ld t4, 0(t3)
    andi t5, t4, PTE_V
    bnez t5, 2f
    la t5, pt_next
    ld t4, 0(t5)
    li t6, 4096
    add t6, t6, t4
    sd t6, 0(t5)
    srli t4, t4, 12
    slli t4, t4, 10
    ori t4, t4, PTE_V
    sd t4, 0(t3)
2:  srli t4, t4, 10
    slli t0, t4, 12
    addi t1, t1, -1
    j 1b
3:  srli t4, a1, 12
    slli t4, t4, 10
    or t4, t4, a2
    sd t4, 0(t3)
    mv a0, t3
    ret

/* pt_map_kernel(): identity 1 GiB pages for DRAM (RWX, not U) and for the devices in
   0..1 GiB (RW, not U), both with A and D set, so the handlers and the console keep
   working under translation. */
    .globl pt_map_kernel
pt_map_kernel:
    addi sp, sp, -16
    sd ra, 8(sp)
    li a0, DRAM_BASE
    li a1, DRAM_BASE
    li a2, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D
    li a3, PAGE_1G
    call pt_map
    li a0, 0
    li a1, 0
    li a2, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
    li a3, PAGE_1G
    call pt_map
    ld ra, 8(sp)
    addi sp, sp, 16
    ret

/* pt_satp(): a0 = Sv39 satp value for pt_root (ASID 0) */
    .globl pt_satp
pt_satp:
    la a0, pt_root
    srli a0, a0, 12
    li t0, SATP_MODE_SV39
    or a0, a0, t0
    ret

/* ======================================================================== data */
    .section .rodata
str_ok:     .asciz ": ok\n"
str_fail:   .asciz ": FAIL test "
str_got:    .asciz " (got "
str_exp:    .asciz ", expected "
str_close:  .asciz ")\n"
str_unexp:  .asciz ": unexpected trap in "
str_cause:  .asciz " cause="
str_epc:    .asciz " epc="
str_tval:   .asciz " tval="
str_nl:     .asciz "\n"
    .balign 8
pow10:      .dword 10000, 1000, 100, 10, 1, 0

    .section .bss
    .balign 4096
    .globl pt_root
pt_root:    .skip 4096
    .globl pt_pool
pt_pool:    .skip 4096 * 16
pt_pool_end:
    .balign 8
pt_next:    .skip 8

    .balign 16
    .globl m_rec, s_rec
m_rec:      .skip REC_SIZE
s_rec:      .skip REC_SIZE
    .balign 16
            .skip 2048          /* M handler stack (hooks) */
m_save:     .skip SAVE_SIZE
    .balign 16
            .skip 2048          /* S handler stack (hooks) */
s_save:     .skip SAVE_SIZE
    .balign 16
            .skip 2048
fail_stack_top:
    .balign 16
    .globl stack_bottom, stack_top
stack_bottom:
            .skip 16384
stack_top:
