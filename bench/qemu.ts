// Running the same guest ELF under qemu-system-riscv64 for side-by-side figures. When
// QEMU is not installed the benchmarks say so instead of inventing a number.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

/** QEMU's version line, or 'not installed'. */
export function qemuVersion(): string {
  const r = spawnSync(QEMU, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0] : 'not installed';
}

let scratch: string | null = null;

/** A raw file holding `bytes`, made once per content in a scratch directory removed at exit. */
function patchFile(bytes: Uint8Array): string {
  if (scratch === null) {
    const dir = mkdtempSync(join(tmpdir(), 'rvwasm-bench-qemu-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    scratch = dir;
  }
  const file = join(scratch, `${Buffer.from(bytes).toString('hex')}.bin`);
  if (!existsSync(file)) writeFileSync(file, bytes);
  return file;
}

/**
 * One whole QEMU run of `elf` with `patch` written at guest address `address` (a knob in
 * the image's .data). `-device loader,file=` makes the bytes a ROM blob written after the
 * ELF's own segments on every reset, so they land on top of the ELF's word (`loader,data=`
 * would not: its value is stored before the ELF's blobs are copied).
 */
export function qemuRunPatched(elf: string, address: bigint, patch: Uint8Array, what: string, timeoutMs: number): { seconds: number; stdout: string } {
  const args = ['-machine', 'virt', '-bios', 'none', '-nographic', '-monitor', 'none', '-m', '128M', '-kernel', elf,
    '-device', `loader,file=${patchFile(patch)},addr=0x${address.toString(16)},force-raw=on`];
  const t = performance.now();
  const r = spawnSync(QEMU, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs, maxBuffer: 1 << 22 });
  const seconds = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`${QEMU} on ${elf} ${what}: exit ${r.status} ${r.signal ?? ''} ${r.stderr}`);
  return { seconds, stdout: r.stdout.toString('latin1') };
}
