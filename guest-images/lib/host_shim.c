/*
 * Native shim: lets a workload's unchanged C source run on the build host,
 * to produce the reference output (build/<name>.expected).
 */
#include <stdio.h>
#include <stdlib.h>
#include "rt.h"

void rt_putc(int c)
{
	putchar(c);
}

void rt_exit(int code)
{
	fflush(stdout);
	exit(code);
}
