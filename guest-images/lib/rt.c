/*
 * rvwasm guest runtime: console and exit. The memory routines the compiler
 * may call on its own are in mem.c (shared with the native Wasm build).
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
