/*
 * crc32: table-driven CRC-32 (the IEEE 802.3 / zlib polynomial, reflected
 * form 0xEDB88320, initial value and final xor 0xFFFFFFFF) over a generated
 * buffer.  The check value CRC-32("123456789") = 0xCBF43926 comes from the
 * catalogue of parametrised CRC algorithms.
 */
#include "rt.h"
#include "prng.h"

#define BUF_LEN (256u * 1024u)

static uint32_t crc_table[256];
static uint8_t buf[BUF_LEN];

static void crc_init(void)
{
	for (uint32_t n = 0; n < 256; n++) {
		uint32_t c = n;
		for (int k = 0; k < 8; k++)
			c = (c & 1) ? (c >> 1) ^ 0xedb88320u : c >> 1;
		crc_table[n] = c;
	}
}

/* Continue a CRC: pass 0 to start; the pre/post inversion is internal. */
static uint32_t crc_update(uint32_t crc, const uint8_t *p, size_t n)
{
	uint32_t c = ~crc;
	for (size_t i = 0; i < n; i++)
		c = crc_table[(c ^ p[i]) & 0xff] ^ (c >> 8);
	return ~c;
}

/* One whole run; main repeats it rvwasm_scale times (rt.h). */
static int pass(void)
{
	int failures = 0;

	crc_init();

	static const uint8_t check[] = "123456789";
	uint32_t cv = crc_update(0, check, 9);
	rt_printf("crc32 check(\"123456789\") = %08x %s\n", cv,
		  cv == 0xcbf43926u ? "ok" : "BAD");
	failures += cv != 0xcbf43926u;

	prng_t r = { 0x43524333320000ULL };
	prng_fill(&r, buf, BUF_LEN);

	/* Pass 1: the whole buffer at once. */
	uint32_t whole = crc_update(0, buf, BUF_LEN);
	rt_printf("crc32 buffer[%u] = %08x\n", BUF_LEN, whole);

	/* Pass 2: the same bytes in uneven pieces must give the same CRC. */
	static const uint32_t pieces[] = { 1, 7, 4096, 65535, 3, 100000 };
	uint32_t chained = 0;
	size_t off = 0;
	for (size_t i = 0; i < sizeof pieces / sizeof pieces[0]; i++) {
		chained = crc_update(chained, buf + off, pieces[i]);
		off += pieces[i];
	}
	chained = crc_update(chained, buf + off, BUF_LEN - off);
	rt_printf("crc32 chained = %08x %s\n", chained,
		  chained == whole ? "ok" : "BAD");
	failures += chained != whole;

	/* Pass 3: sliding windows at odd offsets, folded together. */
	uint32_t fold = 0;
	for (uint32_t k = 0; k < 8; k++) {
		uint32_t start = k * 4099u + 1;
		uint32_t len = BUF_LEN / 8 + k * 8191u;
		uint32_t c = crc_update(0, buf + start, len);
		fold = (fold << 5 | fold >> 27) ^ c;
		rt_printf("crc32 window[%u+%u] = %08x\n", start, len, c);
	}
	rt_printf("crc32 fold = %08x\n", fold);

	return failures;
}

int main(void)
{
	return rt_repeat(pass);
}
