/*
 * selfcheck.c - workload 0: init forks seven workers that run at the same time (the timer
 * interleaves them), each testing one part of the kernel, and reaps them all.
 *
 *   memsum    demand-zero heap: fill 64 KiB, checksum it (report R_MEMSUM)
 *   regs A/B  two long register-only loops: every register survives preemption, which
 *             must have happened (R_REGS_*)
 *   cow       fork tree parent -> child -> grandchild over shared heap pages: each sees
 *             exactly its own writes and what it inherited (R_COW_P, R_COW_C, R_COW_G)
 *   churn     mmap / touch / munmap, 48 rounds, at addresses that repeat: fresh pages read
 *             zero, page-table pages come and go (R_CHURN)
 *   vm        A/D bits after loads and stores (also in a forked child and through a remap
 *             alias), remap (ptemod), and a deep recursion over demand-paged stack (R_STACK)
 *   forkwait  fork + wait pairs with exit statuses, zombies reaped later, wait without
 *             children
 *
 * Every result goes to the kernel (expect: a value both sides know; report: a value only
 * the kernel computed independently), which fails the run on a mismatch. No result
 * depends on the order in which processes run.
 */
#include "ulib.h"

#define NWORKERS     7
#define WORKER_EXIT  0x10       /* worker i exits with WORKER_EXIT + i */

/* ---------------------------------------------------------------- memsum */

static long w_memsum(void)
{
	volatile uint64_t *m = (volatile uint64_t *)HEAP_BASE;
	for (uint64_t j = 0; j < MEM_WORDS; j++)
		m[j] = pat(T_MEM, j);
	uint64_t h = FOLD_INIT;
	for (uint64_t j = MEM_WORDS; j-- > 0;)
		h = fold(h, m[j]);
	sys_report(R_MEMSUM, h);
	return 0;
}

/* ---------------------------------------------------------------- regs */

/*
 * The loop runs again until a timer interrupt has hit this process at least once (the
 * kernel info page counts them). On rvwasm mtime follows the instruction count and one
 * round takes many interrupts, most of them switching to another process; on QEMU mtime
 * is the host's clock, and a loaded host may deliver no tick for a while. Every round
 * must give the same registers.
 */
static long w_regs(uint64_t seed, long slot)
{
	const volatile uint64_t *hits = &kinfo()->interrupted[sys_getpid() % KINFO_PIDS];
	uint64_t out[32], h = FOLD_INIT;
	long bad = 0, rounds = 0;
	do {
		regs_spin(seed, REGS_ITERS, out);
		h = FOLD_INIT;
		for (uint64_t k = 1; k < 32; k++) {
			if (k == 2)
				continue;
			uint64_t want = k == REGS_COUNTER ? 0 : seed + k + REGS_ITERS * k;
			bad += out[k] != want;
			h = fold(h, out[k]);
		}
	} while (*hits == 0 && ++rounds < REGS_MAX_ROUNDS);
	expect(CHK_REGS, bad, 0);
	expect(CHK_NO_PREEMPTION, *hits != 0, 1);
	sys_report(slot, h);
	return 0;
}

/* ---------------------------------------------------------------- cow */

#define COW ((volatile uint64_t *)(HEAP_BASE + 0x100000))
#define ST_COW_CHILD 0x43
#define ST_COW_GRAND 0x47

/* Writes half 0 (lower) or 1 (upper) of the COW pages with tag's pattern. */
static void cow_write(uint64_t tag, int half)
{
	uint64_t from = half ? COW_WORDS / 2 : 0;
	for (uint64_t w = from; w < from + COW_WORDS / 2; w++)
		COW[w] = pat(tag, w);
}

/* How many words differ from "lower half tag lo, upper half tag hi". */
static long cow_mismatches(uint64_t lo, uint64_t hi)
{
	long bad = 0;
	for (uint64_t w = 0; w < COW_WORDS; w++)
		bad += COW[w] != pat(w < COW_WORDS / 2 ? lo : hi, w);
	return bad;
}

static uint64_t cow_sum(void)
{
	uint64_t h = FOLD_INIT;
	for (uint64_t w = 0; w < COW_WORDS; w++)
		h = fold(h, COW[w]);
	return h;
}

static void expect_child(long pid, long status)
{
	long st, got = sys_wait(&st);
	expect(CHK_WAIT_PID, got, pid);
	expect(CHK_WAIT_STATUS, st, status);
}

static void __attribute__((noreturn)) cow_grandchild(void)
{
	expect(CHK_COW_GRAND_VIEW, cow_mismatches(T_C, T_P0), 0);
	cow_write(T_G, 1);
	expect(CHK_COW_GRAND_OWN, cow_mismatches(T_C, T_G), 0);
	sys_report(R_COW_G, cow_sum());
	sys_exit(ST_COW_GRAND);
}

static void __attribute__((noreturn)) cow_child(void)
{
	expect(CHK_COW_CHILD_VIEW, cow_mismatches(T_P0, T_P0), 0);
	cow_write(T_C, 0);
	long g = sys_fork();
	if (g == 0)
		cow_grandchild();
	expect(CHK_FORK, g > 0, 1);
	expect_child(g, ST_COW_GRAND);
	expect(CHK_COW_CHILD_ISOLATED, cow_mismatches(T_C, T_P0), 0);
	sys_report(R_COW_C, cow_sum());
	sys_exit(ST_COW_CHILD);
}

static long w_cow(void)
{
	cow_write(T_P0, 0);
	cow_write(T_P0, 1);
	long c = sys_fork();
	if (c == 0)
		cow_child();
	expect(CHK_FORK, c > 0, 1);
	cow_write(T_P1, 1);
	expect(CHK_COW_PARENT_ISOLATED, cow_mismatches(T_P0, T_P1), 0);
	expect_child(c, ST_COW_CHILD);
	expect(CHK_COW_PARENT_ISOLATED, cow_mismatches(T_P0, T_P1), 0);
	sys_report(R_COW_P, cow_sum());
	return 0;
}

/* ---------------------------------------------------------------- churn */

/* Round r maps CHURN_PAGES pages here: a different 1 GiB (root entry) each round, and the
   same address again every 12 rounds, where the last mapping's data must be gone. */
static uint64_t churn_base(uint64_t r)
{
	return MMAP_BASE + (r % 4) * (1UL << 30) + (r % 3) * (2UL << 20);
}

static long w_churn(void)
{
	uint64_t h = FOLD_INIT;
	long nonzero = 0;
	for (uint64_t r = 0; r < CHURN_ROUNDS; r++) {
		uint64_t base = churn_base(r), len = CHURN_PAGES * PAGE_SIZE;
		expect(CHK_MMAP, sys_mmap(base, len, 0), (long)base);
		for (uint64_t k = 0; k < CHURN_PAGES; k++) {
			volatile uint64_t *pg = (volatile uint64_t *)(base + k * PAGE_SIZE);
			uint64_t w = (r * 7 + k * 13) % 512;
			nonzero += (pg[w] != 0) + (pg[0] != 0) + (pg[511] != 0);
			pg[w] = pat(T_CHURN, r * CHURN_PAGES + k);
			h = fold(h, pg[w]);
		}
		expect(CHK_MMAP, sys_munmap(base, len), 0);
	}
	expect(CHK_CHURN_ZERO, nonzero, 0);
	sys_report(R_CHURN, h);
	return 0;
}

/* ---------------------------------------------------------------- vm */

#define AD_BASE (MMAP_BASE + 0x12345000UL)
#define AD_A    PTE_A_BIT
#define AD_AD   (PTE_A_BIT | PTE_D_BIT)
#define ST_AD_CHILD 0x41

/* Each level keeps a 4 KiB array live across the deeper calls: about STK_DEPTH stack
   pages, each first touched by a store (a demand-zero fault). */
static uint64_t __attribute__((noinline)) stack_rec(uint64_t d)
{
	volatile uint64_t buf[STK_WORDS];
	for (uint64_t i = 0; i < STK_WORDS; i++)
		buf[i] = pat(T_STK, d * STK_WORDS + i);
	uint64_t h = d + 1 < STK_DEPTH ? stack_rec(d + 1) : FOLD_INIT;
	for (uint64_t i = 0; i < STK_WORDS; i++)
		h = fold(h, buf[i]);
	return h;
}

static long w_vm(void)
{
	uint64_t a = AD_BASE, b = a + PAGE_SIZE, c = a + 2 * PAGE_SIZE;
	volatile uint64_t *pa = (volatile uint64_t *)a, *pb = (volatile uint64_t *)b;
	volatile uint64_t *pc = (volatile uint64_t *)c;
	expect(CHK_MMAP, sys_mmap(a, 4 * PAGE_SIZE, 0), (long)a);

	/* A load through a fresh PTE sets A only; a store sets D. */
	expect(CHK_AD_LOAD, (long)pa[0], 0);
	sys_check_ad(a, AD_A, CHK_AD_LOAD);
	pa[0] = a;
	sys_check_ad(a, AD_AD, CHK_AD_STORE);
	pb[0] = b;
	sys_check_ad(b, AD_AD, CHK_AD_STORE);

	/* The child's PTEs are new (A = D = 0): its load sets A; its store breaks COW. */
	long child = sys_fork();
	if (child == 0) {
		expect(CHK_AD_FORK, (long)pa[0], (long)a);
		sys_check_ad(a, AD_A, CHK_AD_FORK);
		pa[0] = a + 1;
		sys_check_ad(a, AD_AD, CHK_AD_FORK);
		expect(CHK_AD_FORK, (long)pa[0], (long)(a + 1));
		/* A second range in the same leaf table as a's, left mapped: exit must free
		   both ranges' pages before the table they share. */
		uint64_t d = a + 8 * PAGE_SIZE;
		expect(CHK_MMAP, sys_mmap(d, PAGE_SIZE, 0), (long)d);
		*(volatile uint64_t *)d = d;
		sys_exit(ST_AD_CHILD);
	}
	expect(CHK_FORK, child > 0, 1);
	expect_child(child, ST_AD_CHILD);
	expect(CHK_COW_PARENT_ISOLATED, (long)pa[0], (long)a);

	/* ptemod: c becomes an alias of a, then b, then a...; each remap is a new PTE. */
	for (uint64_t i = 0; i < 16; i++) {
		uint64_t src = (i & 1) ? b : a;
		expect(CHK_PTEMOD, sys_remap(c, src), 0);
		expect(CHK_PTEMOD, (long)pc[0], (long)src);
		sys_check_ad(c, AD_A, CHK_AD_REMAP);
	}
	expect(CHK_MMAP, sys_munmap(a, 4 * PAGE_SIZE), 0);

	sys_report(R_STACK, stack_rec(0));
	return 0;
}

/* ---------------------------------------------------------------- forkwait */

static long w_forkwait(void)
{
	long st;
	for (long i = 0; i < 8; i++) {
		long c = sys_fork();
		if (c == 0)
			sys_exit(100 + i);
		expect(CHK_FORK, c > 0, 1);
		expect_child(c, 100 + i);
	}

	/* Three children exit while the parent is busy elsewhere; wait reaps the zombies. */
	long pids[3];
	for (long i = 0; i < 3; i++) {
		pids[i] = sys_fork();
		if (pids[i] == 0)
			sys_exit(200 + i);
		expect(CHK_FORK, pids[i] > 0, 1);
	}
	for (int i = 0; i < 3; i++)
		sys_yield();
	long seen = 0;
	for (int n = 0; n < 3; n++) {
		long got = sys_wait(&st);
		for (int i = 0; i < 3; i++) {
			if (got == pids[i]) {
				expect(CHK_ZOMBIE, st, 200 + i);
				seen |= 1L << i;
			}
		}
	}
	expect(CHK_ZOMBIE, seen, 7);
	expect(CHK_WAIT_NOCHILD, sys_wait(&st), -1);
	return 0;
}

/* ---------------------------------------------------------------- init */

static long run_worker(int i)
{
	if (i == 0)
		return w_memsum();
	if (i == 1)
		return w_regs(REGS_SEED_A, R_REGS_A);
	if (i == 2)
		return w_regs(REGS_SEED_B, R_REGS_B);
	if (i == 3)
		return w_cow();
	if (i == 4)
		return w_churn();
	if (i == 5)
		return w_vm();
	return w_forkwait();
}

long selfcheck_init(void)
{
	long pids[NWORKERS], st;
	for (int i = 0; i < NWORKERS; i++) {
		long c = sys_fork();
		if (c == 0)
			sys_exit(run_worker(i) == 0 ? WORKER_EXIT + i : 1);
		expect(CHK_FORK, c > 0, 1);
		pids[i] = c;
	}
	for (int n = 0; n < NWORKERS; n++) {
		long got = sys_wait(&st);
		int i = 0;
		while (i < NWORKERS && pids[i] != got)
			i++;
		expect(CHK_WAIT_PID, i < NWORKERS, 1);
		expect(CHK_INIT_STATUS, st, WORKER_EXIT + i);
		pids[i] = 0;
	}
	expect(CHK_WAIT_NOCHILD, sys_wait(&st), -1);
	return 0;
}
