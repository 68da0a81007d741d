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

#endif
