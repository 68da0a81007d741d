/*
 * mm.c - address spaces: the regions (VMAs) of a process, the page-fault handler (demand
 * paging and copy-on-write), and the memory system calls (mmap, munmap, remap, A/D check).
 *
 * A process's regions: the user image (text + rodata, shared read-only from the kernel's
 * ELF), the kernel info page (read-only), the heap and the stack (demand-zero), and
 * whatever it mmap'ed. Nothing is mapped when a process starts: every page, including
 * the code, comes in through a page fault.
 *
 * Each region remembers the extent [lo, hi) it has ever had pages mapped in, and fork,
 * exit and munmap walk only that: the heap region is 32 MiB, but a process that used
 * 256 KiB of it pays for 256 KiB (what brk gives a Unix kernel).
 */
#include "kernel.h"

extern char __user_start[], __user_end[];      /* the user image, page-aligned (link.ld) */

/* ---------------------------------------------------------------- regions */

static struct vma *vma_find(struct proc *p, uint64_t va)
{
	for (int i = 0; i < NVMA; i++) {
		struct vma *v = &p->vma[i];
		if (v->kind != VMA_NONE && va >= v->start && va < v->end)
			return v;
	}
	return 0;
}

static struct vma *vma_add(struct proc *p, uint64_t start, uint64_t end, enum vma_kind kind,
			   int mmapped)
{
	for (int i = 0; i < NVMA; i++) {
		struct vma *v = &p->vma[i];
		if (v->kind == VMA_NONE) {
			v->start = start;
			v->end = end;
			v->lo = end;
			v->hi = start;
			v->kind = kind;
			v->mmapped = mmapped;
			return v;
		}
	}
	return 0;
}

/* [start, end) of v has pages mapped now. */
static void vma_touch(struct vma *v, uint64_t start, uint64_t end)
{
	if (start < v->lo)
		v->lo = start;
	if (end > v->hi)
		v->hi = end;
}

void mm_create(struct proc *p)
{
	p->root = vm_new_root();
	vma_add(p, (uint64_t)__user_start - IMAGE_OFFSET, (uint64_t)__user_end - IMAGE_OFFSET,
		VMA_IMAGE, 0);
	vma_add(p, KINFO_VA, KINFO_VA + PAGE_SIZE, VMA_KINFO, 0);
	vma_add(p, HEAP_BASE, HEAP_BASE + HEAP_SIZE, VMA_ANON, 0);
	vma_add(p, STACK_TOP - STACK_SIZE, STACK_TOP, VMA_ANON, 0);
}

/* The child gets the parent's regions and, copy-on-write, every page mapped in them. */
void mm_fork(struct proc *parent, struct proc *child)
{
	child->root = vm_new_root();
	for (int i = 0; i < NVMA; i++) {
		struct vma *v = &parent->vma[i];
		child->vma[i] = *v;
		if (v->kind != VMA_NONE && v->lo < v->hi)
			vm_fork_range(parent->root, child->root, v->lo, v->hi);
	}
}

/* Frees every page and page table of p (whose satp must no longer be in use): all pages
   first, then the tables, as two regions may share a leaf table. */
void mm_release(struct proc *p)
{
	for (int i = 0; i < NVMA; i++) {
		struct vma *v = &p->vma[i];
		if (v->kind != VMA_NONE && v->lo < v->hi)
			vm_release_range(p->root, v->lo, v->hi);
	}
	for (int i = 0; i < NVMA; i++) {
		struct vma *v = &p->vma[i];
		if (v->kind != VMA_NONE && v->lo < v->hi)
			vm_free_tables(p->root, v->lo, v->hi);
		v->kind = VMA_NONE;
	}
	vm_free_root(p->root);
	p->root = 0;
}

/* ---------------------------------------------------------------- page faults */

static const char *cause_name(uint64_t cause)
{
	return cause == CAUSE_FETCH_PAGE ? "fetch" : cause == CAUSE_LOAD_PAGE ? "load" : "store";
}

static void __attribute__((noreturn)) segv(struct proc *p, uint64_t va, uint64_t cause,
					   const char *why)
{
	kfail(CHK_SEGV, "pid %d: %s page fault at 0x%lx, sepc 0x%lx: %s", p->pid,
	      cause_name(cause), (unsigned long)va, (unsigned long)p->tf.r[TF_PC], why);
}

static int pte_permits(uint64_t pte, uint64_t cause)
{
	if (!(pte & PTE_U))
		return 0;
	if (cause == CAUSE_FETCH_PAGE)
		return (pte & PTE_X) != 0;
	if (cause == CAUSE_LOAD_PAGE)
		return (pte & PTE_R) != 0;
	return (pte & PTE_W) != 0;
}

/*
 * A store to a COW page. The last sharer just gets write access back; otherwise the
 * frame is copied and the copy mapped writable (a new PTE: A = D = 0, and the retried
 * store sets both). Either way a valid PTE changed: vm_set_pte fences va.
 */
static void cow_break(struct proc *p, uint64_t page, uint64_t pte)
{
	uint64_t pa = pte_pa(pte);
	stats.cow_faults++;
	if (frame_refs(pa) == 1) {
		vm_set_pte(p->root, page, (pte | PTE_W) & ~(uint64_t)PTE_COW);
		stats.cow_reuses++;
		return;
	}
	uint64_t copy = frame_alloc_raw();
	page_copy((void *)copy, (const void *)pa);
	vm_set_pte(p->root, page, pa_pte(copy, PTE_V | PTE_R | PTE_W | PTE_U));
	frame_unref(pa);
	stats.cow_copies++;
}

void mm_fault(struct proc *p, uint64_t va, uint64_t cause)
{
	uint64_t page = va & ~(PAGE_SIZE - 1);
	struct vma *v = vma_find(p, va);
	if (!v)
		segv(p, va, cause, "no mapping there");

	uint64_t *slot = vm_lookup(p->root, page);
	if (slot && (*slot & PTE_V)) {
		uint64_t pte = *slot;
		if (cause == CAUSE_STORE_PAGE && (pte & PTE_COW)) {
			cow_break(p, page, pte);
			return;
		}
		/* The PTE allows this access, yet it faulted: either the hardware wants
		   software to set A/D (Svade, which this kernel does not support), or a TLB
		   kept a translation the kernel fenced away. */
		if (pte_permits(pte, cause))
			kfail(CHK_HW_AD, "pid %d: %s page fault at 0x%lx through PTE 0x%lx, which "
			      "permits it (A/D not updated by hardware, or a stale TLB entry)",
			      p->pid, cause_name(cause), (unsigned long)va, (unsigned long)pte);
		segv(p, va, cause, "access not permitted");
	}

	if (v->kind == VMA_IMAGE) {
		if (cause == CAUSE_STORE_PAGE)
			segv(p, va, cause, "store to the read-only user image");
		vm_map(p->root, page, page + IMAGE_OFFSET, PTE_R | PTE_X | PTE_U);
		stats.image_faults++;
	} else if (v->kind == VMA_KINFO) {
		if (cause != CAUSE_LOAD_PAGE)
			segv(p, va, cause, "the kernel info page is read-only data");
		vm_map(p->root, page, (uint64_t)&kinfo, PTE_R | PTE_U);
		stats.image_faults++;
	} else {
		if (cause == CAUSE_FETCH_PAGE)
			segv(p, va, cause, "execute from data");
		vm_map(p->root, page, frame_alloc(), PTE_R | PTE_W | PTE_U);
		stats.demand_faults++;
	}
	vma_touch(v, page, page + PAGE_SIZE);
}

/* ---------------------------------------------------------------- system calls */

long mm_mmap(struct proc *p, uint64_t addr, uint64_t len, uint64_t flags)
{
	uint64_t end = addr + len;
	if (len == 0 || ((addr | len) & (PAGE_SIZE - 1)) || addr < MMAP_BASE || end > MMAP_END ||
	    end < addr)
		return -1;
	for (int i = 0; i < NVMA; i++) {
		struct vma *v = &p->vma[i];
		if (v->kind != VMA_NONE && addr < v->end && v->start < end)
			return -1;
	}
	struct vma *v = vma_add(p, addr, end, VMA_ANON, 1);
	if (!v)
		return -1;
	if (flags & MAP_POPULATE) {
		vm_populate(p->root, addr, end, PTE_R | PTE_W | PTE_U);
		vma_touch(v, addr, end);
	}
	stats.mmaps++;
	return (long)addr;
}

long mm_munmap(struct proc *p, uint64_t addr, uint64_t len)
{
	struct vma *v = vma_find(p, addr);
	if (!v || !v->mmapped || v->start != addr || v->end != addr + len)
		return -1;
	if (v->lo < v->hi)
		vm_unmap_range(p->root, v->lo, v->hi);
	v->kind = VMA_NONE;
	stats.munmaps++;
	return 0;
}

/* ptemod: dst's page becomes a read-only alias of the frame src's page maps. One PTE store
   and one sfence.vma dst when dst was mapped already (the benchmark's steady state). */
long mm_remap(struct proc *p, uint64_t dst, uint64_t src)
{
	struct vma *vd = vma_find(p, dst), *vs = vma_find(p, src);
	if (((dst | src) & (PAGE_SIZE - 1)) || !vd || !vs || vd->kind != VMA_ANON ||
	    vs->kind != VMA_ANON)
		return -1;
	uint64_t *s = vm_lookup(p->root, src);
	if (!s || !(*s & PTE_V))
		return -1;
	uint64_t pa = pte_pa(*s);
	frame_ref(pa);
	uint64_t old = vm_set_pte(p->root, dst, pa_pte(pa, PTE_V | PTE_R | PTE_U));
	vma_touch(vd, dst, dst + PAGE_SIZE);
	if (old & PTE_V)
		frame_unref(pte_pa(old));
	stats.remaps++;
	return 0;
}

/* The hardware must have set A (and D after a store) in va's PTE: want = its A|D bits. */
void mm_check_ad(struct proc *p, uint64_t va, uint64_t want, int code)
{
	uint64_t *slot = vm_lookup(p->root, va & ~(PAGE_SIZE - 1));
	stats.ad_checks++;
	if (!slot || !(*slot & PTE_V))
		kfail(code, "pid %d: A/D check at 0x%lx: not mapped", p->pid, (unsigned long)va);
	uint64_t got = *slot & (PTE_A | PTE_D);
	if (got != want)
		kfail(code, "pid %d: PTE of 0x%lx is 0x%lx: A=%d D=%d, want A=%d D=%d", p->pid,
		      (unsigned long)va, (unsigned long)*slot, (got & PTE_A) != 0,
		      (got & PTE_D) != 0, (want & PTE_A) != 0, (want & PTE_D) != 0);
}
