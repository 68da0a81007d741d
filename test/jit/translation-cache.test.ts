// The translation cache under pressure: a tiny size bound forces whole-TC flushes, and
// everything must still run exactly as on the interpreter.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/api/index.js';
import { BUILD } from '../helpers/guest-images.js';

function run(name: string, options: ConstructorParameters<typeof Machine>[0]) {
  const out: number[] = [];
  const m = new Machine({ ...options, output: (_fd, b) => out.push(...b) });
  m.loadElf(new Uint8Array(readFileSync(join(BUILD, `${name}.elf`))), name);
  const outcome = m.run({ maxInsns: 100_000_000 });
  return { m, outcome, out: Buffer.from(out).toString('latin1') };
}

describe('translation cache', () => {
  it('flushes when full and still agrees with the interpreter', () => {
    const ref = run('bytecode', { engine: 'interp' });
    const jit = run('bytecode', { engine: 'jit', jit: { maxFragments: 64, batch: 4, compileThreshold: 0 } });
    expect(jit.outcome).toEqual(ref.outcome);
    expect(jit.out).toBe(ref.out);
    expect(jit.m.instructionCount).toBe(ref.m.instructionCount);
    expect(jit.m.counters().jit!.flushes).toBeGreaterThan(10);
  });

  it('shares fragments when the same image is loaded again', () => {
    const m = new Machine({ engine: 'jit', jit: { compileThreshold: 0 } });
    const image = new Uint8Array(readFileSync(join(BUILD, 'crc32.elf')));
    m.loadElf(image, 'crc32');
    m.run();
    const first = m.counters().jit!.translations;
    m.loadElf(image, 'crc32');
    expect(m.run()).toEqual({ kind: 'exit', code: 0 });
    expect(m.counters().jit!.translations).toBe(first); // no unit translated twice
  });

  it('rejects a TLB size that is not a power of two', () => {
    expect(() => new Machine({ engine: 'jit', jit: { tlbEntries: 100 } })).toThrow(/power of two/);
  });
});
