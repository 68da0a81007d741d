// The mini-kernel (guest-images/kernel/): its self-check and its six benchmark workloads
// (selected by patching its knobs) must pass on the interpreter and leave the same
// state under the JIT in both MMU modes, with sensitive instructions trapped, called
// out or inline, and with guest RAM scattered over machine frames.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Machine, type MachineOptions } from '../../src/api/index.js';
import { parseElf } from '../../src/machine/elf.js';
import { BUILD, MAX_INSNS } from '../helpers/guest-images.js';

const KERNEL = join(BUILD, 'kernel', 'minikernel.elf');
const MEMORY_MIB = 32;
/** Workloads and the iterations each runs here (forkwait costs ~16k instructions a pair). */
const WORKLOADS: [string, number, number][] = [
  ['self-check', 0, 0], ['ptemod', 1, 200], ['forkwait', 2, 20], ['pgfault', 3, 200],
  ['random walk', 4, 2000], ['load stream', 5, 2000], ['load stream, paging off', 6, 2000],
];
const CONFIGURATIONS: Record<string, MachineOptions> = {
  'shadow, intc': { mmu: 'shadow' },
  'ept, intc': { mmu: 'ept' },
  'shadow, trap, scattered': { mmu: 'shadow', sensitive: 'trap', frames: 'scattered', jit: { tlbEntries: 16 } },
  'ept, callout, scattered': { mmu: 'ept', sensitive: 'callout', frames: 'scattered', jit: { tlbEntries: 16 } },
  'shadow, callout': { mmu: 'shadow', sensitive: 'callout' },
  'shadow, adaptive': { mmu: 'shadow', adaptive: 4 },
};

const image = new Uint8Array(readFileSync(KERNEL));
const symbols = parseElf(image, KERNEL).symbols;

function run(workload: number, iterations: number, options: MachineOptions) {
  const out: Buffer[] = [];
  const m = new Machine({ memoryMiB: MEMORY_MIB, output: (_fd, b) => out.push(Buffer.from(b)), ...options,
    jit: { compileThreshold: 0, ...options.jit } });
  m.loadElf(image, KERNEL);
  const poke = (name: string, value: number) => {
    const word = new Uint8Array(8);
    new DataView(word.buffer).setBigUint64(0, BigInt(value), true);
    m.writeMemory(symbols.get(name)!, word);
  };
  poke('kernel_workload', workload);
  if (iterations > 0) poke('kernel_iterations', iterations);
  const outcome = m.run({ maxInsns: MAX_INSNS });
  return {
    outcome,
    output: Buffer.concat(out).toString('latin1'),
    instructions: m.counters().instructions,
    registers: Array.from({ length: 32 }, (_, i) => m.getRegister(i)),
    ram: createHash('sha256').update(m.readMemory(0x8000_0000n, MEMORY_MIB << 20)).digest('hex'),
    jit: m.counters().jit,
  };
}

describe('mini-kernel', () => {
  for (const [name, workload, iterations] of WORKLOADS) {
    describe(name, () => {
      const reference = run(workload, iterations, { engine: 'interp' });
      it('passes its checks on the interpreter', () => {
        expect(reference.outcome, reference.output).toEqual({ kind: 'exit', code: 0 });
        expect(reference.output).toMatch(/ok/);
      });
      for (const [config, options] of Object.entries(CONFIGURATIONS)) {
        it(`ends in the interpreter's state under the jit [${config}]`, () => {
          const { jit, ...state } = run(workload, iterations, options);
          const { jit: _, ...expected } = reference;
          expect(state).toEqual(expected);
          // Paging workloads exercise the MMU mode.
          if (workload !== 6) expect(Object.values(jit!.mmu.counts).some((n) => n > 0)).toBe(true);
        });
      }
    });
  }
});
