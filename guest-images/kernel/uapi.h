/*
 * uapi.h - everything the mini-kernel and its user programs agree on: the user address
 * space layout, system call numbers, check codes (the exit status of a failed run), report
 * slots and the parameters of the self-check tests, and the test-data generator.
 *
 * Included by kernel C code and by user C code (never by assembly). Header-only, no state.
 */
#ifndef MINIKERNEL_UAPI_H
#define MINIKERNEL_UAPI_H

#define PAGE_SIZE 4096UL

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

/* ---------------------------------------------------------------- user address space */
/*
 * Sv39, one root table per process. Root entries 0 (devices) and 2 (RAM, where the kernel
 * lives) are the kernel's, identical in every process; everything else is user space.
 *
 *   0x0_4000_0000 + off  the user image (text + rodata), shared read-only from the
 *                        kernel's ELF: user VA = physical address - IMAGE_OFFSET
 *   0x0_4800_0000        the kernel info page (struct kinfo), read-only, one physical
 *                        page shared by every process (what a vvar page is to Linux)
 *   0x0_5000_0000        heap, demand-zero, HEAP_SIZE
 *   0x0_7fef_f000        stack, demand-zero, STACK_SIZE below STACK_TOP
 *   0x1_0000_0000        mmap region (root entries 4..7): only mmap'ed ranges are valid,
 *                        so its page-table pages come and go with the mappings
 */
#define IMAGE_OFFSET 0x40000000UL
#define KINFO_VA     0x48000000UL
#define HEAP_BASE    0x50000000UL
#define HEAP_SIZE    (32UL << 20)
#define STACK_TOP    0x7ffff000UL
#define STACK_SIZE   (1UL << 20)
#define MMAP_BASE    0x100000000UL
#define MMAP_END     0x200000000UL

/* ---------------------------------------------------------------- kernel info page */
/* Counters the kernel keeps current for user programs to poll without a system call. */
#define KINFO_PIDS 256
#ifndef __ASSEMBLER__
struct kinfo {
	uint64_t ticks;                         /* timer interrupts so far */
	uint64_t interrupted[KINFO_PIDS];       /* [pid % KINFO_PIDS]: timer interrupts taken
	                                           while that process ran (0 when it starts) */
};
#endif

/* ---------------------------------------------------------------- system calls */
/* ecall from U: number in a7, arguments in a0..a3, results in a0 (and a1 for wait). */
#define SYS_EXIT        1   /* (status): never returns */
#define SYS_FORK        2   /* (): child pid in the parent, 0 in the child, -1 if no slot */
#define SYS_WAIT        3   /* (): a0 = pid of a reaped child, a1 = its exit status;
                               a0 = -1 when there are no children; blocks otherwise */
#define SYS_GETPID      4
#define SYS_YIELD       5   /* give up the rest of the time slice */
#define SYS_MMAP        6   /* (addr, len, flags): anonymous demand-zero range at exactly
                               addr (page aligned, inside the mmap region, not overlapping);
                               returns addr or -1 */
#define SYS_MUNMAP      7   /* (addr, len): must match one mmap'ed range exactly; 0 or -1 */
#define SYS_REMAP       8   /* (dst, src): map dst's page read-only onto the frame that
                               src's page maps (ptemod); 0 or -1 */
#define SYS_CHECK_AD    9   /* (va, want, code): the kernel checks the A and D bits of va's
                               leaf PTE equal want (PTE_A_BIT | PTE_D_BIT), else fails */
#define SYS_EXPECT      10  /* (code, got, want): the kernel fails with code if got != want */
#define SYS_REPORT      11  /* (slot, value): the kernel compares value with the result it
                               computed itself for that slot */
#define SYS_BARE_STREAM 12  /* (n): the kernel runs the load-stream loop n times in S-mode
                               with paging off (satp = 0) over its own buffer; returns the sum */

#define MAP_POPULATE 1      /* mmap flag: allocate and map every page now */

#define PTE_A_BIT 0x40      /* the PTE's A and D bits, for SYS_CHECK_AD */
#define PTE_D_BIT 0x80

#ifndef __ASSEMBLER__

/* ---------------------------------------------------------------- check codes */
/*
 * A failed check ends the run with its code as the exit status (finisher 0x3333 | code<<16).
 * Codes 1..63 are checks; 0x80.. are unexpected traps (see console.c).
 */
enum check_code {
	CHK_MEMSUM = 1,         /* heap checksum after demand paging and preemption */
	CHK_STACK,              /* recursion checksum over eight-plus demand-paged stack pages */
	CHK_REGS,               /* registers after a long preempted loop */
	CHK_CHURN_ZERO,         /* a freshly mmap'ed page did not read as zero */
	CHK_CHURN_SUM,          /* mmap/munmap churn checksum */
	CHK_COW_CHILD_VIEW,     /* child does not see the parent's data right after fork */
	CHK_COW_CHILD_ISOLATED, /* child sees a write of its parent or its own child */
	CHK_COW_GRAND_VIEW,     /* grandchild does not see its parent's data */
	CHK_COW_GRAND_OWN,      /* grandchild does not see its own writes */
	CHK_COW_PARENT_ISOLATED,/* parent sees a write of a descendant */
	CHK_COW_SUM,            /* COW checksums */
	CHK_WAIT_PID,           /* wait returned the wrong pid */
	CHK_WAIT_STATUS,        /* wait returned the wrong exit status */
	CHK_WAIT_NOCHILD,       /* wait without children did not return -1 */
	CHK_ZOMBIE,             /* zombies reaped wrongly */
	CHK_FORK,               /* fork failed */
	CHK_AD_LOAD,            /* after a load through a fresh PTE: A must be set, D clear */
	CHK_AD_STORE,           /* after a store: A and D set */
	CHK_AD_FORK,            /* the same in a forked child (its PTEs are new) */
	CHK_AD_REMAP,           /* the same through a remapped alias */
	CHK_PTEMOD,             /* a load after remap saw the old frame */
	CHK_MMAP,               /* mmap/munmap returned an error */
	CHK_INIT_STATUS,        /* a worker's exit status, as seen by init */
	CHK_FRAMES_LEAKED,      /* free-frame count at the end != at the start */
	CHK_REFCOUNT,           /* a frame still referenced (or freed twice) */
	CHK_NO_PREEMPTION,      /* a register test was never interrupted by the timer */
	CHK_REPORT_MISSING,     /* a report slot was never filled */
	CHK_REPORT_DUP,         /* a report slot was filled twice */
	CHK_REPORT_BAD_SLOT,
	CHK_BAD_SYSCALL,        /* unknown system call number */
	CHK_SEGV,               /* user access outside its mappings, or not permitted */
	CHK_HW_AD,              /* a page fault on a valid PTE that permits the access: the
	                           hardware did not set A/D itself (Svade) or the TLB was stale */
	CHK_OOM,                /* out of frames or process slots */
	CHK_DEADLOCK,           /* processes left but none runnable */
	CHK_KERNEL,             /* a kernel invariant (page-table shape, refcount) broke */
	CHK_KNOBS,              /* kernel_workload out of range */
	CHK_BENCH_PTEMOD,       /* workload checks, one per workload */
	CHK_BENCH_FORKWAIT,
	CHK_BENCH_PGFAULT,
	CHK_BENCH_TLBWALK,
	CHK_BENCH_STREAM,
	CHK_BENCH_BARE,
	CHK_COUNT
};

/* ---------------------------------------------------------------- report slots */
/* Results whose expected value the kernel computes independently (checks.c). */
enum report_slot {
	R_MEMSUM, R_STACK, R_REGS_A, R_REGS_B, R_CHURN, R_COW_P, R_COW_C, R_COW_G,
	R_COUNT
};

/* ---------------------------------------------------------------- test parameters */
#define MEM_WORDS    8192           /* memsum: 64 KiB of heap */
#define STK_DEPTH    10             /* stack test: recursion depth ... */
#define STK_WORDS    512            /* ... with a 4 KiB array per frame */
#define REGS_ITERS   10000          /* register test: loop iterations */
#define REGS_SEED_A  0x1000000000UL
#define REGS_SEED_B  0x7777000000UL
#define REGS_COUNTER 11             /* x11 (a1) counts the loop down to 0 */
#define REGS_MAX_ROUNDS 1000        /* rounds of the loop until a timer interrupt hits it */
#define CHURN_ROUNDS 48             /* mmap/munmap churn: rounds ... */
#define CHURN_PAGES  3              /* ... of this many pages each */
#define COW_PAGES    8              /* COW test: heap pages shared by parent, child, grandchild */
#define COW_WORDS    (COW_PAGES * 512)

/* Pattern tags: each writer writes its own sequence. */
#define T_MEM   1
#define T_STK   2
#define T_CHURN 3
#define T_P0    4   /* COW parent, before fork */
#define T_P1    5   /* COW parent, after fork (upper half) */
#define T_C     6   /* COW child (lower half) */
#define T_G     7   /* COW grandchild (upper half) */

/* Who writes which half of the COW pages, as each process sees them at the end. */
#define COW_TAGS_P { T_P0, T_P1 }
#define COW_TAGS_C { T_C, T_P0 }
#define COW_TAGS_G { T_C, T_G }

/* The test data: a SplitMix64-style mix of (tag, index). */
static inline uint64_t pat(uint64_t tag, uint64_t i)
{
	uint64_t z = tag * 0x9e3779b97f4a7c15ULL + (i + 1) * 0xbf58476d1ce4e5b9ULL;
	z ^= z >> 31;
	z *= 0x94d049bb133111ebULL;
	return z ^ (z >> 29);
}

/* Order-dependent checksum step (FNV-1a over 64-bit words). */
static inline uint64_t fold(uint64_t h, uint64_t v)
{
	return (h ^ v) * 0x100000001b3ULL;
}
#define FOLD_INIT 0xcbf29ce484222325ULL

#endif /* __ASSEMBLER__ */
#endif
