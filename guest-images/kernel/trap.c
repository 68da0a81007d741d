/*
 * trap.c - S-mode trap dispatch (entry.S calls s_trap with the saved trap frame) and the
 * scheduler tick.
 *
 * Expected traps all come from U: the supervisor timer interrupt (forwarded by M, see
 * boot.S), ecall (syscall.c) and page faults (mm.c). Anything else, and any trap at all
 * from S, is reported with scause/sepc/stval and ends the run with exit status
 * 0x80 | cause (exceptions) or 0xa0 | cause (interrupts).
 */
#include "kernel.h"

static uint64_t quantum;

/* The SBI-like call into M (boot.S): mtimecmp = t, clear STIP, enable MTIE. */
static void sbi_set_timer(uint64_t t)
{
	register uint64_t a0 __asm__("a0") = t;
	register uint64_t a7 __asm__("a7") = SBI_SET_TIMER;
	__asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
}

void timer_init(uint64_t ticks)
{
	quantum = ticks;
	csr_set(sie, MIE_STIE);
}

/* The next tick, one quantum from now (rdtime: mcounteren.TM lets S read mtime). */
void timer_arm(void)
{
	sbi_set_timer(csr_read(time) + quantum);
}

static void __attribute__((noreturn)) unexpected(struct proc *p, uint64_t scause,
						 uint64_t sepc, uint64_t stval, int from_s)
{
	int intr = (int64_t)scause < 0;
	kdie((intr ? 0xa0 : 0x80) | (int)(scause & 0x1f),
	     "unexpected %s from %s (pid %d): scause=0x%lx sepc=0x%lx stval=0x%lx",
	     intr ? "interrupt" : "exception", from_s ? "S" : "U", p ? p->pid : 0,
	     (unsigned long)scause, (unsigned long)sepc, (unsigned long)stval);
}

struct trapframe *s_trap(struct trapframe *tf)
{
	uint64_t scause = csr_read(scause);
	uint64_t stval = csr_read(stval);
	struct proc *p = proc_current();

	if ((csr_read(sstatus) & SSTATUS_SPP) || !p || tf != &p->tf)
		unexpected(p, scause, tf->r[TF_PC], stval, 1);

	struct proc *next = p;
	if ((int64_t)scause < 0) {
		if ((scause & 0xff) != IRQ_S_TIMER)
			unexpected(p, scause, tf->r[TF_PC], stval, 0);
		stats.ticks++;
		timer_arm();
		next = sched_preempt(p);
	} else {
		switch (scause) {
		case CAUSE_ECALL_U:
			next = syscall(p);
			break;
		case CAUSE_FETCH_PAGE:
		case CAUSE_LOAD_PAGE:
		case CAUSE_STORE_PAGE:
			mm_fault(p, stval, scause);
			break;
		default:
			unexpected(p, scause, tf->r[TF_PC], stval, 0);
		}
	}
	proc_switch_to(next);
	return &next->tf;
}
