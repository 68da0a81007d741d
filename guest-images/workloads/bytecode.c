/*
 * bytecode: a small stack-machine interpreter.  A tiny assembler in C builds
 * three programs (trial-division primes, recursive Fibonacci, Collatz chain
 * lengths); the interpreter runs them with a switch-dispatched loop and
 * reports their printed values, the number of VM instructions executed and a
 * checksum over everything printed.
 */
#include "rt.h"

enum {
	OP_HALT, OP_PUSH, OP_LOAD, OP_STORE, OP_INC,
	OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD,
	OP_LT, OP_LE, OP_EQ, OP_NOT,
	OP_DUP, OP_DROP, OP_SWAP, OP_OVER,
	OP_JMP, OP_JZ, OP_JNZ, OP_CALL, OP_RET,
	OP_PRINT,
};

/* ---- assembler ------------------------------------------------------------ */

#define CODE_MAX 1024
#define LABEL_MAX 64
#define FIX_MAX 128

static int32_t code[CODE_MAX];
static int ncode;
static int label_at[LABEL_MAX];
static int nlabels;
static struct { int at, label; } fixes[FIX_MAX];
static int nfixes;
static int asm_error;

static void asm_reset(void)
{
	ncode = nlabels = nfixes = 0;
}

static void emit(int32_t w)
{
	if (ncode < CODE_MAX)
		code[ncode++] = w;
	else
		asm_error = 1;
}

static void op(int o) { emit(o); }
static void op1(int o, int32_t arg) { emit(o); emit(arg); }

static int label(void)
{
	if (nlabels >= LABEL_MAX) {
		asm_error = 1;
		return 0;
	}
	label_at[nlabels] = -1;
	return nlabels++;
}

static void bind(int l) { label_at[l] = ncode; }

static void jump(int o, int l)
{
	emit(o);
	if (nfixes < FIX_MAX) {
		fixes[nfixes].at = ncode;
		fixes[nfixes].label = l;
		nfixes++;
	} else {
		asm_error = 1;
	}
	emit(0);
}

static void asm_link(void)
{
	for (int i = 0; i < nfixes; i++) {
		int target = label_at[fixes[i].label];
		if (target < 0)
			asm_error = 1;
		code[fixes[i].at] = target;
	}
}

/* ---- interpreter ------------------------------------------------------------ */

#define STACK_MAX 256
#define RSTACK_MAX 256
#define VARS 8

typedef struct {
	uint64_t steps;
	uint64_t out_hash;
	int nout;
	int error;
} vm_result;

static vm_result run(const int32_t *prog, int len)
{
	int64_t st[STACK_MAX];
	int32_t rst[RSTACK_MAX];
	int64_t var[VARS] = { 0 };
	int sp = 0, rsp = 0, pc = 0;
	vm_result res = { 0, 0xcbf29ce484222325ULL, 0, 0 };

#define NEED(k) do { if (sp < (k)) goto fault; } while (0)
#define ROOM(k) do { if (sp + (k) > STACK_MAX) goto fault; } while (0)
#define ARG() do { if (pc >= len) goto fault; arg = prog[pc++]; } while (0)

	for (;;) {
		if (pc < 0 || pc >= len)
			goto fault;
		int32_t o = prog[pc++];
		res.steps++;
		int64_t x, y;
		int32_t arg;
		switch (o) {
		case OP_HALT:
			return res;
		case OP_PUSH:
			ARG();
			ROOM(1);
			st[sp++] = arg;
			break;
		case OP_LOAD:
			ARG();
			if ((uint32_t)arg >= VARS)
				goto fault;
			ROOM(1);
			st[sp++] = var[arg];
			break;
		case OP_STORE:
			ARG();
			if ((uint32_t)arg >= VARS)
				goto fault;
			NEED(1);
			var[arg] = st[--sp];
			break;
		case OP_INC:
			ARG();
			if ((uint32_t)arg >= VARS)
				goto fault;
			var[arg] = (int64_t)((uint64_t)var[arg] + 1);
			break;
		case OP_ADD:
			NEED(2);
			y = st[--sp];
			st[sp - 1] = (int64_t)((uint64_t)st[sp - 1] + (uint64_t)y);
			break;
		case OP_SUB:
			NEED(2);
			y = st[--sp];
			st[sp - 1] = (int64_t)((uint64_t)st[sp - 1] - (uint64_t)y);
			break;
		case OP_MUL:
			NEED(2);
			y = st[--sp];
			st[sp - 1] = (int64_t)((uint64_t)st[sp - 1] * (uint64_t)y);
			break;
		case OP_DIV:
		case OP_MOD:
			NEED(2);
			y = st[--sp];
			x = st[sp - 1];
			if (y == 0 || (y == -1 && x == INT64_MIN))
				goto fault;
			st[sp - 1] = o == OP_DIV ? x / y : x % y;
			break;
		case OP_LT:
			NEED(2);
			y = st[--sp];
			st[sp - 1] = st[sp - 1] < y;
			break;
		case OP_LE:
			NEED(2);
			y = st[--sp];
			st[sp - 1] = st[sp - 1] <= y;
			break;
		case OP_EQ:
			NEED(2);
			y = st[--sp];
			st[sp - 1] = st[sp - 1] == y;
			break;
		case OP_NOT:
			NEED(1);
			st[sp - 1] = !st[sp - 1];
			break;
		case OP_DUP:
			NEED(1);
			ROOM(1);
			st[sp] = st[sp - 1];
			sp++;
			break;
		case OP_DROP:
			NEED(1);
			sp--;
			break;
		case OP_SWAP:
			NEED(2);
			x = st[sp - 1];
			st[sp - 1] = st[sp - 2];
			st[sp - 2] = x;
			break;
		case OP_OVER:
			NEED(2);
			ROOM(1);
			st[sp] = st[sp - 2];
			sp++;
			break;
		case OP_JMP:
			ARG();
			pc = arg;
			break;
		case OP_JZ:
		case OP_JNZ:
			ARG();
			NEED(1);
			x = st[--sp];
			if ((x == 0) == (o == OP_JZ))
				pc = arg;
			break;
		case OP_CALL:
			ARG();
			if (rsp >= RSTACK_MAX)
				goto fault;
			rst[rsp++] = pc;
			pc = arg;
			break;
		case OP_RET:
			if (rsp == 0)
				goto fault;
			pc = rst[--rsp];
			break;
		case OP_PRINT:
			NEED(1);
			x = st[--sp];
			rt_printf("  vm print %lld\n", (long long)x);
			res.out_hash = (res.out_hash ^ (uint64_t)x) * 0x100000001b3ULL;
			res.nout++;
			break;
		default:
			goto fault;
		}
	}
fault:
	res.error = 1;
	rt_printf("  vm fault at pc=%d sp=%d\n", pc, sp);
	return res;
#undef NEED
#undef ROOM
#undef ARG
}

/* ---- programs ---------------------------------------------------------------- */

/* Count and sum the primes below `limit` by trial division. */
static void build_primes(int32_t limit)
{
	enum { N = 0, D = 1, COUNT = 2, SUM = 3, ISP = 4 };
	int loop = label(), done = label(), inner = label(), endin = label();
	int notprime = label(), next = label();

	op1(OP_PUSH, 2); op1(OP_STORE, N);
	op1(OP_PUSH, 0); op1(OP_STORE, COUNT);
	op1(OP_PUSH, 0); op1(OP_STORE, SUM);
	bind(loop);
	op1(OP_LOAD, N); op1(OP_PUSH, limit); op(OP_LT); jump(OP_JZ, done);
	op1(OP_PUSH, 2); op1(OP_STORE, D);
	op1(OP_PUSH, 1); op1(OP_STORE, ISP);
	bind(inner);
	op1(OP_LOAD, D); op(OP_DUP); op(OP_MUL); op1(OP_LOAD, N); op(OP_LE);
	jump(OP_JZ, endin);
	op1(OP_LOAD, N); op1(OP_LOAD, D); op(OP_MOD); jump(OP_JZ, notprime);
	op1(OP_INC, D); jump(OP_JMP, inner);
	bind(notprime);
	op1(OP_PUSH, 0); op1(OP_STORE, ISP);
	bind(endin);
	op1(OP_LOAD, ISP); jump(OP_JZ, next);
	op1(OP_INC, COUNT);
	op1(OP_LOAD, SUM); op1(OP_LOAD, N); op(OP_ADD); op1(OP_STORE, SUM);
	bind(next);
	op1(OP_INC, N); jump(OP_JMP, loop);
	bind(done);
	op1(OP_LOAD, COUNT); op(OP_PRINT);
	op1(OP_LOAD, SUM); op(OP_PRINT);
	op(OP_HALT);
}

/* fib(n) by naive recursion on the data stack: ( n -- fib(n) ). */
static void build_fib(int32_t n)
{
	int fib = label(), rec = label(), start = label();
	jump(OP_JMP, start);
	bind(fib);
	op(OP_DUP); op1(OP_PUSH, 2); op(OP_LT); jump(OP_JZ, rec);
	op(OP_RET);
	bind(rec);
	op(OP_DUP); op1(OP_PUSH, 1); op(OP_SUB); jump(OP_CALL, fib);
	op(OP_SWAP); op1(OP_PUSH, 2); op(OP_SUB); jump(OP_CALL, fib);
	op(OP_ADD); op(OP_RET);
	bind(start);
	op1(OP_PUSH, n); jump(OP_CALL, fib); op(OP_PRINT);
	op(OP_HALT);
}

/* Longest Collatz chain for starting values 1..limit: print start and length. */
static void build_collatz(int32_t limit)
{
	enum { I = 0, X = 1, LEN = 2, BEST = 3, BESTI = 4, TOTAL = 5 };
	int outer = label(), done = label(), chain = label(), endc = label();
	int odd = label(), stepped = label(), notbest = label();

	op1(OP_PUSH, 1); op1(OP_STORE, I);
	op1(OP_PUSH, 0); op1(OP_STORE, BEST);
	op1(OP_PUSH, 0); op1(OP_STORE, TOTAL);
	bind(outer);
	op1(OP_LOAD, I); op1(OP_PUSH, limit); op(OP_LE); jump(OP_JZ, done);
	op1(OP_LOAD, I); op1(OP_STORE, X);
	op1(OP_PUSH, 0); op1(OP_STORE, LEN);
	bind(chain);
	op1(OP_LOAD, X); op1(OP_PUSH, 1); op(OP_EQ); jump(OP_JNZ, endc);
	op1(OP_LOAD, X); op1(OP_PUSH, 2); op(OP_MOD); jump(OP_JNZ, odd);
	op1(OP_LOAD, X); op1(OP_PUSH, 2); op(OP_DIV); op1(OP_STORE, X);
	jump(OP_JMP, stepped);
	bind(odd);
	op1(OP_LOAD, X); op1(OP_PUSH, 3); op(OP_MUL); op1(OP_PUSH, 1); op(OP_ADD);
	op1(OP_STORE, X);
	bind(stepped);
	op1(OP_INC, LEN); jump(OP_JMP, chain);
	bind(endc);
	op1(OP_LOAD, TOTAL); op1(OP_LOAD, LEN); op(OP_ADD); op1(OP_STORE, TOTAL);
	op1(OP_LOAD, BEST); op1(OP_LOAD, LEN); op(OP_LT); jump(OP_JZ, notbest);
	op1(OP_LOAD, LEN); op1(OP_STORE, BEST);
	op1(OP_LOAD, I); op1(OP_STORE, BESTI);
	bind(notbest);
	op1(OP_INC, I); jump(OP_JMP, outer);
	bind(done);
	op1(OP_LOAD, BESTI); op(OP_PRINT);
	op1(OP_LOAD, BEST); op(OP_PRINT);
	op1(OP_LOAD, TOTAL); op(OP_PRINT);
	op(OP_HALT);
}

/* One whole run; main repeats it rvwasm_scale times (rt.h). */
static int pass(void)
{
	asm_error = 0;
	static const struct {
		const char *name;
		void (*build)(int32_t);
		int32_t arg;
	} progs[] = {
		{ "primes below", build_primes, 1600 },
		{ "fib", build_fib, 18 },
		{ "collatz up to", build_collatz, 250 },
	};
	uint64_t total_steps = 0, hash = 0;
	int failures = 0;

	for (unsigned i = 0; i < sizeof progs / sizeof progs[0]; i++) {
		asm_reset();
		progs[i].build(progs[i].arg);
		asm_link();
		if (asm_error) {
			rt_printf("bytecode: assembler error in %s\n", progs[i].name);
			return 1;
		}
		rt_printf("bytecode %s %d (%d words)\n", progs[i].name,
			  (int)progs[i].arg, ncode);
		vm_result r = run(code, ncode);
		rt_printf("  steps=%llu\n", (unsigned long long)r.steps);
		failures += r.error;
		total_steps += r.steps;
		hash = (hash << 7 | hash >> 57) ^ r.out_hash;
	}
	rt_printf("bytecode total steps=%llu checksum=%016llx\n",
		  (unsigned long long)total_steps, (unsigned long long)hash);
	return failures;
}

int main(void)
{
	return rt_repeat(pass);
}
