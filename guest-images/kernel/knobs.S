/*
 * knobs.S - the words a host may patch after loading the ELF and before running it
 * (8-byte little-endian each, found by symbol name). Assembly, so that the block's layout
 * is exactly this one and every word has its own global symbol.
 */
	.section .data.knobs, "aw", @progbits
	.balign	64
	.globl	kernel_knobs
kernel_knobs:

	.globl	kernel_workload		/* 0 = self-check, 1..6 = benchmarks (README) */
	.type	kernel_workload, @object
	.size	kernel_workload, 8
kernel_workload:
	.dword	0

	.globl	kernel_iterations	/* benchmark operations (the self-check ignores it) */
	.type	kernel_iterations, @object
	.size	kernel_iterations, 8
kernel_iterations:
	.dword	100

	.globl	kernel_quantum		/* time slice in mtime ticks; 0 = the workload's default */
	.type	kernel_quantum, @object
	.size	kernel_quantum, 8
kernel_quantum:
	.dword	0

	.globl	kernel_verbose		/* 1 = also print scheduling-dependent counters */
	.type	kernel_verbose, @object
	.size	kernel_verbose, 8
kernel_verbose:
	.dword	0
