/*
 * ustart.S - where the first user process starts (pc = user_start's user VA, a0 =
 * kernel_workload, a1 = kernel_iterations, sp = STACK_TOP). user_main's return value
 * becomes the exit status.
 */
#include "../uapi.h"

	.text
	.globl	user_start
user_start:
	call	user_main
	li	a7, SYS_EXIT
	ecall
1:	j	1b			/* exit does not return */
