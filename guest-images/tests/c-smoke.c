/*
 * c-smoke.c - compiler-generated code, the kind a JIT meets in real programs: loops,
 * recursion, calls through function pointers, a switch compiled to a jump table,
 * 64-bit multiply/divide, struct copies, byte/halfword/word traffic, __atomic builtins
 * (AMOs, LR/SC loops), sorting, a CRC-32 and an FNV hash, all checked against values
 * computed independently. Built with -O2 for rv64imac (compressed instructions included).
 */
#include <stdint.h>
#include <stddef.h>

void c_fail(long test, unsigned long got, unsigned long expected);
const char test_name[] = "c-smoke";

#define CHECK(n, got, exp) do { unsigned long g_ = (unsigned long)(got), e_ = (unsigned long)(exp); \
    if (g_ != e_) c_fail((n), g_, e_); } while (0)

static uint32_t crc32(const uint8_t *p, size_t n) {
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xedb88320u & -(c & 1));
    }
    return ~c;
}

static uint64_t fnv1a(const char *s) {
    uint64_t h = 0xcbf29ce484222325ull;
    while (*s) { h ^= (uint8_t)*s++; h *= 0x100000001b3ull; }
    return h;
}

static long fib(long n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static long op_add(long a, long b) { return a + b; }
static long op_sub(long a, long b) { return a - b; }
static long op_mul(long a, long b) { return a * b; }
static long op_div(long a, long b) { return a / b; }
static long (*const ops[])(long, long) = { op_add, op_sub, op_mul, op_div };

static __attribute__((noinline)) int classify(int x) {
    switch (x) {
    case 0: return 11; case 1: return 23; case 2: return 37; case 3: return 41;
    case 4: return 53; case 5: return 67; case 6: return 71; case 7: return 89;
    default: return -1;
    }
}

struct rec { uint8_t a; uint16_t b; uint32_t c; uint64_t d; char name[13]; };

static void sort(int32_t *v, int n) {           /* insertion sort */
    for (int i = 1; i < n; i++) {
        int32_t x = v[i]; int j = i - 1;
        while (j >= 0 && v[j] > x) { v[j + 1] = v[j]; j--; }
        v[j + 1] = x;
    }
}

static volatile uint64_t shared;
static struct rec recs[4];

int test_main(void) {
    static const uint8_t msg[] = "The quick brown fox jumps over the lazy dog";
    CHECK(1, crc32(msg, sizeof msg - 1), 0x414fa339u);
    CHECK(2, fnv1a("rvwasm"), 0x89e40f2389b04551ull);
    CHECK(3, fib(20), 6765);
    long acc = 1000;
    for (int i = 0; i < 4; i++) acc = ops[i](acc, 7 + i);
    CHECK(4, acc, ((1000 + 7 - 8) * 9) / 10);
    int sum = 0;
    for (int i = -2; i < 10; i++) sum += classify(i);
    CHECK(5, sum, 11 + 23 + 37 + 41 + 53 + 67 + 71 + 89 - 4);
    volatile uint64_t a = 0xfedcba9876543210ull, b = 0x0123456789abcdefull;
    CHECK(6, a * b, 0xfedcba9876543210ull * 0x0123456789abcdefull);
    CHECK(7, a / 12345, 0xfedcba9876543210ull / 12345);
    CHECK(8, (int64_t)a % -777, (int64_t)0xfedcba9876543210ull % -777);
    CHECK(9, (uint64_t)(((unsigned __int128)a * b) >> 64), 0x0121fa00ad77d742ull);
    struct rec r = { 0x12, 0x3456, 0x789abcde, 0x0fedcba987654321ull, "hello, world" };
    for (int i = 0; i < 4; i++) { recs[i] = r; recs[i].a += i; recs[i].name[0] += i; }
    CHECK(10, recs[3].a, 0x15);
    CHECK(11, recs[2].name[0], 'j');
    CHECK(12, recs[1].d ^ recs[1].c ^ recs[1].b, 0x0fedcba987654321ull ^ 0x789abcde ^ 0x3456);
    int32_t v[16];
    uint32_t seed = 12345;
    for (int i = 0; i < 16; i++) { seed = seed * 1103515245u + 12345u; v[i] = (int32_t)seed >> 8; }
    sort(v, 16);
    int ok = 1;
    for (int i = 1; i < 16; i++) ok &= v[i - 1] <= v[i];
    CHECK(13, ok, 1);
    shared = 5;
    __atomic_fetch_add(&shared, 10, __ATOMIC_SEQ_CST);
    uint64_t expected = 15;
    int swapped = __atomic_compare_exchange_n(&shared, &expected, 99, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    CHECK(14, swapped, 1);
    CHECK(15, shared, 99);
    expected = 1;
    swapped = __atomic_compare_exchange_n(&shared, &expected, 7, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    CHECK(16, swapped, 0);
    CHECK(17, expected, 99);
    CHECK(18, __atomic_exchange_n(&shared, 3, __ATOMIC_ACQ_REL), 99);
    CHECK(19, __atomic_fetch_or(&shared, 0x30, __ATOMIC_RELAXED), 3);
    CHECK(20, shared, 0x33);
    return 0;
}
