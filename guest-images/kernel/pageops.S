/*
 * pageops.S - whole-page zero and copy, unrolled to 64 bytes per iteration: these run
 * for every demand fault and every COW copy, so their cost shows in the fault benchmarks.
 */
	.text
	.balign	4
	.globl	page_zero		/* page_zero(void *page) */
page_zero:
	li	t0, 4096
	add	t0, a0, t0
1:	sd	zero, 0(a0)
	sd	zero, 8(a0)
	sd	zero, 16(a0)
	sd	zero, 24(a0)
	sd	zero, 32(a0)
	sd	zero, 40(a0)
	sd	zero, 48(a0)
	sd	zero, 56(a0)
	addi	a0, a0, 64
	bne	a0, t0, 1b
	ret

	.globl	page_copy		/* page_copy(void *dst, const void *src) */
page_copy:
	li	t0, 4096
	add	t0, a1, t0
1:	ld	t1, 0(a1)
	ld	t2, 8(a1)
	ld	t3, 16(a1)
	ld	t4, 24(a1)
	ld	t5, 32(a1)
	ld	t6, 40(a1)
	ld	a2, 48(a1)
	ld	a3, 56(a1)
	sd	t1, 0(a0)
	sd	t2, 8(a0)
	sd	t3, 16(a0)
	sd	t4, 24(a0)
	sd	t5, 32(a0)
	sd	t6, 40(a0)
	sd	a2, 48(a0)
	sd	a3, 56(a0)
	addi	a1, a1, 64
	addi	a0, a0, 64
	bne	a1, t0, 1b
	ret
