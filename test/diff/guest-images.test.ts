// Every committed guest image under the interpreter and under the JIT with every way of
// lowering sensitive instructions and both MMU modes: the JIT must leave exactly the
// state the interpreter leaves (registers, pc, privilege, CSRs, counters, RAM, console
// output, instruction count), whether sensitive instructions trap, call out, run inline,
// or adapt, and whether TLB misses go to shadow tables or nested walks.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Machine, type MachineOptions } from '../../src/api/index.js';
import { parseElf } from '../../src/machine/elf.js';
import { MAX_COMPILE_THRESHOLD } from '../../src/jit/engine.js';
import { BUILD, elfFiles, MAX_INSNS } from '../helpers/guest-images.js';

const MEMORY_MIB = 32;
const CSRS = [0x300, 0x301, 0x302, 0x303, 0x304, 0x305, 0x306, 0x30a, 0x320, 0x340, 0x341, 0x342, 0x343, 0x344,
  0x100, 0x104, 0x105, 0x106, 0x10a, 0x140, 0x141, 0x142, 0x143, 0x144, 0x180, 0xb00, 0xb02];
const OPTIONS: Record<string, MachineOptions> = { 'misaligned-trap.elf': { misaligned: 'trap' } };
/** The sensitive-instruction benchmarks loop this many times here (their default is for timing). */
const BENCH_ITERATIONS = 3000n;

/**
 * The JIT configurations: each lowering everywhere, a per-class mix, and adaptive from
 * trap (all with the default, shadow, MMU); and each MMU mode with guest RAM scattered
 * over machine frames and tiny TLBs, so misses, fills and flushes are frequent.
 */
const CONFIGURATIONS: Record<string, MachineOptions> = {
  trap: { sensitive: 'trap' },
  callout: { sensitive: 'callout' },
  intc: { sensitive: 'intc' },
  mixed: { sensitive: 'callout,counter=intc,status=trap,trap-setup=intc,ecall=trap,mmio=trap,xret=intc' },
  adaptive: { sensitive: 'trap', adaptive: 2 },
  'shadow-scattered': { mmu: 'shadow', frames: 'scattered', jit: { tlbEntries: 2 } },
  'ept-scattered': { mmu: 'ept', frames: 'scattered', jit: { tlbEntries: 4 } },
  // Cold code interpreted a few times first, then compiled: the two engines take turns.
  'warm-up': { jit: { compileThreshold: 3 } },
  // Compiled code that reads the VM base from its parameter instead of baking it in.
  'shared-code': { jit: { sharedCode: true } },
  // The fast interpreter alone (nothing is ever compiled), under each MMU mode.
  'fast-interp': { jit: { compileThreshold: MAX_COMPILE_THRESHOLD } },
  'fast-interp-ept': { mmu: 'ept', frames: 'scattered', jit: { tlbEntries: 4, compileThreshold: MAX_COMPILE_THRESHOLD } },
};

function finalState(path: string, options: MachineOptions) {
  const out: Buffer[] = [];
  // A low hot threshold puts most loops through tier 2; code is compiled on first use
  // (not interpreted while cold) unless a configuration says otherwise.
  const jit = options.engine === 'interp' ? {} : { jit: { hotThreshold: 50, compileThreshold: 0, ...options.jit } };
  const m = new Machine({ memoryMiB: MEMORY_MIB, output: (_fd, b) => out.push(Buffer.from(b)), ...OPTIONS[basename(path)], ...options, ...jit });
  const image = new Uint8Array(readFileSync(path));
  m.loadElf(image, path);
  const iterations = parseElf(image, path).symbols.get('bench_iterations');
  if (iterations !== undefined) {
    const word = new Uint8Array(8);
    new DataView(word.buffer).setBigUint64(0, BENCH_ITERATIONS, true);
    m.writeMemory(iterations, word);
  }
  const outcome = m.run({ maxInsns: MAX_INSNS });
  const counters = m.counters();
  return {
    state: {
      outcome, pc: m.pc, privilege: m.privilege,
      instructions: counters.instructions, exceptions: counters.exceptions, interrupts: counters.interrupts,
      registers: Array.from({ length: 32 }, (_, i) => m.getRegister(i)),
      csrs: CSRS.map((n) => `${n.toString(16)}=${m.readCsr(n).toString(16)}`),
      output: Buffer.concat(out).toString('latin1'),
      ram: createHash('sha256').update(m.readMemory(0x8000_0000n, MEMORY_MIB << 20)).digest('hex'),
    },
    jit: counters.jit,
  };
}

const images = [...elfFiles(BUILD), ...elfFiles(join(BUILD, 'tests')), ...elfFiles(join(BUILD, 'sensitive'))];
const reference = new Map<string, ReturnType<typeof finalState>['state']>();
function interpState(path: string) {
  let state = reference.get(path);
  if (!state) {
    state = finalState(path, { engine: 'interp' }).state;
    reference.set(path, state);
  }
  return state;
}

const seen = { interpreted: 0, promotions: 0, trapped: 0, callouts: 0, adapted: 0, hiddenFaults: 0, tracingFaults: 0, nestedWalks: 0 };

describe('guest images: the jit under every lowering and MMU mode ends in the interpreter\'s state', () => {
  it('has images', () => { expect(images.length).toBeGreaterThan(20); });
  for (const path of images) {
    const name = path.slice(BUILD.length + 1);
    it(`${name} (interp exits 0)`, () => {
      expect(interpState(path).outcome).toEqual({ kind: 'exit', code: 0 });
    });
    for (const [lowering, options] of Object.entries(CONFIGURATIONS)) {
      it(`${name} [${lowering}]`, () => {
        const { state, jit } = finalState(path, options);
        expect(state).toEqual(interpState(path));
        seen.promotions += jit!.tier2.promotions;
        if (lowering.startsWith('fast-interp')) {
          expect(jit!.translations).toBe(0);
          seen.interpreted += jit!.executors.fastInterpreter;
        }
        const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
        if (lowering === 'trap') seen.trapped += sum(jit!.monitorExits);
        if (lowering === 'callout') seen.callouts += sum(jit!.callouts);
        if (lowering === 'adaptive') seen.adapted += jit!.adaptive!.sitesAdapted;
        const mmu = jit!.mmu.counts;
        seen.hiddenFaults += mmu['hidden faults'] ?? 0;
        seen.tracingFaults += mmu['tracing faults'] ?? 0;
        // Walks of a translated address: more than the 3 references of a G-stage lookup alone.
        seen.nestedWalks += (jit!.mmu.histograms['references per walk'] ?? []).slice(4).reduce((a, b) => a + b, 0);
      });
    }
  }
  it('exercised the fast interpreter, tier 2, traps, callouts, adaptation and both MMU modes', () => {
    expect(seen.interpreted).toBeGreaterThan(10_000_000);
    expect(seen.promotions).toBeGreaterThan(20);
    expect(seen.trapped).toBeGreaterThan(1000);
    expect(seen.callouts).toBeGreaterThan(1000);
    expect(seen.adapted).toBeGreaterThan(50);
    expect(seen.hiddenFaults).toBeGreaterThan(1000);
    expect(seen.tracingFaults).toBeGreaterThan(100);
    expect(seen.nestedWalks).toBeGreaterThan(1000);
  });
});
