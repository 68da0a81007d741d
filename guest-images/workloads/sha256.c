/*
 * sha256: SHA-256 (FIPS 180-4) written from the specification, run over the
 * two short test messages of the standard's examples and over a generated
 * message whose length is not a multiple of the block size.
 */
#include "rt.h"
#include "prng.h"

#define MSG_LEN (40u * 1024u + 37u)

typedef struct {
	uint32_t h[8];
	uint8_t block[64];
	uint32_t fill;     /* bytes waiting in block[] */
	uint64_t total;    /* message length in bytes */
} sha256_ctx;

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t rotr(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static void sha256_compress(uint32_t h[8], const uint8_t *p)
{
	uint32_t w[64];
	for (int t = 0; t < 16; t++)
		w[t] = (uint32_t)p[4 * t] << 24 | (uint32_t)p[4 * t + 1] << 16 |
		       (uint32_t)p[4 * t + 2] << 8 | (uint32_t)p[4 * t + 3];
	for (int t = 16; t < 64; t++) {
		uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
		uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
		w[t] = w[t - 16] + s0 + w[t - 7] + s1;
	}

	uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
	uint32_t e = h[4], f = h[5], g = h[6], k = h[7];
	for (int t = 0; t < 64; t++) {
		uint32_t S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
		uint32_t ch = (e & f) ^ (~e & g);
		uint32_t t1 = k + S1 + ch + K[t] + w[t];
		uint32_t S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
		uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
		uint32_t t2 = S0 + maj;
		k = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	h[0] += a; h[1] += b; h[2] += c; h[3] += d;
	h[4] += e; h[5] += f; h[6] += g; h[7] += k;
}

static void sha256_init(sha256_ctx *c)
{
	static const uint32_t iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};
	for (int i = 0; i < 8; i++)
		c->h[i] = iv[i];
	c->fill = 0;
	c->total = 0;
}

static void sha256_update(sha256_ctx *c, const uint8_t *p, size_t n)
{
	c->total += n;
	while (n) {
		if (c->fill == 0 && n >= 64) {
			sha256_compress(c->h, p);
			p += 64;
			n -= 64;
			continue;
		}
		c->block[c->fill++] = *p++;
		n--;
		if (c->fill == 64) {
			sha256_compress(c->h, c->block);
			c->fill = 0;
		}
	}
}

static void sha256_final(sha256_ctx *c, uint8_t out[32])
{
	uint64_t bits = c->total * 8;
	c->block[c->fill++] = 0x80;
	if (c->fill > 56) {
		while (c->fill < 64)
			c->block[c->fill++] = 0;
		sha256_compress(c->h, c->block);
		c->fill = 0;
	}
	while (c->fill < 56)
		c->block[c->fill++] = 0;
	for (int i = 7; i >= 0; i--)
		c->block[c->fill++] = (uint8_t)(bits >> (8 * i));
	sha256_compress(c->h, c->block);
	for (int i = 0; i < 8; i++) {
		out[4 * i] = (uint8_t)(c->h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(c->h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(c->h[i] >> 8);
		out[4 * i + 3] = (uint8_t)c->h[i];
	}
}

static void hex32(char *dst, const uint8_t d[32])
{
	static const char hx[] = "0123456789abcdef";
	for (int i = 0; i < 32; i++) {
		dst[2 * i] = hx[d[i] >> 4];
		dst[2 * i + 1] = hx[d[i] & 15];
	}
	dst[64] = '\0';
}

static int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static uint8_t msg[MSG_LEN];

/* Hash n bytes, print the digest under `label`, compare with `want` if given. */
static int run(const char *label, const uint8_t *p, size_t n, const char *want)
{
	sha256_ctx c;
	uint8_t d[32];
	char hex[65];
	sha256_init(&c);
	sha256_update(&c, p, n);
	sha256_final(&c, d);
	hex32(hex, d);
	if (!want) {
		rt_printf("sha256 %s = %s\n", label, hex);
		return 0;
	}
	int ok = str_eq(hex, want);
	rt_printf("sha256 %s = %s %s\n", label, hex, ok ? "ok" : "BAD");
	return !ok;
}

/* One whole run; main repeats it rvwasm_scale times (rt.h). */
static int pass(void)
{
	int failures = 0;
	static const char abc[] = "abc";
	static const char two[] =
		"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

	failures += run("\"abc\"", (const uint8_t *)abc, 3,
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	failures += run("\"abcdbcde...nopq\"", (const uint8_t *)two, 56,
		"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");

	prng_t r = { 0x5348413235360000ULL };
	prng_fill(&r, msg, MSG_LEN);

	/* The whole message in one call ... */
	rt_printf("sha256 message is %u generated bytes\n", MSG_LEN);
	run("message", msg, MSG_LEN, 0);

	/* ... and fed in odd-sized slices, which must agree. */
	sha256_ctx c;
	uint8_t d1[32], d2[32];
	sha256_init(&c);
	sha256_update(&c, msg, MSG_LEN);
	sha256_final(&c, d1);
	sha256_init(&c);
	size_t off = 0, step = 1;
	while (off < MSG_LEN) {
		size_t n = step < MSG_LEN - off ? step : MSG_LEN - off;
		sha256_update(&c, msg + off, n);
		off += n;
		step = step * 3 + 1;
	}
	sha256_final(&c, d2);
	int same = 1;
	for (int i = 0; i < 32; i++)
		same &= d1[i] == d2[i];
	rt_printf("sha256 sliced = %s\n", same ? "ok" : "BAD");
	failures += !same;

	/* Hash chain: 64 rounds of digest-of-digest over prefixes. */
	uint8_t chain[32 + 64];
	for (int i = 0; i < 32; i++)
		chain[i] = d1[i];
	for (int round = 0; round < 64; round++) {
		for (int i = 0; i < 64; i++)
			chain[32 + i] = msg[round * 64 + i];
		sha256_init(&c);
		sha256_update(&c, chain, sizeof chain);
		sha256_final(&c, chain);
	}
	char hex[65];
	hex32(hex, chain);
	rt_printf("sha256 chain64 = %s\n", hex);

	return failures;
}

int main(void)
{
	return rt_repeat(pass);
}
