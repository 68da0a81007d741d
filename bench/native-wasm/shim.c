/*
 * The runtime of the native-Wasm builds (bench/exec.ts): what guest-images/lib/rt.c
 * gives the RISC-V images, for a wasm32 module with no C library.
 *
 *   imports  env.putchar(c)   one byte of console output
 *            env.exit(code)   end of the run; the host throws, so it never returns
 *   exports  run() -> int     runs main() (rvwasm_scale passes, lib/fmt.c) and returns
 *                             its exit code
 *            rvwasm_scale     the address of the scale knob (a global holding it)
 *            memory
 *
 * The memory routines are the same byte loops with an 8-byte path as rt.c's, so the
 * native code does the same work as the guest's (this file is built -ffreestanding, so
 * the loops are not turned back into calls or memory.copy).
 */
#include "rt.h"

__attribute__((import_module("env"), import_name("putchar")))
void host_putchar(int c);
__attribute__((import_module("env"), import_name("exit"), noreturn))
void host_exit(int code);

void rt_putc(int c)
{
	host_putchar(c);
}

void rt_exit(int code)
{
	host_exit(code);
}

int main(void);

__attribute__((export_name("run")))
int run(void)
{
	return main();
}

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
