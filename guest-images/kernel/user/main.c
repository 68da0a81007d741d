/*
 * main.c - the first user process: runs the self-check (workload 0) or one benchmark.
 * A switch without a jump table: a table would hold absolute (physical) addresses, which
 * are wrong at the user image's virtual addresses.
 */
#include "ulib.h"

long user_main(long workload, long iterations);
long user_main(long workload, long iterations)
{
	uint64_t n = (uint64_t)iterations;
	if (workload == 0)
		return selfcheck_init();
	if (workload == 1)
		return bench_ptemod(n);
	if (workload == 2)
		return bench_forkwait(n);
	if (workload == 3)
		return bench_pgfault(n);
	if (workload == 4)
		return bench_tlbwalk(n);
	if (workload == 5)
		return bench_stream(n);
	if (workload == 6)
		return bench_bare(n);
	return 1;
}
