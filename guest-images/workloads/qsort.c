/*
 * qsort: sort pseudo-random signed 32-bit integers with a hand-written
 * quicksort (median-of-three pivot, Hoare partition, insertion sort for short
 * ranges, recursion on the smaller side only), then check that the result is
 * ordered and is a permutation of the input.
 */
#include "rt.h"
#include "prng.h"

#define N 40000
#define SMALL 16

static int32_t a[N];

static void insertion_sort(int32_t *v, long lo, long hi)
{
	for (long i = lo + 1; i <= hi; i++) {
		int32_t x = v[i];
		long j = i - 1;
		while (j >= lo && v[j] > x) {
			v[j + 1] = v[j];
			j--;
		}
		v[j + 1] = x;
	}
}

static inline void swap(int32_t *v, long i, long j)
{
	int32_t t = v[i];
	v[i] = v[j];
	v[j] = t;
}

static unsigned long max_depth;

static void quicksort(int32_t *v, long lo, long hi, unsigned long depth)
{
	if (depth > max_depth)
		max_depth = depth;
	while (hi - lo >= SMALL) {
		long mid = lo + (hi - lo) / 2;
		/* Order v[lo], v[mid], v[hi]; the median lands in v[mid]. */
		if (v[mid] < v[lo])
			swap(v, mid, lo);
		if (v[hi] < v[lo])
			swap(v, hi, lo);
		if (v[hi] < v[mid])
			swap(v, hi, mid);
		int32_t pivot = v[mid];

		long i = lo - 1, j = hi + 1;
		for (;;) {
			do
				i++;
			while (v[i] < pivot);
			do
				j--;
			while (v[j] > pivot);
			if (i >= j)
				break;
			swap(v, i, j);
		}
		/* [lo, j] <= pivot <= [j+1, hi]; recurse into the smaller part. */
		if (j - lo < hi - j) {
			quicksort(v, lo, j, depth + 1);
			lo = j + 1;
		} else {
			quicksort(v, j + 1, hi, depth + 1);
			hi = j;
		}
	}
	insertion_sort(v, lo, hi);
}

typedef struct {
	uint64_t sum, sumsq, xr;
} multiset_digest;

/* Order-independent digest: equal for any permutation of the same values. */
static multiset_digest digest(const int32_t *v, long n)
{
	multiset_digest d = { 0, 0, 0 };
	for (long i = 0; i < n; i++) {
		uint64_t x = (uint64_t)(int64_t)v[i];
		d.sum += x;
		d.sumsq += x * x;
		d.xr ^= x * 0x9e3779b97f4a7c15ULL;
	}
	return d;
}

/* One whole run; main repeats it rvwasm_scale times (rt.h). */
static int pass(void)
{
	max_depth = 0;
	prng_t r = { 0x51534f5254000000ULL };
	for (long i = 0; i < N; i++) {
		uint32_t u = (uint32_t)(prng_next(&r) >> 32);
		/* Every ~8th value repeats a small range, so duplicates occur. */
		if ((u & 7) == 0)
			u &= 0x3ff;
		a[i] = (int32_t)u; /* two's complement wrap (GCC's defined behaviour) */
	}
	multiset_digest before = digest(a, N);

	quicksort(a, 0, N - 1, 1);

	long bad = 0;
	for (long i = 1; i < N; i++)
		bad += a[i - 1] > a[i];
	multiset_digest after = digest(a, N);
	int perm = before.sum == after.sum && before.sumsq == after.sumsq &&
		   before.xr == after.xr;

	uint64_t weighted = 0;
	for (long i = 0; i < N; i++)
		weighted = weighted * 31 + (uint32_t)a[i];

	rt_printf("qsort n=%d min=%d median=%d max=%d\n", N, (int)a[0],
		  (int)a[N / 2], (int)a[N - 1]);
	rt_printf("qsort sorted=%s permutation=%s depth=%lu\n",
		  bad ? "NO" : "yes", perm ? "yes" : "NO", max_depth);
	rt_printf("qsort checksum=%016llx\n", (unsigned long long)weighted);
	return (bad != 0) | (!perm) << 1;
}

int main(void)
{
	return rt_repeat(pass);
}
