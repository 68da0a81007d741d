/*
 * frames.c - the physical frame allocator: every 4 KiB frame between the end of the
 * kernel image and the pool's top, with a reference count each.
 *
 * Free frames wait in a FIFO ring: a freed frame goes to the back and is handed out again
 * only after every other free frame. That makes use-after-free and missing-TLB-flush bugs
 * visible: a stale mapping points at a frame that soon belongs to someone else with other
 * contents, instead of getting the same frame back at once (as a LIFO list would).
 *
 * Reference counts: a page-table page has one; a user page has one per PTE that maps it
 * (fork shares pages copy-on-write, SYS_REMAP aliases them). Frames outside the pool (the
 * user image inside the kernel's ELF) are never counted.
 */
#include "kernel.h"

#define MAX_FRAMES 8192         /* 32 MiB of pool at most */

static uint64_t pool_base, nframes;
static uint16_t refcnt[MAX_FRAMES];
static uint16_t ring[MAX_FRAMES];       /* free frame numbers, FIFO */
static uint64_t ring_head, ring_count;
static uint64_t in_use;                 /* frames handed out and not yet freed */

void frames_init(uint64_t base, uint64_t end)
{
	pool_base = base;
	nframes = (end - base) / PAGE_SIZE;
	if (nframes > MAX_FRAMES)
		nframes = MAX_FRAMES;
	for (uint64_t i = 0; i < nframes; i++)
		ring[i] = (uint16_t)i;
	ring_head = 0;
	ring_count = nframes;
}

int frame_in_pool(uint64_t pa)
{
	return pa >= pool_base && pa < pool_base + nframes * PAGE_SIZE;
}

static uint64_t frame_index(uint64_t pa)
{
	KASSERT(frame_in_pool(pa) && (pa & (PAGE_SIZE - 1)) == 0);
	return (pa - pool_base) / PAGE_SIZE;
}

uint64_t frame_alloc_raw(void)
{
	if (ring_count == 0)
		kfail(CHK_OOM, "no free frame (%lu in use)", (unsigned long)in_use);
	uint64_t i = ring[ring_head];
	ring_head = (ring_head + 1) % nframes;
	ring_count--;
	KASSERT(refcnt[i] == 0);
	refcnt[i] = 1;
	if (++in_use > stats.frames_peak)
		stats.frames_peak = in_use;
	return pool_base + i * PAGE_SIZE;
}

uint64_t frame_alloc(void)
{
	uint64_t pa = frame_alloc_raw();
	page_zero((void *)pa);
	return pa;
}

void frame_ref(uint64_t pa)
{
	uint64_t i = frame_index(pa);
	KASSERT(refcnt[i] > 0 && refcnt[i] < 0xffff);
	refcnt[i]++;
}

void frame_unref(uint64_t pa)
{
	uint64_t i = frame_index(pa);
	if (refcnt[i] == 0)
		kfail(CHK_REFCOUNT, "frame 0x%lx freed twice", (unsigned long)pa);
	if (--refcnt[i] > 0)
		return;
	ring[(ring_head + ring_count) % nframes] = (uint16_t)i;
	ring_count++;
	in_use--;
}

/* The frame of a user leaf PTE: counted if it is a pool frame (not the user image).
   leaf_ref returns whether it was counted. */
int leaf_ref(uint64_t pa)
{
	if (!frame_in_pool(pa))
		return 0;
	frame_ref(pa);
	return 1;
}

void leaf_unref(uint64_t pa)
{
	if (frame_in_pool(pa))
		frame_unref(pa);
}

unsigned frame_refs(uint64_t pa)
{
	return refcnt[frame_index(pa)];
}

uint64_t frames_free(void)
{
	return ring_count;
}

uint64_t frames_total(void)
{
	return nframes;
}

uint64_t frames_referenced(void)
{
	uint64_t n = 0;
	for (uint64_t i = 0; i < nframes; i++)
		n += refcnt[i] != 0;
	return n;
}
