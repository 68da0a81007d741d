/*
 * rvwasm guest runtime: the whole interface the workloads and the demo use.
 *
 * On the guest these are provided by rt.c (UART, finisher) and fmt.c (the
 * formatter).  For the native reference build, host_shim.c provides rt_putc
 * and rt_exit on top of the host C library and fmt.c is compiled unchanged,
 * so both builds format output with the very same code.
 */
#ifndef RVWASM_RT_H
#define RVWASM_RT_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

/* Write one byte to the console. */
void rt_putc(int c);
/* Write a NUL-terminated string (no newline added). */
void rt_puts(const char *s);
/* Write len bytes. */
void rt_write(const char *buf, size_t len);
/* End the run: 0 = pass, anything else = fail with that code. */
void rt_exit(int code) __attribute__((noreturn));

/*
 * A small printf: conversions %d %i %u %x %X %c %s %p %%, flags '-' and '0',
 * a decimal field width, and the length modifiers l, ll and z.
 * Returns the number of bytes written.
 */
int rt_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int rt_vprintf(const char *fmt, va_list ap);

/*
 * The benchmark scale knob.  rt_repeat(pass) runs pass() rvwasm_scale times
 * (0 = not at all: the program just starts and exits 0).  Only the first pass
 * writes to the console; every later pass formats its output all the same,
 * and its FNV-1a hash and return value must equal the first pass's, or
 * rt_repeat prints a line saying so and returns RT_EXIT_PASS_DIFFERS.  So
 * the output is exactly that of one pass, whatever the scale.
 *
 * The variable lives in .data with value 1, under this name in the symbol
 * table, so a host can change it after loading the image and before the
 * program starts (rvwasm: writeMemory; QEMU: -device loader,data=...).
 * Every workload's main is `return rt_repeat(pass);`, and each pass first
 * resets whatever state it changes.
 */
extern volatile unsigned rvwasm_scale;
#define RT_EXIT_PASS_DIFFERS 0x7e
int rt_repeat(int (*pass)(void));

#endif
