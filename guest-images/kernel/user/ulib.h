/*
 * ulib.h - what user programs have: system call wrappers (inline ecall) and the assembly
 * loops of bench_loops.S. User code is linked into the kernel's ELF but runs at
 * VA = PA - IMAGE_OFFSET, so it must reach everything PC-relatively and may call nothing
 * outside the user image (the Makefile checks both; see README.md).
 */
#ifndef MINIKERNEL_ULIB_H
#define MINIKERNEL_ULIB_H

#include "../uapi.h"

static inline long ecall3(long n, long a0, long a1, long a2)
{
	register long r0 __asm__("a0") = a0;
	register long r1 __asm__("a1") = a1;
	register long r2 __asm__("a2") = a2;
	register long r7 __asm__("a7") = n;
	__asm__ volatile("ecall" : "+r"(r0), "+r"(r1) : "r"(r2), "r"(r7) : "memory");
	return r0;
}

static inline void __attribute__((noreturn)) sys_exit(long status)
{
	ecall3(SYS_EXIT, status, 0, 0);
	__builtin_unreachable();
}

static inline long sys_fork(void)
{
	return ecall3(SYS_FORK, 0, 0, 0);
}

/* Returns the pid of a reaped child (its status in *status), or -1 without children. */
static inline long sys_wait(long *status)
{
	register long r0 __asm__("a0");
	register long r1 __asm__("a1");
	register long r7 __asm__("a7") = SYS_WAIT;
	__asm__ volatile("ecall" : "=r"(r0), "=r"(r1) : "r"(r7) : "memory");
	*status = r1;
	return r0;
}

static inline long sys_getpid(void)
{
	return ecall3(SYS_GETPID, 0, 0, 0);
}

/* The kernel info page (read-only). */
static inline const volatile struct kinfo *kinfo(void)
{
	return (const volatile struct kinfo *)KINFO_VA;
}

static inline void sys_yield(void)
{
	ecall3(SYS_YIELD, 0, 0, 0);
}

static inline long sys_mmap(uint64_t addr, uint64_t len, long flags)
{
	return ecall3(SYS_MMAP, (long)addr, (long)len, flags);
}

static inline long sys_munmap(uint64_t addr, uint64_t len)
{
	return ecall3(SYS_MUNMAP, (long)addr, (long)len, 0);
}

static inline long sys_remap(uint64_t dst, uint64_t src)
{
	return ecall3(SYS_REMAP, (long)dst, (long)src, 0);
}

static inline void sys_check_ad(uint64_t va, long want, long code)
{
	ecall3(SYS_CHECK_AD, (long)va, want, code);
}

/* The kernel ends the run with check `code` unless got == want. */
static inline void expect(long code, long got, long want)
{
	ecall3(SYS_EXPECT, code, got, want);
}

static inline void sys_report(long slot, uint64_t value)
{
	ecall3(SYS_REPORT, slot, (long)value, 0);
}

static inline uint64_t sys_bare_stream(uint64_t n)
{
	return (uint64_t)ecall3(SYS_BARE_STREAM, (long)n, 0, 0);
}

/* bench_loops.S */
void regs_spin(uint64_t seed, uint64_t n, uint64_t out[32]);
long bench_ptemod_loop(uint64_t window, uint64_t src_a, uint64_t src_b, uint64_t n);
long bench_forkwait_loop(uint64_t n);
long bench_touch_loop(uint64_t base, uint64_t n);
long bench_random_walk(uint64_t base, uint64_t n, uint64_t seed);
uint64_t bench_load_stream(uint64_t base, uint64_t n, uint64_t mask);

/* selfcheck.c, bench.c */
long selfcheck_init(void);
long bench_ptemod(uint64_t n);
long bench_forkwait(uint64_t n);
long bench_pgfault(uint64_t n);
long bench_tlbwalk(uint64_t n);
long bench_stream(uint64_t n);
long bench_bare(uint64_t n);

#endif
