/*
 * strings: hand-written string and memory routines (length, copy, concat,
 * compare, search, fill, move, number conversion) exercised over generated
 * strings, with cross-checks between independent implementations and an
 * FNV-1a checksum over every result.
 */
#include "rt.h"
#include "prng.h"

#define NSTR 600
#define POOL_WORDS (48u * 1024u / 8u)
#define WORK_BYTES 8192

/* Word-typed storage so the word-at-a-time strlen reads it legitimately. */
static uint64_t pool_w[POOL_WORDS];
#define pool ((unsigned char *)pool_w)
static uint32_t str_off[NSTR];
static uint16_t order[NSTR];
static unsigned char work[WORK_BYTES], work2[WORK_BYTES];
static char scratch[4096];

/* ---- the routines under test ---------------------------------------------- */

static size_t s_strlen(const char *s)
{
	const char *p = s;
	while (*p)
		p++;
	return (size_t)(p - s);
}

/* Word at a time: a word w holds a zero byte iff (w - 0x01..01) & ~w & 0x80..80. */
static size_t s_strlen_w(const unsigned char *s)
{
	const unsigned char *p = s;
	while ((uintptr_t)p & 7) {
		if (*p == 0)
			return (size_t)(p - s);
		p++;
	}
	const uint64_t *w = (const uint64_t *)p;
	for (;;) {
		uint64_t v = *w;
		if ((v - 0x0101010101010101ULL) & ~v & 0x8080808080808080ULL)
			break;
		w++;
	}
	p = (const unsigned char *)w;
	while (*p)
		p++;
	return (size_t)(p - s);
}

static char *s_strcpy(char *d, const char *s)
{
	char *r = d;
	while ((*d++ = *s++) != 0)
		;
	return r;
}

static char *s_strcat(char *d, const char *s)
{
	s_strcpy(d + s_strlen(d), s);
	return d;
}

static int s_strcmp(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;
	while (*p && *p == *q) {
		p++;
		q++;
	}
	return (int)*p - (int)*q;
}

static int s_strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;
	for (; n; n--, p++, q++) {
		if (*p != *q)
			return (int)*p - (int)*q;
		if (*p == 0)
			break;
	}
	return 0;
}

static const char *s_strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return s;
		if (*s == 0)
			return 0;
	}
}

static const char *s_strrchr(const char *s, int c)
{
	const char *last = 0;
	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (*s == 0)
			return last;
	}
}

static const char *s_strstr(const char *h, const char *n)
{
	if (*n == 0)
		return h;
	for (; *h; h++) {
		const char *a = h, *b = n;
		while (*a && *a == *b) {
			a++;
			b++;
		}
		if (*b == 0)
			return h;
	}
	return 0;
}

static void s_memcpy(unsigned char *d, const unsigned char *s, size_t n)
{
	while (n--)
		*d++ = *s++;
}

static void s_memmove(unsigned char *d, const unsigned char *s, size_t n)
{
	if (d < s) {
		while (n--)
			*d++ = *s++;
	} else {
		while (n--)
			d[n] = s[n];
	}
}

static void s_memset(unsigned char *d, int c, size_t n)
{
	while (n--)
		*d++ = (unsigned char)c;
}

static int s_memcmp(const unsigned char *a, const unsigned char *b, size_t n)
{
	for (; n; n--, a++, b++)
		if (*a != *b)
			return (int)*a - (int)*b;
	return 0;
}

static int s_utoa(uint64_t v, char *out)
{
	char tmp[24];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (int i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = 0;
	return n;
}

static uint64_t s_atou(const char *s)
{
	uint64_t v = 0;
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (uint64_t)(*s++ - '0');
	return v;
}

/* ---- checksum ------------------------------------------------------------------ */

static uint64_t hash = 0xcbf29ce484222325ULL;

static void mix(uint64_t v)
{
	for (int i = 0; i < 8; i++) {
		hash = (hash ^ (v & 0xff)) * 0x100000001b3ULL;
		v >>= 8;
	}
}

static void mix_bytes(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		hash = (hash ^ p[i]) * 0x100000001b3ULL;
}

static const char *str(int i)
{
	return (const char *)pool + str_off[i];
}

/* One whole run; main repeats it rvwasm_scale times (rt.h). */
static int pass(void)
{
	/* Reset what earlier passes changed: the checksum, and work2 (which
	 * step 5 only partly overwrites; it starts out zero). */
	hash = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < WORK_BYTES; i++)
		work2[i] = 0;
	prng_t r = { 0x5354524e47530000ULL };
	int errors = 0;

	/* Generate NUL-terminated strings over a small alphabet, at varied
	 * alignments, leaving the tail of the pool zeroed so that word reads
	 * past a terminator stay inside it. */
	static const char alphabet[] = "acgtacgtACGT-_.";
	uint32_t off = 0;
	for (int i = 0; i < NSTR; i++) {
		uint64_t v = prng_next(&r);
		uint32_t len = (uint32_t)(v % 70);
		off += (uint32_t)(v >> 8) % 5;
		str_off[i] = off;
		for (uint32_t k = 0; k < len; k++)
			pool[off + k] = (unsigned char)
				alphabet[prng_next(&r) % (sizeof alphabet - 1)];
		pool[off + len] = 0;
		off += len + 1;
	}
	if (off + 16 > POOL_WORDS * 8) {
		rt_printf("strings: pool too small\n");
		return 1;
	}

	/* 1. Lengths: byte-wise and word-wise must agree. */
	uint64_t total_len = 0;
	for (int rep = 0; rep < 4; rep++)
		for (int i = 0; i < NSTR; i++) {
			size_t a = s_strlen(str(i));
			size_t b = s_strlen_w(pool + str_off[i]);
			errors += a != b;
			total_len += a;
		}
	mix(total_len);
	rt_printf("strings n=%d total_len=%llu\n", NSTR, (unsigned long long)total_len);

	/* 2. Copy and concatenate neighbours, compare against the sources. */
	uint64_t cat_len = 0;
	for (int i = 0; i + 1 < NSTR; i++) {
		s_strcpy(scratch, str(i));
		errors += s_strcmp(scratch, str(i)) != 0;
		s_strcat(scratch, str(i + 1));
		size_t la = s_strlen(str(i));
		errors += s_strncmp(scratch + la, str(i + 1), 4096) != 0;
		errors += s_strncmp(scratch, str(i), la) != 0;
		cat_len += s_strlen(scratch);
		mix_bytes((const unsigned char *)scratch, s_strlen(scratch));
	}
	mix(cat_len);
	rt_printf("strings concat_len=%llu\n", (unsigned long long)cat_len);

	/* 3. Sort the strings with s_strcmp (insertion sort) and hash the order. */
	for (int i = 0; i < NSTR; i++)
		order[i] = (uint16_t)i;
	uint64_t compares = 0;
	for (int i = 1; i < NSTR; i++) {
		uint16_t x = order[i];
		int j = i - 1;
		while (j >= 0 && (compares++, s_strcmp(str(order[j]), str(x)) > 0)) {
			order[j + 1] = order[j];
			j--;
		}
		order[j + 1] = x;
	}
	for (int i = 1; i < NSTR; i++)
		errors += s_strcmp(str(order[i - 1]), str(order[i])) > 0;
	for (int i = 0; i < NSTR; i++)
		mix(order[i]);
	rt_printf("strings sorted: first=\"%s\" last=\"%s\" compares=%llu\n",
		  str(order[0]), str(order[NSTR - 1]), (unsigned long long)compares);

	/* 4. Searching: substring occurrences, first/last character. */
	static const char *const needles[] = { "acg", "gt", "tac", "AC", "cgta", "-_" };
	for (unsigned k = 0; k < sizeof needles / sizeof needles[0]; k++) {
		uint64_t hits = 0, posx = 0;
		for (int i = 0; i < NSTR; i++) {
			const char *h = str(i);
			const char *p;
			while ((p = s_strstr(h, needles[k])) != 0) {
				hits++;
				posx += (uint64_t)(p - str(i));
				h = p + 1;
			}
		}
		mix(hits);
		mix(posx);
		rt_printf("strings strstr(\"%s\") hits=%llu\n", needles[k],
			  (unsigned long long)hits);
	}
	uint64_t chr = 0;
	for (int i = 0; i < NSTR; i++) {
		const char *f = s_strchr(str(i), 'g');
		const char *l = s_strrchr(str(i), 'g');
		if (f)
			chr += (uint64_t)(f - str(i)) + 1000 * (uint64_t)(l - str(i));
		errors += (f == 0) != (l == 0);
		errors += s_strchr(str(i), 0) != str(i) + s_strlen(str(i));
	}
	mix(chr);

	/* 5. Block operations at every small alignment and length. */
	prng_fill(&r, work, WORK_BYTES);
	for (int rep = 0; rep < 48; rep++) {
		size_t src = (size_t)(prng_next(&r) % 64);
		size_t dst = (size_t)(prng_next(&r) % 64);
		size_t n = 1024 + (size_t)(prng_next(&r) % 2048);
		s_memcpy(work2 + dst, work + src, n);
		errors += s_memcmp(work2 + dst, work + src, n) != 0;
		/* overlapping moves, both directions */
		s_memmove(work + src + 3, work + src, n);
		s_memmove(work + dst, work + dst + 5, n);
		s_memset(work2 + dst + n / 2, rep, n / 4);
		mix((uint64_t)s_memcmp(work, work2, WORK_BYTES / 2) & 0xffff);
	}
	mix_bytes(work, WORK_BYTES);
	mix_bytes(work2, WORK_BYTES);

	/* 6. Number round trips through decimal text. */
	uint64_t digits = 0;
	for (int i = 0; i < 2000; i++) {
		char buf[24];
		uint64_t v = prng_next(&r) >> (i % 64);
		digits += (uint64_t)s_utoa(v, buf);
		errors += s_atou(buf) != v;
		mix_bytes((const unsigned char *)buf, s_strlen(buf));
	}
	mix(digits);

	rt_printf("strings digits=%llu errors=%d\n", (unsigned long long)digits, errors);
	rt_printf("strings checksum=%016llx\n", (unsigned long long)hash);
	return errors != 0;
}

int main(void)
{
	return rt_repeat(pass);
}
