/*
 * rvwasm guest runtime: start-up code.
 *
 * Entered in M-mode at 0x8000_0000 with a0 = hart id.  Only hart 0 runs the
 * program; any other hart parks in a wfi loop.  Steps: install a diagnostic
 * trap vector, set gp and sp, clear .bss, call main(0, 0), and hand main's
 * return value to rt_exit (the syscon finisher).
 */
	.section .text.init, "ax", @progbits
	.globl _start
_start:
	/* Park every hart but hart 0. */
	bnez	a0, .Lpark

	/* Direct-mode trap vector (4-byte aligned, low bits 00). */
	la	t0, rt_trap_entry
	csrw	mtvec, t0

	/* gp must not be computed relative to itself. */
	.option push
	.option norelax
	la	gp, __global_pointer$
	.option pop

	la	sp, __stack_top

	/* Zero .bss; the linker script keeps both ends 8-byte aligned. */
	la	t0, __bss_start
	la	t1, __bss_end
	bgeu	t0, t1, 2f
1:	sd	zero, 0(t0)
	addi	t0, t0, 8
	bltu	t0, t1, 1b
2:
	li	a0, 0
	li	a1, 0
	call	main
	call	rt_exit
	/* rt_exit does not return; fall into the park loop just in case. */
.Lpark:
	wfi
	j	.Lpark

/*
 * Diagnostic trap handler: none of our images expects a trap, so any trap is
 * reported on the UART and the run ends with a failure code.
 */
	.text
	.balign	4
	.globl	rt_trap_entry
rt_trap_entry:
	.option push
	.option norelax
	la	gp, __global_pointer$
	.option pop
	la	sp, __stack_top
	csrr	a0, mcause
	csrr	a1, mepc
	csrr	a2, mtval
	call	rt_trap
1:	wfi
	j	1b
