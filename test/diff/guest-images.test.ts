// Every committed guest image under both engines: the JIT must leave exactly the state
// the interpreter leaves (registers, pc, privilege, CSRs, counters, RAM, console output,
// instruction count).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Machine, type MachineOptions } from '../../src/api/index.js';
import { BUILD, elfFiles, MAX_INSNS } from '../helpers/guest-images.js';

const MEMORY_MIB = 32;
const CSRS = [0x300, 0x301, 0x302, 0x303, 0x304, 0x305, 0x306, 0x30a, 0x320, 0x340, 0x341, 0x342, 0x343, 0x344,
  0x100, 0x104, 0x105, 0x106, 0x10a, 0x140, 0x141, 0x142, 0x143, 0x144, 0x180, 0xb00, 0xb02];
const OPTIONS: Record<string, MachineOptions> = { 'misaligned-trap.elf': { misaligned: 'trap' } };

function finalState(path: string, engine: 'jit' | 'interp') {
  const out: Buffer[] = [];
  // A low hot threshold puts most loops through tier 2.
  const m = new Machine({ engine, memoryMiB: MEMORY_MIB, jit: { hotThreshold: 50 }, output: (_fd, b) => out.push(Buffer.from(b)), ...OPTIONS[basename(path)] });
  m.loadElf(new Uint8Array(readFileSync(path)), path);
  const outcome = m.run({ maxInsns: MAX_INSNS });
  const { exceptions, interrupts, instructions, jit } = m.counters();
  if (jit) promotions += jit.tier2.promotions;
  return {
    outcome, pc: m.pc, privilege: m.privilege, instructions, exceptions, interrupts,
    registers: Array.from({ length: 32 }, (_, i) => m.getRegister(i)),
    csrs: CSRS.map((n) => `${n.toString(16)}=${m.readCsr(n).toString(16)}`),
    output: Buffer.concat(out).toString('latin1'),
    ram: createHash('sha256').update(m.readMemory(0x8000_0000n, MEMORY_MIB << 20)).digest('hex'),
  };
}

const images = [...elfFiles(BUILD), ...elfFiles(join(BUILD, 'tests'))];
let promotions = 0;

describe('guest images: jit and interp end in identical state', () => {
  it('has images', () => { expect(images.length).toBeGreaterThan(20); });
  for (const path of images) {
    it(path.slice(BUILD.length + 1), () => {
      const jit = finalState(path, 'jit');
      const interp = finalState(path, 'interp');
      expect(interp.outcome).toEqual({ kind: 'exit', code: 0 });
      expect(jit).toEqual(interp);
    });
  }
  it('exercised tier 2', () => {
    expect(promotions).toBeGreaterThan(20);
  });
});
