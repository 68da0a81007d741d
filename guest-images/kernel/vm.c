/*
 * vm.c - Sv39 page tables: walking, mapping, unmapping, the copy-on-write copy for fork,
 * and freeing, with the TLB fences the privileged spec requires.
 *
 * Fences (Sv39 with ASID 0 everywhere, so rs2 is always x0):
 *   - a leaf PTE changed (valid -> anything, or invalid -> valid): sfence.vma va;
 *   - a non-leaf PTE changed (a table added or removed): sfence.vma x0 (everything);
 *   - more than FLUSH_CEILING leaf changes in one operation: one sfence.vma x0 instead of
 *     many (the full fence covers every smaller one; Linux uses the same kind of ceiling);
 *   - satp writes are followed by a full fence (proc.c). So the TLB only ever holds
 *     translations of the current address space, and only changes to the current
 *     address space need a fence. Every function here that changes PTEs works on the
 *     current address space, except that vm_fork_range fills the child's tables (not yet
 *     used by anyone) and vm_release_range / vm_free_tables / vm_free_root run after the
 *     exiting process's satp is gone.
 *
 * New user leaf PTEs always have A = D = 0: the hardware (rvwasm and QEMU do Svadu-style
 * updates) must set them, and mm_check_ad verifies that it did. The kernel's own two
 * gigapages have A and D preset; they are not under test.
 */
#include "kernel.h"

/* Root entries the kernel owns in every address space (identity gigapages). */
#define KROOT_DEV 0             /* VA 0..1 GiB -> devices (finisher, CLINT, UART) */
#define KROOT_RAM 2             /* VA 2..3 GiB -> RAM: the kernel and every frame */
#define USER_ROOT_END 8         /* user VAs are below MMAP_END = 8 GiB */

#define FLUSH_CEILING 32

#define L0_SPAN (1UL << 21)     /* what one leaf table maps */
#define L1_SPAN (1UL << 30)     /* what one middle table maps */

static uint64_t kroot[512] __attribute__((aligned(4096)));

static unsigned vpn(uint64_t va, int level)
{
	return (va >> (12 + 9 * level)) & 511;
}

static uint64_t *table(uint64_t pte)
{
	return (uint64_t *)pte_pa(pte);
}

static uint64_t align_up(uint64_t x, uint64_t span)
{
	return (x + span) & ~(span - 1);    /* the next boundary strictly above x */
}

/* ---------------------------------------------------------------- fences */

/* Leaf changes of one operation, fenced together at the end. */
struct flush {
	unsigned n;
	int all;
	uint64_t va[FLUSH_CEILING];
};

static void flush_page(struct flush *f, uint64_t va)
{
	if (f->all)
		return;
	if (f->n == FLUSH_CEILING)
		f->all = 1;
	else
		f->va[f->n++] = va;
}

static void flush_done(struct flush *f)
{
	if (f->all) {
		sfence_vma_all();
		stats.fence_all++;
		return;
	}
	for (unsigned i = 0; i < f->n; i++)
		sfence_vma_va(f->va[i]);
	stats.fence_va += f->n;
}

/* ---------------------------------------------------------------- tables */

void vm_init(void)
{
	kroot[KROOT_DEV] = pa_pte(0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);
	kroot[KROOT_RAM] = pa_pte(RAM_BASE, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
}

uint64_t vm_kernel_root(void)
{
	return (uint64_t)kroot;
}

uint64_t vm_satp(uint64_t root)
{
	return SATP_SV39 | (root >> 12);    /* ASID 0 */
}

static uint64_t table_alloc(void)
{
	stats.pt_alloc++;
	return frame_alloc();
}

static void table_free(uint64_t pa)
{
	stats.pt_freed++;
	frame_unref(pa);
}

static int table_empty(const uint64_t *t)
{
	for (unsigned i = 0; i < 512; i++)
		if (t[i] & PTE_V)
			return 0;
	return 1;
}

/* A root for a new address space: the kernel's entries and nothing else. */
uint64_t vm_new_root(void)
{
	uint64_t root = table_alloc();
	uint64_t *r = (uint64_t *)root;
	r[KROOT_DEV] = kroot[KROOT_DEV];
	r[KROOT_RAM] = kroot[KROOT_RAM];
	return root;
}

static void check_user_va(uint64_t va)
{
	unsigned i = vpn(va, 2);
	KASSERT(va < MMAP_END && i != KROOT_DEV && i != KROOT_RAM);
}

/* The leaf PTE slot for va, or NULL when a table on the way is missing. */
uint64_t *vm_lookup(uint64_t root, uint64_t va)
{
	uint64_t *t = (uint64_t *)root;
	check_user_va(va);
	for (int level = 2; level > 0; level--) {
		uint64_t e = t[vpn(va, level)];
		if (!(e & PTE_V))
			return 0;
		KASSERT((e & (PTE_R | PTE_W | PTE_X)) == 0);    /* no superpages in user space */
		t = table(e);
	}
	return &t[vpn(va, 0)];
}

/* The leaf PTE slot for va, adding missing tables (then *created is set: a non-leaf PTE
   went from invalid to valid, which needs a full fence if the root is live). */
uint64_t *vm_walk_alloc(uint64_t root, uint64_t va, int *created)
{
	uint64_t *t = (uint64_t *)root;
	check_user_va(va);
	for (int level = 2; level > 0; level--) {
		uint64_t *e = &t[vpn(va, level)];
		if (!(*e & PTE_V)) {
			*e = pa_pte(table_alloc(), PTE_V);
			*created = 1;
		}
		KASSERT((*e & (PTE_R | PTE_W | PTE_X)) == 0);
		t = table(*e);
	}
	return &t[vpn(va, 0)];
}

/* ---------------------------------------------------------------- leaves */

/* Maps va to pa in the current address space: a new PTE (A = D = 0), then its fence. The
   spec lets a hart cache invalid entries (without Svvptc), so invalid -> valid is fenced too. */
void vm_map(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags)
{
	int created = 0;
	uint64_t *pte = vm_walk_alloc(root, va, &created);
	KASSERT(!(*pte & PTE_V));
	*pte = pa_pte(pa, flags | PTE_V);
	if (created) {
		sfence_vma_all();
		stats.fence_all++;
	} else {
		sfence_vma_va(va);
		stats.fence_va++;
	}
}

/* Replaces va's PTE in the current address space with pte and fences; returns the old one. */
uint64_t vm_set_pte(uint64_t root, uint64_t va, uint64_t pte)
{
	int created = 0;
	uint64_t *slot = vm_walk_alloc(root, va, &created);
	uint64_t old = *slot;
	*slot = pte;
	if (created) {
		sfence_vma_all();
		stats.fence_all++;
	} else {
		sfence_vma_va(va);
		stats.fence_va++;
	}
	return old;
}

/* Maps every page of [start, end) to a fresh zeroed frame (mmap with MAP_POPULATE). */
void vm_populate(uint64_t root, uint64_t start, uint64_t end, uint64_t flags)
{
	struct flush f = { 0 };
	for (uint64_t va = start; va < end; va += PAGE_SIZE) {
		int created = 0;
		uint64_t *pte = vm_walk_alloc(root, va, &created);
		KASSERT(!(*pte & PTE_V));
		*pte = pa_pte(frame_alloc(), flags | PTE_V);
		if (created)
			f.all = 1;
		flush_page(&f, va);
	}
	flush_done(&f);
}

/*
 * Calls fn for every valid leaf PTE in [start, end), skipping a missing middle table
 * (1 GiB) or leaf table (2 MiB) in one step, so a sparse range costs little. Always
 * inlined, so each caller's fn is inlined into the loop (fork and exit run it per page).
 */
typedef void leaf_fn(uint64_t *pte, uint64_t va, void *arg);

static inline __attribute__((always_inline)) void
for_each_leaf(uint64_t root, uint64_t start, uint64_t end, leaf_fn *fn, void *arg)
{
	uint64_t *r = (uint64_t *)root;
	uint64_t va = start;
	while (va < end) {
		uint64_t e2 = r[vpn(va, 2)];
		if (!(e2 & PTE_V)) {
			va = align_up(va, L1_SPAN);
			continue;
		}
		uint64_t e1 = table(e2)[vpn(va, 1)];
		if (!(e1 & PTE_V)) {
			va = align_up(va, L0_SPAN);
			continue;
		}
		uint64_t lim = align_up(va, L0_SPAN);
		if (lim > end)
			lim = end;
		uint64_t *pte = &table(e1)[vpn(va, 0)];
		for (; va < lim; va += PAGE_SIZE, pte++)
			if (*pte & PTE_V)
				fn(pte, va, arg);
	}
}


/* ---------------------------------------------------------------- unmap */

static void unmap_leaf(uint64_t *pte, uint64_t va, void *arg)
{
	leaf_unref(pte_pa(*pte));
	*pte = 0;
	flush_page(arg, va);
}

/*
 * Unmaps [start, end) of the current address space, then frees the leaf and middle tables
 * left empty (full fence: non-leaf PTEs changed). Frames go back to the allocator before
 * the fence at the end; that is safe because nothing allocates or runs user code in between,
 * and a freed frame waits at the back of the FIFO anyway.
 */
void vm_unmap_range(uint64_t root, uint64_t start, uint64_t end)
{
	struct flush f = { 0 };
	uint64_t *r = (uint64_t *)root;
	for_each_leaf(root, start, end, unmap_leaf, &f);
	for (uint64_t va = start & ~(L0_SPAN - 1); va < end; va += L0_SPAN) {
		uint64_t *e2 = &r[vpn(va, 2)];
		if (!(*e2 & PTE_V))
			continue;
		uint64_t *l1 = table(*e2);
		uint64_t *e1 = &l1[vpn(va, 1)];
		if ((*e1 & PTE_V) && table_empty(table(*e1))) {
			table_free(pte_pa(*e1));
			*e1 = 0;
			f.all = 1;
		}
		if (table_empty(l1)) {
			table_free(pte_pa(*e2));
			*e2 = 0;
			f.all = 1;
		}
	}
	flush_done(&f);
}

/* ---------------------------------------------------------------- fork */

struct fork_ctx {
	uint64_t child_root;
	uint64_t chunk;                 /* the 2 MiB chunk child_l0 maps, or 1 for none */
	uint64_t *child_l0;
	struct flush flush;
};

/*
 * One parent leaf: a writable frame becomes read-only + COW in the parent (a valid PTE
 * changes: fenced) and is shared with the child; read-only frames (COW already, remap
 * aliases, the user image) are shared as they are. The child's PTE is new: A = D = 0.
 */
static void fork_leaf(uint64_t *pte, uint64_t va, void *arg)
{
	struct fork_ctx *ctx = arg;
	uint64_t e = *pte;
	if (leaf_ref(pte_pa(e)) && (e & PTE_W)) {
		e = (e & ~(uint64_t)PTE_W) | PTE_COW;
		*pte = e;
		flush_page(&ctx->flush, va);
	}
	if ((va & ~(L0_SPAN - 1)) != ctx->chunk) {
		int created = 0;
		ctx->chunk = va & ~(L0_SPAN - 1);
		ctx->child_l0 = vm_walk_alloc(ctx->child_root, ctx->chunk, &created);
	}
	ctx->child_l0[vpn(va, 0)] = e & ~(uint64_t)(PTE_A | PTE_D);
}

/* Shares [start, end) of `from` (the current address space) with `to`, copy-on-write. */
void vm_fork_range(uint64_t from, uint64_t to, uint64_t start, uint64_t end)
{
	struct fork_ctx ctx = { .child_root = to, .chunk = 1 };
	for_each_leaf(from, start, end, fork_leaf, &ctx);
	flush_done(&ctx.flush);
}

/* ---------------------------------------------------------------- free */

static void release_leaf(uint64_t *pte, uint64_t va, void *arg)
{
	(void)va;
	(void)arg;
	leaf_unref(pte_pa(*pte));
}

/* Drops the frame references of the leaves in [start, end). The address space is not
   live, so nothing is fenced; the tables stay until vm_free_tables. */
void vm_release_range(uint64_t root, uint64_t start, uint64_t end)
{
	for_each_leaf(root, start, end, release_leaf, 0);
}

/* Frees the leaf tables of [start, end), after vm_release_range has run for every range
   of the address space: two ranges may share a leaf table, which goes on the first
   visit (its middle-table entry is cleared, so the second finds nothing). */
void vm_free_tables(uint64_t root, uint64_t start, uint64_t end)
{
	uint64_t *r = (uint64_t *)root;
	for (uint64_t va = start & ~(L0_SPAN - 1); va < end; va += L0_SPAN) {
		uint64_t e2 = r[vpn(va, 2)];
		if (!(e2 & PTE_V))
			continue;
		uint64_t *e1 = &table(e2)[vpn(va, 1)];
		if (*e1 & PTE_V) {
			table_free(pte_pa(*e1));
			*e1 = 0;
		}
	}
}

/* Frees the middle tables and the root, once vm_free_tables has freed every leaf table
   (each lies inside some range of the process). */
void vm_free_root(uint64_t root)
{
	uint64_t *r = (uint64_t *)root;
	for (unsigned i = 0; i < USER_ROOT_END; i++)
		if (i != KROOT_DEV && i != KROOT_RAM && (r[i] & PTE_V))
			table_free(pte_pa(r[i]));
	table_free(root);
}
