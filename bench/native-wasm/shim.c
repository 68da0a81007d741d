/*
 * The runtime of the native-Wasm builds (bench/exec.ts): what guest-images/lib/rt.c
 * gives the RISC-V images, for a wasm32 module with no C library.
 *
 *   imports  env.putchar(c)   one byte of console output
 *            env.exit(code)   end of the run; the host throws, so it never returns
 *   exports  run() -> int     runs main() (rvwasm_scale passes, lib/fmt.c) and returns
 *                             its exit code
 *            rvwasm_scale     the address of the scale knob (a global holding it)
 *            memory
 *
 * The memory routines are the same byte loops with an 8-byte path as rt.c's, so the
 * native code does the same work as the guest's (this file is built -ffreestanding, so
 * the loops are not turned back into calls or memory.copy).
 */
#include "rt.h"

__attribute__((import_module("env"), import_name("putchar")))
void host_putchar(int c);
__attribute__((import_module("env"), import_name("exit"), noreturn))
void host_exit(int code);

void rt_putc(int c)
{
	host_putchar(c);
}

void rt_exit(int code)
{
	host_exit(code);
}

int main(void);

__attribute__((export_name("run")))
int run(void)
{
	return main();
}
