/*
 * syscall.c - the system call table (numbers and arguments in uapi.h), and the S-mode,
 * paging-off run of the load-stream benchmark (workload 6).
 */
#include "kernel.h"

/* user/bench_loops.S; the kernel calls it at its physical address (identity-mapped). */
uint64_t bench_load_stream(uint64_t base, uint64_t n, uint64_t mask);

#define BARE_WORDS 2048                 /* 16 KiB, as workload 5's user buffer */
static uint64_t bare_buf[BARE_WORDS] __attribute__((aligned(4096)));

/* Workload 6: the same loop as workload 5, in S-mode with satp = 0. Timer interrupts
   wait until the return to U (the kernel runs with SIE = 0). */
static uint64_t bare_stream(uint64_t n)
{
	for (uint64_t i = 0; i < BARE_WORDS; i++)
		bare_buf[i] = i;
	uint64_t satp = csr_read(satp);
	csr_write(satp, 0);
	sfence_vma_all();
	uint64_t sum = bench_load_stream((uint64_t)bare_buf, n, sizeof bare_buf - 8);
	csr_write(satp, satp);
	sfence_vma_all();
	stats.fence_all += 2;
	return sum;
}

static int valid_code(uint64_t code)
{
	return code > 0 && code < CHK_COUNT;
}

/* Returns the process to resume (another one when p exits or blocks in wait). */
struct proc *syscall(struct proc *p)
{
	struct trapframe *tf = &p->tf;
	uint64_t a0 = tf->r[TF_A0], a1 = tf->r[TF_A1], a2 = tf->r[TF_A2];
	uint64_t *ret = &tf->r[TF_A0];

	tf->r[TF_PC] += 4;              /* past the ecall, also for a forked child */
	stats.syscalls++;
	switch (tf->r[TF_A7]) {
	case SYS_EXIT:
		return proc_exit(p, (int64_t)a0);
	case SYS_FORK:
		*ret = (uint64_t)proc_fork(p);
		return p;
	case SYS_WAIT:
		return proc_wait(p);
	case SYS_GETPID:
		*ret = (uint64_t)p->pid;
		return p;
	case SYS_YIELD:
		return sched_yield(p);
	case SYS_MMAP:
		*ret = (uint64_t)mm_mmap(p, a0, a1, a2);
		return p;
	case SYS_MUNMAP:
		*ret = (uint64_t)mm_munmap(p, a0, a1);
		return p;
	case SYS_REMAP:
		*ret = (uint64_t)mm_remap(p, a0, a1);
		return p;
	case SYS_CHECK_AD:
		mm_check_ad(p, a0, a1, valid_code(a2) ? (int)a2 : CHK_BAD_SYSCALL);
		return p;
	case SYS_EXPECT:
		check_expect(p, a0, a1, a2);
		return p;
	case SYS_REPORT:
		check_report(p, a0, a1);
		return p;
	case SYS_BARE_STREAM:
		*ret = bare_stream(a0);
		return p;
	default:
		kfail(CHK_BAD_SYSCALL, "pid %d: system call %lu", p->pid,
		      (unsigned long)tf->r[TF_A7]);
	}
}
