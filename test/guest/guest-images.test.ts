// Every committed guest image runs to a pass under the reference interpreter, and the
// workloads print exactly the output their native build printed.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/api/index.js';

const BUILD = join(__dirname, '../../guest-images/build');
/** Far above any image's needs: a hang shows up as a failure, not a stuck test run. */
const MAX_INSNS = 300_000_000;

function images(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.elf')).sort().map((f) => join(dir, f));
}

export function runImage(path: string, options: { maxInsns?: number } = {}) {
  const chunks: Buffer[] = [];
  const m = new Machine({ output: (_fd, b) => chunks.push(Buffer.from(b)) });
  m.loadElf(new Uint8Array(readFileSync(path)), path);
  const outcome = m.run({ maxInsns: options.maxInsns ?? MAX_INSNS });
  return { outcome, output: Buffer.concat(chunks).toString('latin1'), machine: m };
}

const all = [...images(BUILD), ...images(join(BUILD, 'tests'))];

describe('guest images (interpreter)', () => {
  it('has images to run', () => {
    expect(all.length).toBeGreaterThan(10);
  });
  for (const path of all) {
    const name = path.slice(BUILD.length + 1);
    it(name, () => {
      const { outcome, output } = runImage(path);
      expect(outcome, output.slice(-2000)).toEqual({ kind: 'exit', code: 0 });
      const expectedFile = path.replace(/\.elf$/, '.expected');
      if (existsSync(expectedFile)) expect(output).toBe(readFileSync(expectedFile, 'latin1'));
    });
  }
});
