/*
 * matmul: integer matrix multiply C = A * B (N x N, 32-bit wrap-around
 * arithmetic) in the cache-friendly i-k-j order, checked with Freivalds'
 * test: C*x must equal A*(B*x) for a vector x.
 */
#include "rt.h"
#include "prng.h"

#define N 112

static uint32_t A[N][N], B[N][N], C[N][N];

static void multiply(void)
{
	for (int i = 0; i < N; i++) {
		for (int j = 0; j < N; j++)
			C[i][j] = 0;
		for (int k = 0; k < N; k++) {
			uint32_t aik = A[i][k];
			for (int j = 0; j < N; j++)
				C[i][j] += aik * B[k][j];
		}
	}
}

static void mat_vec(uint32_t m[N][N], const uint32_t *x, uint32_t *y)
{
	for (int i = 0; i < N; i++) {
		uint32_t s = 0;
		for (int j = 0; j < N; j++)
			s += m[i][j] * x[j];
		y[i] = s;
	}
}

/* One whole run; main repeats it rvwasm_scale times (rt.h). */
static int pass(void)
{
	prng_t r = { 0x4d41544d554c0000ULL };
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) {
			uint64_t v = prng_next(&r);
			/* Small signed entries in A, full-range entries in B. */
			A[i][j] = (uint32_t)(v % 201) - 100u;
			B[i][j] = (uint32_t)(v >> 32);
		}

	multiply();

	/* Freivalds: compare C*x against A*(B*x). */
	static uint32_t x[N], bx[N], abx[N], cx[N];
	for (int i = 0; i < N; i++)
		x[i] = (uint32_t)prng_next(&r);
	mat_vec(B, x, bx);
	mat_vec(A, bx, abx);
	mat_vec(C, x, cx);
	int mismatch = 0;
	for (int i = 0; i < N; i++)
		mismatch += abx[i] != cx[i];

	uint32_t trace = 0;
	uint64_t sum = 0, h = 0xcbf29ce484222325ULL;
	for (int i = 0; i < N; i++) {
		trace += C[i][i];
		for (int j = 0; j < N; j++) {
			sum += C[i][j];
			h = (h ^ C[i][j]) * 0x100000001b3ULL;
		}
	}
	rt_printf("matmul n=%d trace=%08x sum=%016llx\n", N, trace,
		  (unsigned long long)sum);
	rt_printf("matmul C[0][0]=%08x C[%d][%d]=%08x\n", C[0][0], N - 1, N - 1,
		  C[N - 1][N - 1]);
	rt_printf("matmul hash=%016llx freivalds=%s\n", (unsigned long long)h,
		  mismatch ? "BAD" : "ok");
	return mismatch != 0;
}

int main(void)
{
	return rt_repeat(pass);
}
