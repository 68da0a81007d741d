/*
 * memcpy, memmove, memset and memcmp, which the compiler may call on its own. Shared by
 * the guest runtime and bench/native-wasm (the same C compiled straight to Wasm).
 */
#include "rt.h"

/*
 * Byte loops, plus an 8-byte path when both pointers share alignment (a guest may run
 * with --misaligned trap, so never assume more). Built with
 * -fno-tree-loop-distribute-patterns so that gcc does not turn these loops back into
 * calls to themselves.
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
