/*
 * rvwasm demo: a banner and a colour Mandelbrot set, drawn with 256-colour
 * ANSI escapes and upper-half-block characters (two pixels per character
 * cell).  The guest has no FPU, so the fractal is computed in 64-bit fixed
 * point (Q8.24): every multiply is an integer MUL followed by a shift.
 */
#include "rt.h"

#define FRAC 24
#define ONE ((int64_t)1 << FRAC)

/* ---- small output helpers --------------------------------------------------- */

static void put_uint(unsigned v)
{
	char buf[12];
	int n = 0;
	do {
		buf[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		rt_putc(buf[--n]);
}

static void fg(unsigned c)
{
	rt_puts("\x1b[38;5;");
	put_uint(c);
	rt_putc('m');
}

static void fg_bg(unsigned f, unsigned b)
{
	rt_puts("\x1b[38;5;");
	put_uint(f);
	rt_puts(";48;5;");
	put_uint(b);
	rt_putc('m');
}

static void reset(void)
{
	rt_puts("\x1b[0m");
}

/* ---- banner --------------------------------------------------------------------- */

#define GLYPH_ROWS 5

static const char *const glyphs[][GLYPH_ROWS] = {
	{ "#.##", "##..", "#...", "#...", "#..." },                  /* r */
	{ "#...#", "#...#", "#...#", ".#.#.", "..#.." },             /* v */
	{ "#.....#", "#.....#", "#..#..#", "#.#.#.#", ".#...#." },   /* w */
	{ ".###.", "....#", ".####", "#...#", ".####" },             /* a */
	{ ".####", "#....", ".###.", "....#", "####." },             /* s */
	{ "###.##.", "#..#..#", "#..#..#", "#..#..#", "#..#..#" },   /* m */
};

/* A left-to-right rainbow through the 6x6x6 colour cube. */
static const unsigned char rainbow[] = {
	196, 202, 208, 214, 220, 226, 190, 154, 118, 82, 46, 47, 48, 49, 50,
	51, 45, 39, 33, 27, 21, 57, 93, 129, 165, 201, 200, 199, 198, 197,
};

static void banner(void)
{
	const int nglyphs = (int)(sizeof glyphs / sizeof glyphs[0]);
	rt_putc('\n');
	for (int row = 0; row < GLYPH_ROWS; row++) {
		rt_puts("   ");
		int col = 0;
		for (int g = 0; g < nglyphs; g++) {
			for (const char *p = glyphs[g][row]; *p; p++, col++) {
				if (*p == '#') {
					fg(rainbow[(col + row) % sizeof rainbow]);
					rt_puts("\xe2\x96\x88\xe2\x96\x88"); /* two full blocks */
				} else {
					rt_puts("  ");
				}
			}
			rt_puts("  ");
			col++;
		}
		reset();
		rt_putc('\n');
	}
	rt_putc('\n');
	rt_puts("   \x1b[1mrvwasm\x1b[0m \xc2\xb7 RISC-V to WebAssembly binary translation\n");
	rt_puts("   guest: \x1b[1mRV64IMAC\x1b[0m + Zicsr + Zifencei, bare metal, M-mode, hart 0\n");
	rt_puts("   no FPU here: every pixel below is 64-bit fixed-point (Q8.24) integer math\n\n");
}

/* ---- Mandelbrot ----------------------------------------------------------------- */

#define COLS 78

/* Escape-time colours, slow escapes to fast: white-hot near the set, through
 * magenta, red, orange, yellow, green and cyan, down to deep blue far away. */
static const unsigned char palette[] = {
	17, 18, 19, 20, 21, 27, 33, 39, 45, 51, 50, 49, 48, 47, 46, 82,
	118, 154, 190, 226, 220, 214, 208, 202, 196, 197, 198, 199, 200, 201,
	207, 213, 219, 225, 231,
};
#define NPAL ((unsigned)sizeof palette)
#define INSIDE 16          /* black */

typedef struct {
	const char *title;
	int julia;             /* 0: Mandelbrot (c = pixel); 1: Julia set (z0 = pixel) */
	int64_t jx, jy;        /* the fixed c of a Julia set */
	int64_t cx, cy;        /* centre of the view */
	int64_t step;          /* width of one pixel */
	int rows;              /* character rows; twice as many pixel rows */
	int max_iter;
} view_t;

static uint64_t total_iters, total_pixels;

static unsigned isqrt(unsigned v)
{
	unsigned r = 0;
	while ((r + 1) * (r + 1) <= v)
		r++;
	return r;
}

/* Iterate z = z^2 + c from z0; colour by escape time. */
static unsigned escape(int64_t x, int64_t y, int64_t cx, int64_t cy, int max_iter)
{
	int i;
	for (i = 0; i < max_iter; i++) {
		int64_t x2 = (x * x) >> FRAC;
		int64_t y2 = (y * y) >> FRAC;
		if (x2 + y2 > 4 * ONE)
			break;
		y = ((x * y) >> (FRAC - 1)) + cy;   /* 2xy + cy */
		x = x2 - y2 + cx;
	}
	total_iters += (uint64_t)i;
	total_pixels++;
	if (i == max_iter)
		return INSIDE;
	/* Square-root scale: many colours for fast escapes, fewer for slow. */
	unsigned k = isqrt((unsigned)i * NPAL * NPAL / (unsigned)max_iter);
	return palette[k < NPAL ? k : NPAL - 1];
}

static void render(const view_t *v)
{
	const int64_t x0 = v->cx - (COLS / 2) * v->step;
	const int64_t y0 = v->cy - v->rows * v->step;   /* 2*rows pixel rows */

	rt_printf("   %s\n", v->title);
	for (int row = 0; row < v->rows; row++) {
		rt_puts("  ");
		unsigned cur_f = 1000, cur_b = 1000;
		for (int col = 0; col < COLS; col++) {
			int64_t px = x0 + col * v->step;
			int64_t py = y0 + (2 * row) * v->step;
			unsigned top, bot;
			if (v->julia) {
				top = escape(px, py, v->jx, v->jy, v->max_iter);
				bot = escape(px, py + v->step, v->jx, v->jy, v->max_iter);
			} else {
				top = escape(0, 0, px, py, v->max_iter);
				bot = escape(0, 0, px, py + v->step, v->max_iter);
			}
			if (top != cur_f || bot != cur_b) {
				fg_bg(top, bot);
				cur_f = top;
				cur_b = bot;
			}
			rt_puts("\xe2\x96\x80"); /* upper half block */
		}
		reset();
		rt_putc('\n');
	}
	rt_putc('\n');
}

int main(void)
{
	/* Fixed-point constants are written as ratios of integers: no floats. */
	static const view_t views[] = {
		{ "the Mandelbrot set, -2.2 < re < 0.8", 0, 0, 0,
		  -7 * ONE / 10, 0, 3 * ONE / COLS, 32, 96 },
		{ "a Julia set: c = -0.123 + 0.745i, the Douady rabbit", 1,
		  -123 * ONE / 1000, 745 * ONE / 1000,
		  0, 0, 3 * ONE / COLS, 24, 128 },
	};

	banner();
	for (unsigned i = 0; i < sizeof views / sizeof views[0]; i++)
		render(&views[i]);
	rt_printf("   %lu pixels, %lu iterations of z = z^2 + c\n",
		  (unsigned long)total_pixels, (unsigned long)total_iters);
	rt_puts("   \x1b[32mdone.\x1b[0m\n\n");
	return 0;
}
