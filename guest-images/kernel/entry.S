/*
 * entry.S - S-mode trap entry and the return to user mode.
 *
 * The kernel runs with sstatus.SIE = 0 and never traps itself, so every trap comes from a
 * user process (a trap from S is a kernel bug, reported by s_trap). sscratch always holds
 * the current process's trap frame (struct trapframe: r[0] = pc, r[1..31] = x1..x31), so
 * the entry can save all 31 registers before touching any of them. There is a single
 * kernel stack: a trap always starts on an empty one, and the kernel never blocks inside
 * a call (a blocked wait is just a process that is not runnable), so nothing is on the
 * stack when another process is resumed.
 *
 * s_trap returns the trap frame to resume (the same process or another one; it has
 * already switched satp), and user_return restores it and srets to U.
 */
#include "riscv.h"

#define REG(n) ((n) * 8)

	.text
	.balign	4
	.globl	s_trap_entry
s_trap_entry:
	csrrw	t6, sscratch, t6	/* t6 = trap frame, sscratch = user t6 */
	.irp	n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	sd	x\n, REG(\n)(t6)
	.endr
	csrr	t0, sscratch
	sd	t0, REG(31)(t6)
	csrw	sscratch, t6
	csrr	t0, sepc
	sd	t0, REG(0)(t6)
	la	sp, kstack_top
	mv	a0, t6
	call	s_trap			/* trap.c: returns the trap frame to resume in a0 */

	.globl	user_return
user_return:
	csrw	sscratch, a0
	ld	t0, REG(0)(a0)
	csrw	sepc, t0
	li	t0, SSTATUS_SPP		/* sret to U */
	csrc	sstatus, t0
	mv	t6, a0
	.irp	n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	ld	x\n, REG(\n)(t6)
	.endr
	ld	t6, REG(31)(t6)
	sret
