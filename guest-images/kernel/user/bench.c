/*
 * bench.c - workloads 1..6: one process sets up, runs one loop of bench_loops.S for
 * kernel_iterations operations, checks the result and exits. The host times runs with N
 * and 2N iterations, so everything outside the loop cancels out.
 */
#include "ulib.h"

/* 1: ptemod. Two source pages hold their own addresses; a third page is remapped onto
   them in turn. */
long bench_ptemod(uint64_t n)
{
	uint64_t a = MMAP_BASE, b = a + PAGE_SIZE, window = a + 2 * PAGE_SIZE;
	expect(CHK_BENCH_PTEMOD, sys_mmap(a, 3 * PAGE_SIZE, 0), (long)a);
	*(volatile uint64_t *)a = a;
	*(volatile uint64_t *)b = b;
	expect(CHK_BENCH_PTEMOD, bench_ptemod_loop(window, a, b, n), 0);
	expect(CHK_BENCH_PTEMOD, sys_munmap(a, 3 * PAGE_SIZE), 0);
	return 0;
}

#define FW_HEAP  (256 * 1024)
#define FW_STACK (32 * 1024)

/* Touches FW_STACK bytes of stack, one store per page (the pages stay mapped). */
static uint64_t __attribute__((noinline)) touch_stack(void)
{
	volatile uint64_t buf[FW_STACK / 8];
	for (uint64_t i = 0; i < FW_STACK / 8; i += PAGE_SIZE / 8)
		buf[i] = i;
	return buf[0];
}

/* 2: fork + wait, from a process with about 300 KiB mapped (code, 256 KiB heap, 32 KiB
   stack), so every fork shares ~75 pages copy-on-write and every exit frees the
   child's page tables. */
long bench_forkwait(uint64_t n)
{
	volatile uint64_t *heap = (volatile uint64_t *)HEAP_BASE;
	for (uint64_t i = 0; i < FW_HEAP / 8; i += PAGE_SIZE / 8)
		heap[i] = i;
	expect(CHK_BENCH_FORKWAIT, (long)touch_stack(), 0);
	expect(CHK_BENCH_FORKWAIT, bench_forkwait_loop(n), 0);
	return 0;
}

#define PF_WINDOW 64    /* pages per mmap'ed window */

/* 3: one demand-zero fault per iteration, into a window of PF_WINDOW fresh pages that is
   unmapped (frames and page tables freed) and mapped again when used up. */
long bench_pgfault(uint64_t n)
{
	uint64_t len = PF_WINDOW * PAGE_SIZE;
	for (uint64_t done = 0; done < n;) {
		uint64_t k = n - done < PF_WINDOW ? n - done : PF_WINDOW;
		expect(CHK_BENCH_PGFAULT, sys_mmap(MMAP_BASE, len, 0), (long)MMAP_BASE);
		expect(CHK_BENCH_PGFAULT, bench_touch_loop(MMAP_BASE, k), 0);
		expect(CHK_BENCH_PGFAULT, sys_munmap(MMAP_BASE, len), 0);
		done += k;
	}
	return 0;
}

#define WALK_PAGES 4096 /* 16 MiB */

/* 4: random loads over 16 MiB of 4 KiB pages, mapped up front (MAP_POPULATE), each
   page's first word its index. */
long bench_tlbwalk(uint64_t n)
{
	uint64_t len = WALK_PAGES * PAGE_SIZE;
	expect(CHK_BENCH_TLBWALK, sys_mmap(MMAP_BASE, len, MAP_POPULATE), (long)MMAP_BASE);
	for (uint64_t i = 0; i < WALK_PAGES; i++)
		*(volatile uint64_t *)(MMAP_BASE + i * PAGE_SIZE) = i;
	expect(CHK_BENCH_TLBWALK, bench_random_walk(MMAP_BASE, n, 12345) == -1, 0);
	expect(CHK_BENCH_TLBWALK, sys_munmap(MMAP_BASE, len), 0);
	return 0;
}

#define STREAM_WORDS 2048       /* 16 KiB: word k holds k */

/* The sum of n loads cycling over words 0..STREAM_WORDS-1. */
static uint64_t stream_sum(uint64_t n)
{
	uint64_t q = n / STREAM_WORDS, r = n % STREAM_WORDS;
	return q * (STREAM_WORDS * (STREAM_WORDS - 1) / 2) + r * (r - 1) / 2;
}

/* 5: loads cycling over 16 KiB of heap, in U-mode with paging on (TLB hits). */
long bench_stream(uint64_t n)
{
	volatile uint64_t *buf = (volatile uint64_t *)HEAP_BASE;
	for (uint64_t k = 0; k < STREAM_WORDS; k++)
		buf[k] = k;
	uint64_t sum = bench_load_stream(HEAP_BASE, n, STREAM_WORDS * 8 - 8);
	expect(CHK_BENCH_STREAM, (long)sum, (long)stream_sum(n));
	return 0;
}

/* 6: the same loop over the kernel's 16 KiB buffer, in S-mode with paging off. */
long bench_bare(uint64_t n)
{
	expect(CHK_BENCH_BARE, (long)sys_bare_stream(n), (long)stream_sum(n));
	return 0;
}
