/*
 * kernel.h - the kernel's internal interfaces: one section per source file.
 */
#ifndef MINIKERNEL_KERNEL_H
#define MINIKERNEL_KERNEL_H

#include <stddef.h>
#include <stdint.h>
#include "riscv.h"
#include "uapi.h"

#define NPROC 32        /* process slots */
#define NVMA  8         /* address-space regions per process */

/* All registers of a user process: r[0] = pc (x0 needs no slot), r[n] = xn. */
struct trapframe {
	uint64_t r[32];
};
#define TF_PC 0
#define TF_SP 2
#define TF_A0 10
#define TF_A1 11
#define TF_A2 12
#define TF_A3 13
#define TF_A7 17

/* ---------------------------------------------------------------- knobs.S */
extern volatile uint64_t kernel_workload, kernel_iterations, kernel_quantum, kernel_verbose;

/* ---------------------------------------------------------------- console.c */
void kputc(int c);
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kpass(void) __attribute__((noreturn));
void kfail(int code, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));
void kdie(int code, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));
const char *check_name(int code);
#define KASSERT(c) do { if (!(c)) kfail(CHK_KERNEL, "%s:%d: %s", __FILE__, __LINE__, #c); } while (0)

/* ---------------------------------------------------------------- frames.c */
void frames_init(uint64_t base, uint64_t end);
uint64_t frame_alloc(void);         /* zeroed, one reference */
uint64_t frame_alloc_raw(void);     /* contents undefined, one reference */
void frame_ref(uint64_t pa);
void frame_unref(uint64_t pa);      /* frees it with the last reference */
int leaf_ref(uint64_t pa);         /* for a user leaf's frame: image frames are not counted */
void leaf_unref(uint64_t pa);
unsigned frame_refs(uint64_t pa);
int frame_in_pool(uint64_t pa);
uint64_t frames_free(void);
uint64_t frames_total(void);
uint64_t frames_referenced(void);   /* frames whose count is not 0 (should match) */
void page_zero(void *page);         /* pageops.S */
void page_copy(void *dst, const void *src);

/* ---------------------------------------------------------------- vm.c (page tables) */
void vm_init(void);
uint64_t vm_kernel_root(void);
uint64_t vm_satp(uint64_t root);
uint64_t vm_new_root(void);
uint64_t *vm_lookup(uint64_t root, uint64_t va);
uint64_t *vm_walk_alloc(uint64_t root, uint64_t va, int *created);
void vm_map(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags);
uint64_t vm_set_pte(uint64_t root, uint64_t va, uint64_t pte);
void vm_populate(uint64_t root, uint64_t start, uint64_t end, uint64_t flags);
void vm_unmap_range(uint64_t root, uint64_t start, uint64_t end);
void vm_fork_range(uint64_t from, uint64_t to, uint64_t start, uint64_t end);
void vm_release_range(uint64_t root, uint64_t start, uint64_t end);
void vm_free_tables(uint64_t root, uint64_t start, uint64_t end);
void vm_free_root(uint64_t root);

/* ---------------------------------------------------------------- mm.c (address spaces) */
enum vma_kind { VMA_NONE, VMA_IMAGE, VMA_KINFO, VMA_ANON };
struct vma {
	uint64_t start, end;
	uint64_t lo, hi;    /* the extent ever mapped in it (lo >= hi: none), like a brk */
	enum vma_kind kind;
	int mmapped;        /* created by mmap (only those may be munmap'ed) */
};
struct proc;
void mm_create(struct proc *p);
void mm_fork(struct proc *parent, struct proc *child);
void mm_release(struct proc *p);
void mm_fault(struct proc *p, uint64_t va, uint64_t cause);
long mm_mmap(struct proc *p, uint64_t addr, uint64_t len, uint64_t flags);
long mm_munmap(struct proc *p, uint64_t addr, uint64_t len);
long mm_remap(struct proc *p, uint64_t dst, uint64_t src);
void mm_check_ad(struct proc *p, uint64_t va, uint64_t want, int code);

/* ---------------------------------------------------------------- proc.c */
enum pstate { P_FREE, P_RUNNABLE, P_WAITING, P_ZOMBIE };
struct proc {
	struct trapframe tf;
	enum pstate state;
	int pid;
	struct proc *parent;
	uint64_t root;          /* root page table (physical); 0 once released */
	int64_t status;         /* exit status, for wait */
	struct vma vma[NVMA];
};
extern struct kinfo kinfo;             /* the kernel info page */
struct proc *proc_current(void);
struct proc *proc_create_init(uint64_t entry, uint64_t a0, uint64_t a1);
long proc_fork(struct proc *p);
struct proc *proc_exit(struct proc *p, int64_t status);
struct proc *proc_wait(struct proc *p);
struct proc *sched_yield(struct proc *p);
struct proc *sched_preempt(struct proc *p);
void proc_switch_to(struct proc *p);
void proc_kernel_space(void);
void user_return(struct trapframe *tf) __attribute__((noreturn));  /* entry.S */

/* ---------------------------------------------------------------- trap.c, syscall.c */
struct trapframe *s_trap(struct trapframe *tf);
void timer_init(uint64_t ticks);
void timer_arm(void);
struct proc *syscall(struct proc *p);

/* ---------------------------------------------------------------- checks.c */
void checks_init(uint64_t workload, uint64_t iterations);
void check_expect(struct proc *p, uint64_t code, uint64_t got, uint64_t want);
void check_report(struct proc *p, uint64_t slot, uint64_t value);
void checks_finish(void) __attribute__((noreturn));

/* ---------------------------------------------------------------- statistics */
/*
 * The first group counts events that follow from the programs alone, so they are the same
 * on every engine whatever the timer does; they go in the summary. The second group
 * depends on where timer interrupts land (which process stores first to a shared page
 * decides copy vs reuse); printed only with kernel_verbose.
 */
struct kstats {
	uint64_t procs, forks, reaped, syscalls;
	uint64_t demand_faults, image_faults, cow_faults;
	uint64_t mmaps, munmaps, remaps, ad_checks, expects, reports;
	uint64_t pt_alloc, pt_freed;
	uint64_t ticks, preemptions, switches, cow_copies, cow_reuses, frames_peak;
	uint64_t fence_va, fence_all;
};
extern struct kstats stats;

#endif
