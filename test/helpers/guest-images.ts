// Finding and running the committed guest images.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Machine, type MachineOptions } from '../../src/api/index.js';

export const BUILD = join(__dirname, '../../guest-images/build');
/** Far above any image's needs: a hang shows up as a failure, not a stuck test run. */
export const MAX_INSNS = 300_000_000;

export function elfFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.elf')).sort().map((f) => join(dir, f));
}

export function runImage(path: string, options: MachineOptions & { maxInsns?: number } = {}) {
  const chunks: Buffer[] = [];
  const machine = new Machine({ ...options, output: (_fd, b) => chunks.push(Buffer.from(b)) });
  machine.loadElf(new Uint8Array(readFileSync(path)), path);
  const outcome = machine.run({ maxInsns: options.maxInsns ?? MAX_INSNS });
  return { outcome, output: Buffer.concat(chunks).toString('latin1'), machine };
}
