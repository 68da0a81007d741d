/*
 * Deterministic test-data generator shared by the workloads: SplitMix64
 * (Steele, Lea and Flood, "Fast splittable pseudorandom number generators",
 * OOPSLA 2014).  Only 64-bit integer arithmetic, identical on every host.
 */
#ifndef RVWASM_PRNG_H
#define RVWASM_PRNG_H

#include <stdint.h>
#include <stddef.h>

typedef struct {
	uint64_t state;
} prng_t;

static inline uint64_t prng_next(prng_t *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Fill buf[0..n) with generator output, 8 bytes per step, little-endian. */
static inline void prng_fill(prng_t *r, uint8_t *buf, size_t n)
{
	size_t i = 0;
	while (i < n) {
		uint64_t v = prng_next(r);
		for (int k = 0; k < 8 && i < n; k++, i++) {
			buf[i] = (uint8_t)v;
			v >>= 8;
		}
	}
}

#endif
