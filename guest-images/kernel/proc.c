/*
 * proc.c - processes and the scheduler: the process table, fork, exit, wait (zombies and
 * reaping), round-robin scheduling and the switch of address spaces.
 *
 * There are no kernel threads and no per-process kernel stacks: a process is its trap
 * frame plus an address space. Every kernel entry runs to completion and then resumes
 * some process (entry.S), so a context switch is just resuming another trap frame, after
 * writing its satp. A wait that cannot complete marks the process P_WAITING; the exit
 * of a child completes it later by writing the child's pid and status into the waiting
 * parent's a0 and a1.
 *
 * Everything is picked in process-table order, so a run is deterministic given
 * deterministic timer interrupts.
 */
#include "kernel.h"

/* Mapped read-only into every process at KINFO_VA (mm.c). */
struct kinfo kinfo __attribute__((aligned(4096)));

static struct proc procs[NPROC];
static struct proc *current;            /* the process the last trap came from */
static struct proc *initproc;           /* adopts orphans while it lives */
static uint64_t current_satp;
static int next_pid = 1;

struct proc *proc_current(void)
{
	return current;
}

static struct proc *slot_alloc(void)
{
	for (int i = 0; i < NPROC; i++) {
		struct proc *p = &procs[i];
		if (p->state == P_FREE) {
			*p = (struct proc){ .pid = next_pid++ };
			kinfo.interrupted[p->pid % KINFO_PIDS] = 0;
			stats.procs++;
			return p;
		}
	}
	return 0;
}

/* The first process: empty address space, pc = entry, sp = top of its stack region. */
struct proc *proc_create_init(uint64_t entry, uint64_t a0, uint64_t a1)
{
	struct proc *p = slot_alloc();
	KASSERT(p);
	mm_create(p);
	p->tf.r[TF_PC] = entry;
	p->tf.r[TF_SP] = STACK_TOP;
	p->tf.r[TF_A0] = a0;
	p->tf.r[TF_A1] = a1;
	p->state = P_RUNNABLE;
	initproc = p;
	return p;
}

/* ---------------------------------------------------------------- scheduling */

/* Writes satp only when the address space changes; a full fence after every write (ASID 0
   is shared by all address spaces, so the old one's translations must go). */
static void satp_switch(uint64_t satp)
{
	if (satp == current_satp)
		return;
	csr_write(satp, satp);
	sfence_vma_all();
	stats.fence_all++;
	current_satp = satp;
}

void proc_switch_to(struct proc *p)
{
	if (p != current)
		stats.switches++;
	current = p;
	satp_switch(vm_satp(p->root));
}

/* Back to the kernel-only page table (before freeing the current one's tables). */
void proc_kernel_space(void)
{
	satp_switch(vm_satp(vm_kernel_root()));
}

/* Round robin: the first runnable process after p in table order (p itself last). */
static struct proc *pick_after(struct proc *p)
{
	int start = p ? (int)(p - procs) + 1 : 0;
	for (int n = 0; n < NPROC; n++) {
		struct proc *q = &procs[(start + n) % NPROC];
		if (q->state == P_RUNNABLE)
			return q;
	}
	return 0;
}

/* The next process to run; with no process left the run is over (checks_finish). */
static struct proc *next_or_finish(struct proc *p)
{
	struct proc *next = pick_after(p);
	if (next)
		return next;
	for (int i = 0; i < NPROC; i++)
		if (procs[i].state != P_FREE)
			kfail(CHK_DEADLOCK, "pid %d is %s and nothing can run", procs[i].pid,
			      procs[i].state == P_WAITING ? "waiting" : "a zombie");
	checks_finish();
}

/* Timer interrupt: p goes to the back of the line. */
struct proc *sched_preempt(struct proc *p)
{
	struct proc *next = pick_after(p);
	kinfo.ticks++;
	kinfo.interrupted[p->pid % KINFO_PIDS]++;
	if (next != p)
		stats.preemptions++;
	return next;
}

struct proc *sched_yield(struct proc *p)
{
	return pick_after(p);
}

/* ---------------------------------------------------------------- fork, exit, wait */

long proc_fork(struct proc *p)
{
	struct proc *c = slot_alloc();
	if (!c)
		return -1;
	c->tf = p->tf;                  /* pc is already past the ecall */
	c->tf.r[TF_A0] = 0;
	c->parent = p;
	mm_fork(p, c);
	c->state = P_RUNNABLE;
	stats.forks++;
	return c->pid;
}

/* Completes parent's wait with child's pid and status; the child's slot is free again. */
static void reap(struct proc *parent, struct proc *child)
{
	parent->tf.r[TF_A0] = (uint64_t)child->pid;
	parent->tf.r[TF_A1] = (uint64_t)child->status;
	parent->state = P_RUNNABLE;
	child->state = P_FREE;
	stats.reaped++;
}

struct proc *proc_wait(struct proc *p)
{
	int children = 0;
	for (int i = 0; i < NPROC; i++) {
		struct proc *q = &procs[i];
		if (q->state == P_FREE || q->parent != p)
			continue;
		children++;
		if (q->state == P_ZOMBIE) {
			reap(p, q);
			return p;
		}
	}
	if (!children) {
		p->tf.r[TF_A0] = (uint64_t)-1;
		p->tf.r[TF_A1] = 0;
		return p;
	}
	p->state = P_WAITING;
	return next_or_finish(p);
}

struct proc *proc_exit(struct proc *p, int64_t status)
{
	proc_kernel_space();            /* p's tables are freed next */
	mm_release(p);
	p->status = status;
	if (p == initproc)
		initproc = 0;

	/* Orphans go to init (or to nobody once init is gone: they vanish at exit). */
	for (int i = 0; i < NPROC; i++) {
		struct proc *q = &procs[i];
		if (q->state == P_FREE || q->parent != p)
			continue;
		q->parent = initproc;
		if (q->state == P_ZOMBIE) {
			if (!initproc)
				q->state = P_FREE;
			else if (initproc->state == P_WAITING)
				reap(initproc, q);
		}
	}

	if (!p->parent)
		p->state = P_FREE;
	else if (p->parent->state == P_WAITING)
		reap(p->parent, p);
	else
		p->state = P_ZOMBIE;
	return next_or_finish(p);
}
