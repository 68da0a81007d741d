/*
 * rvwasm guest runtime: console, exit and the memory routines the compiler
 * may call on its own (memcpy, memmove, memset, memcmp).
 *
 * Devices (QEMU virt layout):
 *   NS16550A UART at 0x1000_0000: THR at +0, LSR at +5 (bit 5 = THR empty).
 *   syscon test finisher at 0x0010_0000: 0x5555 = pass,
 *   0x3333 | code << 16 = fail with `code`.
 */
#include "rt.h"

#define UART_BASE	0x10000000UL
#define UART_THR	0
#define UART_LSR	5
#define UART_LSR_THRE	0x20

#define FINISHER_BASE	0x00100000UL
#define FINISHER_PASS	0x5555u
#define FINISHER_FAIL	0x3333u

static inline volatile uint8_t *uart_reg(unsigned off)
{
	return (volatile uint8_t *)(UART_BASE + off);
}

void rt_putc(int c)
{
	while ((*uart_reg(UART_LSR) & UART_LSR_THRE) == 0)
		;
	*uart_reg(UART_THR) = (uint8_t)c;
}

void rt_exit(int code)
{
#ifdef RT_REPORT_INSTRET
	/* Measurement builds only (make icount): never in the shipped images. */
	uint64_t n;
	__asm__ volatile("csrr %0, minstret" : "=r"(n));
	rt_printf("[instret %lu]\n", (unsigned long)n);
#endif
	volatile uint32_t *fin = (volatile uint32_t *)FINISHER_BASE;
	if (code == 0)
		*fin = FINISHER_PASS;
	else
		*fin = FINISHER_FAIL | ((uint32_t)(code & 0xffff) << 16);
	for (;;)
		__asm__ volatile("wfi");
}

/* Called from rt_trap_entry (crt0.S) on any trap: report it and fail. */
void rt_trap(uint64_t mcause, uint64_t mepc, uint64_t mtval)
	__attribute__((noreturn));
void rt_trap(uint64_t mcause, uint64_t mepc, uint64_t mtval)
{
	rt_printf("\n*** unexpected trap: mcause=0x%lx mepc=0x%lx mtval=0x%lx\n",
		  (unsigned long)mcause, (unsigned long)mepc,
		  (unsigned long)mtval);
	rt_exit(0x80 | (int)(mcause & 0x7f));
}

/*
 * Memory routines.  Byte loops, plus an 8-byte path when both pointers share
 * alignment; the guest traps on misaligned accesses, so never assume more.
 * This file is built with -fno-tree-loop-distribute-patterns so that the
 * compiler does not turn these loops back into calls to themselves.
 */
void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	if ((((uintptr_t)d ^ (uintptr_t)s) & 7) == 0) {
		while (n && ((uintptr_t)d & 7)) {
			*d++ = *s++;
			n--;
		}
		uint64_t *dw = (uint64_t *)d;
		const uint64_t *sw = (const uint64_t *)s;
		for (; n >= 8; n -= 8)
			*dw++ = *sw++;
		d = (uint8_t *)dw;
		s = (const uint8_t *)sw;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	if (d == s || n == 0)
		return dst;
	if (d < s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;
	uint8_t b = (uint8_t)c;
	while (n && ((uintptr_t)d & 7)) {
		*d++ = b;
		n--;
	}
	uint64_t w = 0x0101010101010101ULL * b;
	uint64_t *dw = (uint64_t *)d;
	for (; n >= 8; n -= 8)
		*dw++ = w;
	d = (uint8_t *)dw;
	while (n--)
		*d++ = b;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *p = a, *q = b;
	for (size_t i = 0; i < n; i++)
		if (p[i] != q[i])
			return (int)p[i] - (int)q[i];
	return 0;
}
