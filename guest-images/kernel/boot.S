/*
 * boot.S - the M-mode part: reset entry, machine set-up, and the M trap handler.
 *
 * M-mode does as little as a firmware does: it opens PMP, delegates every user-raisable
 * exception and the supervisor timer interrupt to S, and enters the kernel (kmain) in
 * S-mode with mret. Afterwards M is only entered for two things:
 *
 *   - the machine timer interrupt (mtime >= mtimecmp): M cannot delegate MTIP and S has no
 *     stimecmp (no Sstc), so M forwards it: it sets mip.STIP (S sees a supervisor timer
 *     interrupt) and clears mie.MTIE (MTIP stays pending until mtimecmp is rewritten);
 *   - ecall from S with a7 = SBI_SET_TIMER (an SBI-like set_timer): writes a0 to mtimecmp,
 *     clears mip.STIP and sets mie.MTIE again.
 *
 * Anything else that reaches M is a bug: m_trap_report prints mcause/mepc/mtval and fails.
 */
#include "riscv.h"

	.section .text.boot, "ax", @progbits
	.globl	_start
_start:
	csrr	t0, mhartid
	bnez	t0, .Lpark		/* one hart runs the kernel; others sleep */

	/* A trap vector and stack first, so a trap during set-up is reported. */
	la	sp, m_stack_top
	la	t0, m_trap_entry
	csrw	mtvec, t0
	la	t0, m_scratch
	csrw	mscratch, t0
	csrw	mie, zero
	csrw	mstatus, zero
	csrw	satp, zero

	/* .bss (including all stacks and page tables) is not in the ELF's file image: clear
	   it, as a reloaded image may run over the previous run's memory. */
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:
	/* PMP entry 0: NAPOT over the whole address space, RWX. Without any PMP entry,
	   S and U may access nothing (QEMU enforces this). */
	li	t0, -1
	csrw	pmpaddr0, t0
	li	t0, 0x1f		/* A = NAPOT, X, W, R */
	csrw	pmpcfg0, t0

	li	t0, 7			/* S may read cycle, time, instret */
	csrw	mcounteren, t0
	csrw	scounteren, zero
	li	t0, MEDELEG_BITS
	csrw	medeleg, t0
	li	t0, MIP_STIP		/* the forwarded timer interrupt is S's */
	csrw	mideleg, t0

	/* No timer interrupt until S asks for one. */
	li	t0, CLINT_MTIMECMP
	li	t1, -1
	sd	t1, 0(t0)

	/* Enter kmain in S-mode on the kernel stack (M's own interrupts stay enabled in
	   any lower mode whatever mstatus.MIE says). */
	li	t0, MSTATUS_MPP_S
	csrs	mstatus, t0
	la	t0, kmain
	csrw	mepc, t0
	la	sp, kstack_top
	mret

.Lpark:
	wfi
	j	.Lpark

/* ------------------------------------------------------------------ M trap handler */
/* Uses only t0, t1 (saved in m_scratch) and t6 (swapped with mscratch). */
	.balign	4
m_trap_entry:
	csrrw	t6, mscratch, t6
	sd	t0, 0(t6)
	sd	t1, 8(t6)
	csrr	t0, mcause
	bltz	t0, .Lm_interrupt

	li	t1, CAUSE_ECALL_S
	bne	t0, t1, .Lm_unexpected
	bnez	a7, .Lm_unexpected	/* SBI_SET_TIMER is the only call */
	li	t1, CLINT_MTIMECMP
	sd	a0, 0(t1)
	li	t1, MIP_STIP
	csrc	mip, t1
	li	t1, MIE_MTIE
	csrs	mie, t1
	csrr	t1, mepc
	addi	t1, t1, 4		/* past the ecall */
	csrw	mepc, t1
	li	a0, 0
	j	.Lm_return

.Lm_interrupt:
	slli	t0, t0, 1		/* drop the interrupt bit */
	srli	t0, t0, 1
	li	t1, IRQ_M_TIMER
	bne	t0, t1, .Lm_unexpected
	li	t1, MIE_MTIE
	csrc	mie, t1
	li	t1, MIP_STIP
	csrs	mip, t1

.Lm_return:
	ld	t0, 0(t6)
	ld	t1, 8(t6)
	csrrw	t6, mscratch, t6
	mret

.Lm_unexpected:
	la	sp, m_stack_top
	csrr	a0, mcause
	csrr	a1, mepc
	csrr	a2, mtval
	call	m_trap_report		/* console.c; does not return */
1:	j	1b

/* ------------------------------------------------------------------ stacks */
	.section .bss.stacks, "aw", @nobits
	.balign	4096
m_stack:
	.zero	4096
m_stack_top:
	.globl	kstack_top
kstack:
	.zero	16384
kstack_top:
m_scratch:
	.zero	16
