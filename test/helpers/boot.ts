// Booting firmware and kernels in tests: where Debian's packages put their files, and a
// run loop that types at the guest when a prompt appears.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Machine, type MachineOptions, type RunOutcome } from '../../src/api/index.js';
import type { BootOptions } from '../../src/api/machine.js';
import { BUILD } from './guest-images.js';

/** Debian's opensbi package. */
export const FW_JUMP = '/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.elf';
export const FW_DYNAMIC = '/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.elf';
/** Debian's u-boot-qemu package. */
export const UBOOT = '/usr/lib/u-boot/qemu-riscv64_smode/uboot.elf';
/** guest-images/linux/build.sh's outputs (not committed; CI builds them). */
export const LINUX_IMAGE = join(BUILD, 'linux/Image');
export const LINUX_TINY_IMAGE = join(BUILD, 'linux/Image-tiny');
export const SBI_CHECK = join(BUILD, 'sbi/sbi-check.elf');

/** Returns whether `path` exists; if not, says on stderr which tests it skips and why. */
export function present(path: string, what: string, remedy: string): boolean {
  if (existsSync(path)) return true;
  console.warn(`SKIPPED: ${what}: ${path} is missing (${remedy})`);
  return false;
}

export const read = (path: string) => new Uint8Array(readFileSync(path));

export interface Dialogue {
  /** When the console output (so far) ends with `prompt`, type `input`. */
  prompt: string;
  input: string;
}

/**
 * Boots and runs until the guest stops, `maxInsns` run out or the output matches
 * `until`, typing each dialogue line at its prompt (in order). Returns the outcome and
 * the console output.
 */
export function bootAndRun(options: MachineOptions, boot: BootOptions, maxInsns: number, dialogue: Dialogue[] = [], until?: RegExp) {
  let output = '';
  const machine = new Machine({ memoryMiB: 128, ...options, output: (_fd, b) => { output += Buffer.from(b).toString('latin1'); } });
  machine.boot(boot);
  const start = machine.instructionCount;
  let outcome: RunOutcome;
  const steps = [...dialogue];
  for (;;) {
    const left = maxInsns - Number(machine.instructionCount - start);
    outcome = machine.run({ maxInsns: Math.min(left, 2_000_000) });
    if (outcome.kind !== 'limit' || left <= 2_000_000 || (until && until.test(output))) break;
    if (steps.length > 0 && output.trimEnd().endsWith(steps[0].prompt.trimEnd())) {
      machine.sendInput(new TextEncoder().encode(steps.shift()!.input));
    }
  }
  return { outcome, output, machine, typed: dialogue.length - steps.length };
}

/** A cpio archive in the "newc" format the kernel unpacks as an initramfs: regular files only. */
export function cpioNewc(files: Record<string, string>): Uint8Array {
  const parts: Buffer[] = [];
  let ino = 1;
  const entry = (name: string, data: Buffer, mode: number) => {
    const fields = [ino++, mode, 0, 0, 1, 0, data.length, 0, 0, 0, 0, name.length + 1, 0];
    const header = `070701${fields.map((f) => f.toString(16).padStart(8, '0')).join('')}${name}\0`;
    parts.push(Buffer.from(header, 'latin1'), Buffer.alloc((4 - (header.length % 4)) % 4));
    parts.push(data, Buffer.alloc((4 - (data.length % 4)) % 4));
  };
  for (const [name, text] of Object.entries(files)) entry(name, Buffer.from(text), 0o100644);
  entry('TRAILER!!!', Buffer.alloc(0), 0);
  return new Uint8Array(Buffer.concat(parts));
}
