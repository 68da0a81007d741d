/*
 * console.c - UART output, the end of a run (the syscon finisher), failure reports and
 * the report for an unexpected trap into M. Formatting is lib/fmt.c's rt_vprintf; this
 * file provides the rt_putc it writes through.
 *
 * Runs in S-mode (devices are identity-mapped by root entry 0) and, for m_trap_report,
 * in M-mode with translation off: both see the same physical addresses.
 */
#include "kernel.h"
#include "rt.h"

#define UART_THR 0
#define UART_LSR 5
#define LSR_THRE 0x20

void rt_putc(int c)
{
	volatile uint8_t *uart = (volatile uint8_t *)UART_BASE;
	while ((uart[UART_LSR] & LSR_THRE) == 0)
		;
	uart[UART_THR] = (uint8_t)c;
}

void kputc(int c)
{
	rt_putc(c);
}

void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	rt_vprintf(fmt, ap);
	va_end(ap);
}

static void __attribute__((noreturn)) finish(uint32_t value)
{
	*(volatile uint32_t *)FINISHER = value;
	for (;;)
		__asm__ volatile("wfi");
}

void kpass(void)
{
	finish(FINISHER_PASS);
}

static const char *const names[CHK_COUNT] = {
	[CHK_MEMSUM] = "memsum",
	[CHK_STACK] = "stack",
	[CHK_REGS] = "regs",
	[CHK_CHURN_ZERO] = "churn-zero",
	[CHK_CHURN_SUM] = "churn-sum",
	[CHK_COW_CHILD_VIEW] = "cow-child-view",
	[CHK_COW_CHILD_ISOLATED] = "cow-child-isolated",
	[CHK_COW_GRAND_VIEW] = "cow-grandchild-view",
	[CHK_COW_GRAND_OWN] = "cow-grandchild-own",
	[CHK_COW_PARENT_ISOLATED] = "cow-parent-isolated",
	[CHK_COW_SUM] = "cow-sum",
	[CHK_WAIT_PID] = "wait-pid",
	[CHK_WAIT_STATUS] = "wait-status",
	[CHK_WAIT_NOCHILD] = "wait-nochild",
	[CHK_ZOMBIE] = "zombie",
	[CHK_FORK] = "fork",
	[CHK_AD_LOAD] = "ad-load",
	[CHK_AD_STORE] = "ad-store",
	[CHK_AD_FORK] = "ad-fork",
	[CHK_AD_REMAP] = "ad-remap",
	[CHK_PTEMOD] = "ptemod",
	[CHK_MMAP] = "mmap",
	[CHK_INIT_STATUS] = "init-status",
	[CHK_FRAMES_LEAKED] = "frames-leaked",
	[CHK_REFCOUNT] = "refcount",
	[CHK_NO_PREEMPTION] = "no-preemption",
	[CHK_REPORT_MISSING] = "report-missing",
	[CHK_REPORT_DUP] = "report-duplicate",
	[CHK_REPORT_BAD_SLOT] = "report-bad-slot",
	[CHK_BAD_SYSCALL] = "bad-syscall",
	[CHK_SEGV] = "segv",
	[CHK_HW_AD] = "hw-ad",
	[CHK_OOM] = "out-of-memory",
	[CHK_DEADLOCK] = "deadlock",
	[CHK_KERNEL] = "kernel-invariant",
	[CHK_KNOBS] = "knobs",
	[CHK_BENCH_PTEMOD] = "bench-ptemod",
	[CHK_BENCH_FORKWAIT] = "bench-forkwait",
	[CHK_BENCH_PGFAULT] = "bench-pgfault",
	[CHK_BENCH_TLBWALK] = "bench-tlbwalk",
	[CHK_BENCH_STREAM] = "bench-stream",
	[CHK_BENCH_BARE] = "bench-bare",
};

const char *check_name(int code)
{
	if (code > 0 && code < CHK_COUNT && names[code])
		return names[code];
	return "?";
}

/* Ends the run with exit status `code`, after a line saying which check failed and why. */
void kfail(int code, const char *fmt, ...)
{
	va_list ap;
	kprintf("minikernel: FAIL check %d (%s): ", code, check_name(code));
	va_start(ap, fmt);
	rt_vprintf(fmt, ap);
	va_end(ap);
	kputc('\n');
	finish(FINISHER_FAIL | ((uint32_t)code << 16));
}

/* The same for failures that are not named checks (unexpected traps). */
void kdie(int code, const char *fmt, ...)
{
	va_list ap;
	kprintf("minikernel: FAIL ");
	va_start(ap, fmt);
	rt_vprintf(fmt, ap);
	va_end(ap);
	kputc('\n');
	finish(FINISHER_FAIL | ((uint32_t)code << 16));
}

/*
 * An unexpected trap into M (boot.S): exit status 0xc0 | cause for an exception,
 * 0xe0 | cause for an interrupt. Runs on the M stack, in M-mode.
 */
void m_trap_report(uint64_t mcause, uint64_t mepc, uint64_t mtval) __attribute__((noreturn));
void m_trap_report(uint64_t mcause, uint64_t mepc, uint64_t mtval)
{
	int intr = (int64_t)mcause < 0;
	kprintf("\nminikernel: FAIL unexpected %s into M: mcause=0x%lx mepc=0x%lx mtval=0x%lx\n",
		intr ? "interrupt" : "exception", (unsigned long)mcause, (unsigned long)mepc,
		(unsigned long)mtval);
	finish(FINISHER_FAIL | ((uint32_t)((intr ? 0xe0 : 0xc0) | (mcause & 0x1f)) << 16));
}
