/*
 * checks.c - the kernel's side of the self-check: the results it expects from the user
 * programs (computed here from the test parameters in uapi.h, without running the
 * programs' code paths), the assertions user programs send (SYS_EXPECT), and the final
 * accounting and summary when the last process is gone.
 */
#include "kernel.h"

static const char *const workload_names[] = {
	"self-check", "ptemod", "forkwait", "pgfault", "tlb-random-walk", "load-stream",
	"load-stream-bare",
};

static uint64_t workload, iterations;
static uint64_t free_at_start;
static uint64_t expected[R_COUNT];
static unsigned reported[R_COUNT];

/* The check that fails when a report slot's value is wrong. */
static const uint8_t slot_check[R_COUNT] = {
	[R_MEMSUM] = CHK_MEMSUM, [R_STACK] = CHK_STACK, [R_REGS_A] = CHK_REGS,
	[R_REGS_B] = CHK_REGS, [R_CHURN] = CHK_CHURN_SUM, [R_COW_P] = CHK_COW_SUM,
	[R_COW_C] = CHK_COW_SUM, [R_COW_G] = CHK_COW_SUM,
};

/* ---------------------------------------------------------------- expected results */

/* memsum: the heap words pat(T_MEM, j), folded from the last to the first. */
static uint64_t expect_memsum(void)
{
	uint64_t h = FOLD_INIT;
	for (uint64_t j = MEM_WORDS; j-- > 0;)
		h = fold(h, pat(T_MEM, j));
	return h;
}

/* stack: each recursion level d holds pat(T_STK, d * STK_WORDS + i); the deepest level
   is folded first. */
static uint64_t expect_stack(void)
{
	uint64_t h = FOLD_INIT;
	for (uint64_t d = STK_DEPTH; d-- > 0;)
		for (uint64_t i = 0; i < STK_WORDS; i++)
			h = fold(h, pat(T_STK, d * STK_WORDS + i));
	return h;
}

/* regs: x_k = seed + k + REGS_ITERS * k for k = 1, 3..31, but the counter (x11) is 0. */
static uint64_t expect_regs(uint64_t seed)
{
	uint64_t h = FOLD_INIT;
	for (uint64_t k = 1; k < 32; k++) {
		if (k == 2)
			continue;
		h = fold(h, k == REGS_COUNTER ? 0 : seed + k + REGS_ITERS * k);
	}
	return h;
}

/* churn: the one word written per page, round by round. */
static uint64_t expect_churn(void)
{
	uint64_t h = FOLD_INIT;
	for (uint64_t r = 0; r < CHURN_ROUNDS; r++)
		for (uint64_t k = 0; k < CHURN_PAGES; k++)
			h = fold(h, pat(T_CHURN, r * CHURN_PAGES + k));
	return h;
}

/* cow: the COW pages as one process sees them at the end: the lower half written with
   tag lo, the upper half with tag hi. */
static uint64_t expect_cow(uint64_t lo, uint64_t hi)
{
	uint64_t h = FOLD_INIT;
	for (uint64_t w = 0; w < COW_WORDS; w++)
		h = fold(h, pat(w < COW_WORDS / 2 ? lo : hi, w));
	return h;
}

void checks_init(uint64_t wl, uint64_t iters)
{
	static const uint64_t p[2] = COW_TAGS_P, c[2] = COW_TAGS_C, g[2] = COW_TAGS_G;
	workload = wl;
	iterations = iters;
	free_at_start = frames_free();
	if (workload != 0)
		return;
	expected[R_MEMSUM] = expect_memsum();
	expected[R_STACK] = expect_stack();
	expected[R_REGS_A] = expect_regs(REGS_SEED_A);
	expected[R_REGS_B] = expect_regs(REGS_SEED_B);
	expected[R_CHURN] = expect_churn();
	expected[R_COW_P] = expect_cow(p[0], p[1]);
	expected[R_COW_C] = expect_cow(c[0], c[1]);
	expected[R_COW_G] = expect_cow(g[0], g[1]);
}

const char *workload_name(uint64_t wl)
{
	return wl < sizeof workload_names / sizeof workload_names[0] ? workload_names[wl] : "?";
}

/* ---------------------------------------------------------------- system calls */

void check_expect(struct proc *p, uint64_t code, uint64_t got, uint64_t want)
{
	stats.expects++;
	if (code == 0 || code >= CHK_COUNT)
		kfail(CHK_BAD_SYSCALL, "pid %d: expect with check code %lu", p->pid,
		      (unsigned long)code);
	if (got != want)
		kfail((int)code, "pid %d: got 0x%lx, want 0x%lx", p->pid, (unsigned long)got,
		      (unsigned long)want);
}

void check_report(struct proc *p, uint64_t slot, uint64_t value)
{
	stats.reports++;
	if (slot >= R_COUNT || workload != 0)
		kfail(CHK_REPORT_BAD_SLOT, "pid %d: report slot %lu", p->pid, (unsigned long)slot);
	if (reported[slot]++)
		kfail(CHK_REPORT_DUP, "pid %d: report slot %lu filled twice", p->pid,
		      (unsigned long)slot);
	if (value != expected[slot])
		kfail(slot_check[slot], "pid %d: report slot %lu is 0x%lx, want 0x%lx", p->pid,
		      (unsigned long)slot, (unsigned long)value, (unsigned long)expected[slot]);
}

/* ---------------------------------------------------------------- the end */

static void summary(void)
{
	kprintf("minikernel: %lu processes (%lu forks), %lu reaped by wait, %lu system calls\n",
		(unsigned long)stats.procs, (unsigned long)stats.forks,
		(unsigned long)stats.reaped, (unsigned long)stats.syscalls);
	kprintf("minikernel: page faults: %lu demand-zero, %lu image, %lu copy-on-write; "
		"%lu mmap, %lu munmap, %lu remap\n",
		(unsigned long)stats.demand_faults, (unsigned long)stats.image_faults,
		(unsigned long)stats.cow_faults, (unsigned long)stats.mmaps,
		(unsigned long)stats.munmaps, (unsigned long)stats.remaps);
	kprintf("minikernel: page-table pages: %lu allocated, %lu freed; checks: %lu expect, "
		"%lu report, %lu A/D\n",
		(unsigned long)stats.pt_alloc, (unsigned long)stats.pt_freed,
		(unsigned long)stats.expects, (unsigned long)stats.reports,
		(unsigned long)stats.ad_checks);
	if (kernel_verbose)
		kprintf("minikernel: [timing-dependent] %lu timer ticks, %lu preemptions, "
			"%lu switches, %lu COW copies, %lu COW reuses, peak %lu frames, "
			"%lu sfence.vma by address, %lu full\n",
			(unsigned long)stats.ticks, (unsigned long)stats.preemptions,
			(unsigned long)stats.switches, (unsigned long)stats.cow_copies,
			(unsigned long)stats.cow_reuses, (unsigned long)stats.frames_peak,
			(unsigned long)stats.fence_va, (unsigned long)stats.fence_all);
}

/* The last process is gone: everything must be back, every result in. */
void checks_finish(void)
{
	proc_kernel_space();
	uint64_t free_now = frames_free(), held = frames_referenced();
	if (free_now != free_at_start)
		kfail(CHK_FRAMES_LEAKED, "%lu frames free at the end, %lu at the start",
		      (unsigned long)free_now, (unsigned long)free_at_start);
	if (held != 0)
		kfail(CHK_REFCOUNT, "%lu frames still referenced", (unsigned long)held);
	if (workload == 0) {
		for (int s = 0; s < R_COUNT; s++)
			if (!reported[s])
				kfail(CHK_REPORT_MISSING, "report slot %d never filled", s);
	}
	summary();
	if (workload == 0)
		kprintf("minikernel: self-check ok, %lu of %lu frames free again\n",
			(unsigned long)free_now, (unsigned long)frames_total());
	else
		kprintf("minikernel: workload %lu (%s), %lu iterations ok\n",
			(unsigned long)workload, workload_name(workload),
			(unsigned long)iterations);
	kpass();
}
