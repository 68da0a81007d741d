/*
 * init.c - the whole userspace of the rvwasm test kernel (guest-images/linux).
 *
 * A freestanding, static RV64 Linux program: no libc, no FPU instructions,
 * every system call is an `ecall` through the helpers below. It runs as PID 1
 * out of the built-in initramfs, reports what it finds on /dev/console and
 * powers the machine off. It never returns: PID 1 exiting panics the kernel.
 *
 * Output (one write(2) per line, so lines do not mix with kernel messages):
 *   rvwasm-init: reached userspace
 *   rvwasm-init: uname: <sysname> <release> <machine>
 *   rvwasm-init: initrd: <first line of /rvwasm-initrd.txt, if an initrd brought it>
 *   rvwasm-init: vda first bytes: <first 16 bytes as 32 lowercase hex digits>
 *   rvwasm-init: FAIL ...           (only when something went wrong)
 *   rvwasm-init: done, <n> failure(s), powering off
 *
 * Build (build.sh does this; the tiny flavor uses -march=rv64ima_zicsr):
 *   riscv64-linux-gnu-gcc -march=rv64imac_zicsr -mabi=lp64 -static -nostdlib \
 *     -ffreestanding -O2 -o init init.c
 */

typedef unsigned long size_t;
typedef long ssize_t;

/* asm-generic system call numbers (RISC-V uses the generic table). */
#define SYS_mkdirat 34
#define SYS_mount 40
#define SYS_openat 56
#define SYS_close 57
#define SYS_read 63
#define SYS_write 64
#define SYS_ppoll 73
#define SYS_sync 81
#define SYS_reboot 142
#define SYS_uname 160

#define AT_FDCWD (-100)
#define O_RDONLY 0
#define O_RDWR 2
#define O_NOCTTY 0400

#define ENOENT 2
#define EINTR 4
#define EBUSY 16
#define ENODEV 19

#define LINUX_REBOOT_MAGIC1 0xfee1deadUL
#define LINUX_REBOOT_MAGIC2 672274793UL
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedcUL

/* ---- system calls: a7 = number, a0..a4 = arguments, result in a0 ---- */

static inline long sys5(long n, long a, long b, long c, long d, long e)
{
	register long a7 __asm__("a7") = n;
	register long a0 __asm__("a0") = a;
	register long a1 __asm__("a1") = b;
	register long a2 __asm__("a2") = c;
	register long a3 __asm__("a3") = d;
	register long a4 __asm__("a4") = e;
	__asm__ volatile("ecall"
			 : "+r"(a0)
			 : "r"(a7), "r"(a1), "r"(a2), "r"(a3), "r"(a4)
			 : "memory");
	return a0;
}

static inline long sys3(long n, long a, long b, long c)
{
	register long a7 __asm__("a7") = n;
	register long a0 __asm__("a0") = a;
	register long a1 __asm__("a1") = b;
	register long a2 __asm__("a2") = c;
	__asm__ volatile("ecall" : "+r"(a0) : "r"(a7), "r"(a1), "r"(a2) : "memory");
	return a0;
}

static inline long sys1(long n, long a)
{
	register long a7 __asm__("a7") = n;
	register long a0 __asm__("a0") = a;
	__asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
	return a0;
}

static inline long sys0(long n)
{
	register long a7 __asm__("a7") = n;
	register long a0 __asm__("a0");
	__asm__ volatile("ecall" : "=r"(a0) : "r"(a7) : "memory");
	return a0;
}

/* The compiler may emit calls to these even in freestanding code. */
void *memset(void *d, int c, size_t n)
{
	volatile unsigned char *p = d;
	while (n--)
		*p++ = (unsigned char)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	volatile unsigned char *p = d;
	const unsigned char *q = s;
	while (n--)
		*p++ = *q++;
	return d;
}

/* ---- line output ---- */

static int con_fd = 1; /* the kernel opens /dev/console as fds 0-2 for init */
static int failures;

struct line {
	size_t len;
	char buf[512];
};

static void put_str(struct line *l, const char *s)
{
	while (*s && l->len < sizeof l->buf - 1)
		l->buf[l->len++] = *s++;
}

static void put_char(struct line *l, char c)
{
	if (l->len < sizeof l->buf - 1)
		l->buf[l->len++] = c;
}

static void put_dec(struct line *l, long v)
{
	char tmp[24];
	int n = 0;
	unsigned long u = v < 0 ? -(unsigned long)v : (unsigned long)v;

	if (v < 0)
		put_char(l, '-');
	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	while (n)
		put_char(l, tmp[--n]);
}

static void put_hex(struct line *l, unsigned long v, int digits)
{
	static const char hex[] = "0123456789abcdef";

	while (digits--)
		put_char(l, hex[(v >> (4 * digits)) & 15]);
}

/* Append '\n' and write the line with as few write(2) calls as possible. */
static void emit(struct line *l)
{
	size_t off = 0;

	l->buf[l->len++] = '\n';
	while (off < l->len) {
		long r = sys3(SYS_write, con_fd, (long)(l->buf + off), (long)(l->len - off));
		if (r == -EINTR)
			continue;
		if (r <= 0)
			break; /* nowhere left to report to */
		off += (size_t)r;
	}
	l->len = 0;
}

static void say(const char *msg)
{
	struct line l;

	l.len = 0;
	put_str(&l, "rvwasm-init: ");
	put_str(&l, msg);
	emit(&l);
}

/* "rvwasm-init: FAIL <what>: errno <n>" */
static void fail(const char *what, long err)
{
	struct line l;

	failures++;
	l.len = 0;
	put_str(&l, "rvwasm-init: FAIL ");
	put_str(&l, what);
	if (err) {
		put_str(&l, ": errno ");
		put_dec(&l, err);
	}
	emit(&l);
}

/* ---- the checks ---- */

/*
 * Mount an optional filesystem. ENODEV means the kernel was built without it
 * (the tiny flavor), which is not a failure; EBUSY means it is already there.
 * Returns 1 when the filesystem is mounted afterwards.
 */
static int mount_optional(const char *src, const char *dir, const char *type)
{
	struct line l;
	long r;

	sys3(SYS_mkdirat, AT_FDCWD, (long)dir, 0755); /* exists in the initramfs */
	r = sys5(SYS_mount, (long)src, (long)dir, (long)type, 0, 0);
	l.len = 0;
	put_str(&l, "rvwasm-init: ");
	put_str(&l, type);
	put_str(&l, " on ");
	put_str(&l, dir);
	if (r == 0 || r == -EBUSY) {
		put_str(&l, r == 0 ? ": mounted" : ": already mounted");
		emit(&l);
		return 1;
	}
	if (r == -ENODEV) {
		put_str(&l, ": not in this kernel, skipped");
		emit(&l);
		return 0;
	}
	fail(type, -r);
	return 0;
}

static void print_uname(void)
{
	/* struct new_utsname: six 65-byte strings */
	char u[6][65];
	struct line l;
	long r;

	r = sys1(SYS_uname, (long)u);
	if (r != 0) {
		fail("uname", -r);
		return;
	}
	for (int i = 0; i < 6; i++)
		u[i][64] = 0;
	l.len = 0;
	put_str(&l, "rvwasm-init: uname: ");
	put_str(&l, u[0]); /* sysname */
	put_char(&l, ' ');
	put_str(&l, u[2]); /* release */
	put_char(&l, ' ');
	put_str(&l, u[4]); /* machine */
	emit(&l);
	put_str(&l, "rvwasm-init: version: ");
	put_str(&l, u[3]);
	emit(&l);
}

/* Print a small text file (e.g. /proc/cmdline) on one line. */
static void print_file_line(const char *label, const char *path)
{
	char buf[256];
	struct line l;
	long fd, n;

	fd = sys3(SYS_openat, AT_FDCWD, (long)path, O_RDONLY);
	if (fd < 0) {
		fail(path, -fd);
		return;
	}
	n = sys3(SYS_read, fd, (long)buf, sizeof buf - 1);
	sys1(SYS_close, fd);
	if (n < 0) {
		fail(path, -n);
		return;
	}
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = 0;
	l.len = 0;
	put_str(&l, "rvwasm-init: ");
	put_str(&l, label);
	put_str(&l, ": ");
	put_str(&l, buf);
	emit(&l);
}

/*
 * An initramfs given to the boot loader (rvwasm boot --initrd) is unpacked over the
 * built-in one: a file only it holds shows that it arrived whole.
 */
static void check_initrd(void)
{
	long fd = sys3(SYS_openat, AT_FDCWD, (long)"/rvwasm-initrd.txt", O_RDONLY);

	if (fd < 0)
		return;
	sys1(SYS_close, fd);
	print_file_line("initrd", "/rvwasm-initrd.txt");
}

static void check_vda(int have_devtmpfs)
{
	static unsigned char sector[512];
	struct line l;
	long fd, got = 0;
	unsigned int h = 2166136261u; /* FNV-1a 32 */

	fd = sys3(SYS_openat, AT_FDCWD, (long)"/dev/vda", O_RDONLY);
	if (fd == -ENOENT) {
		say(have_devtmpfs ? "no /dev/vda" : "no /dev/vda (no devtmpfs)");
		return;
	}
	if (fd < 0) {
		fail("open /dev/vda", -fd);
		return;
	}
	while (got < (long)sizeof sector) {
		long r = sys3(SYS_read, fd, (long)(sector + got), (long)(sizeof sector - got));
		if (r == -EINTR)
			continue;
		if (r < 0) {
			fail("read /dev/vda", -r);
			sys1(SYS_close, fd);
			return;
		}
		if (r == 0)
			break;
		got += r;
	}
	sys1(SYS_close, fd);
	if (got < 16) {
		fail("read /dev/vda: short read", 0);
		return;
	}

	l.len = 0;
	put_str(&l, "rvwasm-init: vda first bytes: ");
	for (int i = 0; i < 16; i++)
		put_hex(&l, sector[i], 2);
	emit(&l);

	for (long i = 0; i < got; i++) {
		h ^= sector[i];
		h *= 16777619u;
	}
	put_str(&l, "rvwasm-init: vda read ");
	put_dec(&l, got);
	put_str(&l, " bytes, fnv1a32 ");
	put_hex(&l, h, 8);
	emit(&l);
}

static __attribute__((noreturn)) void power_off(void)
{
	struct line l;
	long r;

	l.len = 0;
	put_str(&l, "rvwasm-init: done, ");
	put_dec(&l, failures);
	put_str(&l, failures == 1 ? " failure, powering off" : " failures, powering off");
	emit(&l);

	sys0(SYS_sync);
	r = sys5(SYS_reboot, (long)LINUX_REBOOT_MAGIC1, (long)LINUX_REBOOT_MAGIC2,
		 (long)LINUX_REBOOT_CMD_POWER_OFF, 0, 0);
	fail("reboot(POWER_OFF) returned", -r);
	for (;;)
		sys5(SYS_ppoll, 0, 0, 0, 0, 0); /* sleep forever; never exit */
}

__attribute__((noreturn, used)) void init_main(long *sp)
{
	long fd;
	int have_dev, have_proc;

	(void)sp; /* argc, argv[], envp[] live here; unused */

	/* Normally already open as fds 0-2; open it again to be independent. */
	fd = sys3(SYS_openat, AT_FDCWD, (long)"/dev/console", O_RDWR | O_NOCTTY);
	if (fd >= 0)
		con_fd = (int)fd;

	say("reached userspace");
	if (fd < 0)
		fail("open /dev/console (writing to fd 1)", -fd);

	print_uname();
	have_dev = mount_optional("devtmpfs", "/dev", "devtmpfs");
	have_proc = mount_optional("proc", "/proc", "proc");
	mount_optional("sysfs", "/sys", "sysfs");
	if (have_proc)
		print_file_line("cmdline", "/proc/cmdline");
	check_initrd();
	check_vda(have_dev);
	power_off();
}

/*
 * Entry point. The kernel starts us with sp -> argc (16-byte aligned) and all
 * other registers zero. Set gp first: the linker may relax accesses to small
 * data into gp-relative ones.
 */
__asm__(".section .text._start, \"ax\", @progbits\n"
	".globl _start\n"
	".type _start, @function\n"
	"_start:\n"
	".option push\n"
	".option norelax\n"
	"	la gp, __global_pointer$\n"
	".option pop\n"
	"	mv a0, sp\n"
	"	call init_main\n"
	"1:	j 1b\n"
	".size _start, . - _start\n"
	".previous\n");
