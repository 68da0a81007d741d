// Running the same guest ELF under qemu-system-riscv64 for side-by-side figures. When
// QEMU is not installed the benchmarks say so instead of inventing a number.
import { spawnSync } from 'node:child_process';

export const QEMU = 'qemu-system-riscv64';

export function qemuInstalled(): boolean {
  return spawnSync(QEMU, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Wall-clock milliseconds of one whole QEMU run of `elf` (virt board, no firmware). */
export function qemuRunMillis(elf: string): number {
  const start = performance.now();
  const res = spawnSync(QEMU, ['-machine', 'virt', '-bios', 'none', '-nographic', '-m', '128M', '-kernel', elf],
    { stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 });
  const ms = performance.now() - start;
  if (res.status !== 0) throw new Error(`${QEMU} failed on ${elf}: ${res.stderr}`);
  return ms;
}

/** Median of `runs` QEMU runs. */
export function qemuMedianMillis(elf: string, runs: number): number {
  const times = Array.from({ length: runs }, () => qemuRunMillis(elf)).sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}
