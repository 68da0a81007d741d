/*
 * rvwasm guest runtime: a compact printf-style formatter.
 *
 * Portable C with no library dependencies beyond <stdarg.h>; it is built both
 * for the guest and natively so that reference output is formatted alike.
 * Integers are converted through a uint64_t, so no 128-bit or floating-point
 * support is needed.
 */
#include "rt.h"

void rt_puts(const char *s)
{
	while (*s)
		rt_putc((unsigned char)*s++);
}

void rt_write(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		rt_putc((unsigned char)buf[i]);
}

/* Emit `len` bytes of `body`, padded to `width` with `pad`. */
static int emit_field(const char *prefix, const char *body, int len,
		      int width, int left, char pad)
{
	int plen = 0, n = 0;
	while (prefix[plen])
		plen++;
	int fill = width - len - plen;
	if (fill < 0)
		fill = 0;
	if (!left && pad == ' ')
		for (; fill > 0; fill--, n++)
			rt_putc(' ');
	for (int i = 0; i < plen; i++, n++)
		rt_putc((unsigned char)prefix[i]);
	if (!left)
		for (; fill > 0; fill--, n++)
			rt_putc(pad);
	for (int i = 0; i < len; i++, n++)
		rt_putc((unsigned char)body[i]);
	for (; fill > 0; fill--, n++)
		rt_putc(' ');
	return n;
}

int rt_vprintf(const char *fmt, va_list ap)
{
	static const char lower[] = "0123456789abcdef";
	static const char upper[] = "0123456789ABCDEF";
	int total = 0;

	while (*fmt) {
		char ch = *fmt++;
		if (ch != '%') {
			rt_putc((unsigned char)ch);
			total++;
			continue;
		}

		/* size: 0 = int, 1 = long, 2 = long long, 3 = size_t */
		int left = 0, width = 0, size = 0;
		char pad = ' ';
		for (;; fmt++) {
			if (*fmt == '-')
				left = 1;
			else if (*fmt == '0')
				pad = '0';
			else
				break;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		if (*fmt == 'z') {
			size = 3;
			fmt++;
		} else {
			while (*fmt == 'l' && size < 2) {
				size++;
				fmt++;
			}
		}
		if (left)
			pad = ' ';

		char conv = *fmt;
		if (conv == '\0')
			break;
		fmt++;

		char digits[24];
		const char *prefix = "";
		uint64_t v = 0;
		unsigned base = 10;
		const char *set = lower;

		switch (conv) {
		case '%':
			rt_putc('%');
			total++;
			continue;
		case 'c': {
			char c = (char)va_arg(ap, int);
			total += emit_field("", &c, 1, width, left, ' ');
			continue;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			int len = 0;
			while (s[len])
				len++;
			total += emit_field("", s, len, width, left, ' ');
			continue;
		}
		case 'd':
		case 'i': {
			int64_t sv;
			if (size == 1)
				sv = va_arg(ap, long);
			else if (size == 2)
				sv = va_arg(ap, long long);
			else if (size == 3)
				sv = (int64_t)va_arg(ap, size_t);
			else
				sv = va_arg(ap, int);
			if (sv < 0) {
				prefix = "-";
				v = (uint64_t)0 - (uint64_t)sv;
			} else {
				v = (uint64_t)sv;
			}
			break;
		}
		case 'u':
		case 'x':
		case 'X':
			if (size == 1)
				v = va_arg(ap, unsigned long);
			else if (size == 2)
				v = va_arg(ap, unsigned long long);
			else if (size == 3)
				v = va_arg(ap, size_t);
			else
				v = va_arg(ap, unsigned int);
			if (conv != 'u')
				base = 16;
			if (conv == 'X')
				set = upper;
			break;
		case 'p':
			v = (uint64_t)(uintptr_t)va_arg(ap, void *);
			base = 16;
			prefix = "0x";
			break;
		default:
			/* Unknown conversion: print it verbatim. */
			rt_putc('%');
			rt_putc((unsigned char)conv);
			total += 2;
			continue;
		}

		/* Digits are produced backwards into the tail of `digits`. */
		int pos = (int)sizeof digits;
		do {
			digits[--pos] = set[v % base];
			v /= base;
		} while (v);
		total += emit_field(prefix, digits + pos, (int)sizeof digits - pos,
				    width, left, pad);
	}
	return total;
}

int rt_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = rt_vprintf(fmt, ap);
	va_end(ap);
	return n;
}
