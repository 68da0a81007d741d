/*
 * bench_loops.S - the loops whose per-iteration cost the benchmarks measure, plus the
 * register test of the self-check. Plain register code: every loop reaches memory only
 * through its arguments, so it runs unchanged in U-mode at the user image's VA and, for
 * bench_load_stream, in S-mode with paging off at its physical address.
 */
#include "../uapi.h"

	.text

/*
 * uint64_t bench_load_stream(uint64_t base, uint64_t n, uint64_t mask)
 * Workloads 5 and 6: n loads cycling over [base, base + mask + 8), returns their sum.
 * Per iteration: add, ld, add, addi, and, addi, bnez.
 */
	.globl	bench_load_stream
bench_load_stream:
	li	a3, 0			/* sum */
	li	a4, 0			/* offset */
	beqz	a1, 2f
1:	add	t0, a0, a4
	ld	t1, 0(t0)
	add	a3, a3, t1
	addi	a4, a4, 8
	and	a4, a4, a2
	addi	a1, a1, -1
	bnez	a1, 1b
2:	mv	a0, a3
	ret

/*
 * long bench_ptemod_loop(uint64_t window, uint64_t src_a, uint64_t src_b, uint64_t n)
 * Workload 1: n times, SYS_REMAP(window, src) (one PTE store and sfence.vma window in the
 * kernel), then a load through window, which must see src's first word: the address of
 * src itself. src alternates between src_a and src_b. Returns 0, or 1 on a mismatch.
 */
	.globl	bench_ptemod_loop
bench_ptemod_loop:
	mv	t3, a0			/* window */
	mv	t4, a1			/* this iteration's src */
	mv	t5, a2			/* the next one's */
	mv	t6, a3			/* count */
1:	mv	a0, t3
	mv	a1, t4
	li	a7, SYS_REMAP
	ecall
	bnez	a0, 9f
	ld	t0, 0(t3)
	bne	t0, t4, 9f
	mv	t0, t4
	mv	t4, t5
	mv	t5, t0
	addi	t6, t6, -1
	bnez	t6, 1b
	li	a0, 0
	ret
9:	li	a0, 1
	ret

/*
 * long bench_forkwait_loop(uint64_t n)
 * Workload 2: n times, fork; the child exits at once with status (count & 0xff); the
 * parent waits and checks the pid and the status. Returns 0, or 1 on a mismatch.
 */
	.globl	bench_forkwait_loop
bench_forkwait_loop:
	mv	t6, a0
1:	li	a7, SYS_FORK
	ecall
	beqz	a0, 5f
	bltz	a0, 9f
	mv	t3, a0			/* the child's pid */
	li	a7, SYS_WAIT
	ecall
	bne	a0, t3, 9f
	andi	t0, t6, 0xff
	bne	a1, t0, 9f
	addi	t6, t6, -1
	bnez	t6, 1b
	li	a0, 0
	ret
5:	andi	a0, t6, 0xff		/* the child */
	li	a7, SYS_EXIT
	ecall
9:	li	a0, 1
	ret

/*
 * long bench_touch_loop(uint64_t base, uint64_t n)
 * Workload 3: stores i to the first word of page i (n >= 1 pages from base, none mapped
 * yet: one demand-zero page fault each) and loads it back. Returns 0, or 1 on a mismatch.
 */
	.globl	bench_touch_loop
bench_touch_loop:
	li	t0, 0
	li	t2, 4096
1:	sd	t0, 0(a0)
	ld	t1, 0(a0)
	bne	t1, t0, 9f
	add	a0, a0, t2
	addi	t0, t0, 1
	bne	t0, a1, 1b
	li	a0, 0
	ret
9:	li	a0, 1
	ret

/*
 * long bench_random_walk(uint64_t base, uint64_t n, uint64_t seed)
 * Workload 4: n loads from the first word of page (x >> 52) of a 4096-page (16 MiB)
 * region, x stepping through a 64-bit LCG (Knuth's MMIX constants). Each page's first
 * word holds its index, which is checked. Returns the sum, or -1 on a mismatch.
 */
	.globl	bench_random_walk
bench_random_walk:
	li	t3, 6364136223846793005
	li	t4, 1442695040888963407
	li	a3, 0
	beqz	a1, 2f
1:	mul	a2, a2, t3
	add	a2, a2, t4
	srli	t0, a2, 52
	slli	t1, t0, 12
	add	t1, t1, a0
	ld	t1, 0(t1)
	bne	t1, t0, 9f
	add	a3, a3, t1
	addi	a1, a1, -1
	bnez	a1, 1b
2:	mv	a0, a3
	ret
9:	li	a0, -1
	ret

/*
 * void regs_spin(uint64_t seed, uint64_t n, uint64_t out[32])
 * Self-check: sets every register but sp to seed + k (k = its number), then n times adds
 * k to register k (x11 = a1 counts down instead), and stores register k to out[k]. A loop
 * of 31 instructions that uses every register, run long enough to be preempted many
 * times: a context switch that loses any register shows in the results.
 */
#define RS_SAVE 128			/* ra, gp, tp, s0-s11, out */
	.globl	regs_spin
regs_spin:
	addi	sp, sp, -RS_SAVE
	sd	ra, 0(sp)
	sd	gp, 8(sp)
	sd	tp, 16(sp)
	sd	s0, 24(sp)
	sd	s1, 32(sp)
	sd	s2, 40(sp)
	sd	s3, 48(sp)
	sd	s4, 56(sp)
	sd	s5, 64(sp)
	sd	s6, 72(sp)
	sd	s7, 80(sp)
	sd	s8, 88(sp)
	sd	s9, 96(sp)
	sd	s10, 104(sp)
	sd	s11, 112(sp)
	sd	a2, 120(sp)

	.irp	n, 1,3,4,5,6,7,8,9,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	addi	x\n, a0, \n
	.endr
	addi	a0, a0, 10		/* x10 last: it held the seed */
1:
	.irp	n, 1,3,4,5,6,7,8,9,10,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	addi	x\n, x\n, \n
	.endr
	addi	a1, a1, -1
	bnez	a1, 1b

	addi	sp, sp, -256		/* every register to a scratch area, then to out[] */
	.irp	n, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	sd	x\n, (\n * 8)(sp)
	.endr
	ld	t0, (256 + 120)(sp)
	.irp	n, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ld	t1, (\n * 8)(sp)
	sd	t1, (\n * 8)(t0)
	.endr
	addi	sp, sp, 256

	ld	ra, 0(sp)
	ld	gp, 8(sp)
	ld	tp, 16(sp)
	ld	s0, 24(sp)
	ld	s1, 32(sp)
	ld	s2, 40(sp)
	ld	s3, 48(sp)
	ld	s4, 56(sp)
	ld	s5, 64(sp)
	ld	s6, 72(sp)
	ld	s7, 80(sp)
	ld	s8, 88(sp)
	ld	s9, 96(sp)
	ld	s10, 104(sp)
	ld	s11, 112(sp)
	addi	sp, sp, RS_SAVE
	ret
