/*
 * main.c - kmain, where boot.S enters S-mode: read the knobs, turn paging on with the
 * kernel-only table, set up the frame pool, start the first user process.
 */
#include "kernel.h"

#define POOL_TOP (RAM_BASE + (24UL << 20))     /* the kernel never touches RAM above 24 MiB */
#define SELFCHECK_QUANTUM 2000                  /* 200 us of mtime (20 000 instructions on rvwasm) */
#define BENCH_QUANTUM     1000000               /* 100 ms: benchmarks are rarely interrupted */

struct kstats stats;

extern char __kernel_end[];                     /* link.ld: end of the image and its stacks */
extern char user_start[];                       /* user/ustart.S */
void s_trap_entry(void);                        /* entry.S */
const char *workload_name(uint64_t wl);

/* Where sscratch points before the first process runs (a trap then is a kernel bug, and
   the entry code needs somewhere to save registers to report it). */
static struct trapframe boot_tf;

void kmain(void) __attribute__((noreturn));
void kmain(void)
{
	csr_write(stvec, (uint64_t)s_trap_entry);
	csr_write(sscratch, (uint64_t)&boot_tf);

	uint64_t workload = kernel_workload, iterations = kernel_iterations;
	uint64_t quantum = kernel_quantum;
	if (workload > 6 || (workload != 0 && iterations == 0))
		kfail(CHK_KNOBS, "kernel_workload %lu, kernel_iterations %lu",
		      (unsigned long)workload, (unsigned long)iterations);
	if (quantum == 0)
		quantum = workload == 0 ? SELFCHECK_QUANTUM : BENCH_QUANTUM;

	vm_init();
	proc_kernel_space();
	uint64_t pool = ((uint64_t)__kernel_end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	frames_init(pool, POOL_TOP);
	checks_init(workload, iterations);

	if (workload == 0)
		kprintf("minikernel: self-check, %lu free frames\n", (unsigned long)frames_free());
	else
		kprintf("minikernel: workload %lu (%s), %lu iterations\n", (unsigned long)workload,
			workload_name(workload), (unsigned long)iterations);

	struct proc *init = proc_create_init((uint64_t)user_start - IMAGE_OFFSET, workload,
					     iterations);
	proc_switch_to(init);
	timer_init(quantum);
	timer_arm();
	user_return(&init->tf);
}
