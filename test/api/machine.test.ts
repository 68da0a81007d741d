// The embedding API: state access, loading, limits and counters.
import { describe, expect, it } from 'vitest';
import { GuestImageError, Machine } from '../../src/api/index.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseElf } from '../../src/machine/elf.js';
import { TRAP_LOOP_LIMIT } from '../../src/machine/hart.js';
import { addi, finisher, spin, words } from '../helpers/asm.js';
import { BUILD } from '../helpers/guest-images.js';

describe('Machine', () => {
  it('runs a raw image to the finisher and counts instructions', () => {
    const m = new Machine();
    m.loadRaw(finisher(0x3333 | (9 << 16)));
    expect(m.pc).toBe(0x8000_0000n);
    expect(m.privilege).toBe(3);
    expect(m.run()).toEqual({ kind: 'exit', code: 9 });
    expect(m.instructionCount).toBe(4n);
    expect(m.counters().instructions).toEqual({ executed: 4, retired: 4 });
  });

  it('stops at an instruction limit and resumes exactly', () => {
    const m = new Machine();
    m.loadRaw(words(addi(5, 5, 1), addi(5, 5, 1), addi(5, 5, 1), spin()));
    expect(m.run({ maxInsns: 2 })).toEqual({ kind: 'limit' });
    expect(m.getRegister(5)).toBe(2n);
    expect(m.pc).toBe(0x8000_0008n);
    expect(m.run({ maxInsns: 1 })).toEqual({ kind: 'limit' });
    expect(m.getRegister(5)).toBe(3n);
    expect(m.instructionCount).toBe(3n);
  });

  it('reads and writes registers and memory', () => {
    const m = new Machine({ memoryMiB: 2 });
    m.setRegister(7, 0xffff_ffff_ffff_ffffn);
    expect(m.getRegister(7)).toBe(0xffff_ffff_ffff_ffffn);
    m.setRegister(0, 5n);
    expect(m.getRegister(0)).toBe(0n);
    m.writeMemory(0x8010_0000n, Uint8Array.of(1, 2, 3));
    expect([...m.readMemory(0x8010_0000n, 3)]).toEqual([1, 2, 3]);
    expect(() => m.readMemory(0x8020_0000n, 1)).toThrow(RangeError);
    expect(() => m.getRegister(32)).toThrow(RangeError);
  });

  it('reads CSRs', () => {
    const m = new Machine();
    expect(m.readCsr(0x301)).toBe(0x8000_0000_0014_1105n); // misa: RV64 ACIMSU
    expect(m.readCsr(0x300) >> 32n).toBe(0xan); // mstatus UXL = SXL = 2
    expect(() => m.readCsr(0x7c0)).toThrow(RangeError);
  });

  it('traces instructions with disassembly (interpreter only)', () => {
    expect(() => new Machine({ engine: 'jit' }).trace(() => {})).toThrow(/interp/);
    const m = new Machine({ engine: 'interp' });
    m.loadRaw(finisher(0x5555));
    const seen: string[] = [];
    m.trace((e) => seen.push(`${e.pc.toString(16)} ${e.text}`));
    m.run();
    expect(seen[0]).toBe('80000000 lui\tt0,0x100');
    expect(seen).toHaveLength(4);
  });

  it('starts trap-loop detection afresh when an image is reloaded', () => {
    // One exception per run, at the same retired count every time: reloading must not
    // let them add up to a "trap loop" (1000 exceptions with nothing retired in between).
    const path = join(BUILD, 'sensitive/syscall.elf');
    const image = new Uint8Array(readFileSync(path));
    const iterations = parseElf(image, path).symbols.get('bench_iterations')!;
    for (const engine of ['jit', 'interp'] as const) {
      const m = new Machine({ engine, memoryMiB: 4 });
      for (let i = 0; i < TRAP_LOOP_LIMIT + 5; i++) {
        m.loadElf(image);
        m.writeMemory(iterations, new Uint8Array(8)); // no loop: just the set-up's one ecall
        expect(m.run()).toEqual({ kind: 'exit', code: 0 });
      }
    }
  });

  it('rejects bad images with GuestImageError', () => {
    const m = new Machine();
    expect(() => m.loadElf(new Uint8Array([0x7f, 0x45]), 'x.elf')).toThrow(GuestImageError);
    expect(() => m.loadRaw(new Uint8Array(0))).toThrow(GuestImageError);
  });

  it('rejects bad options', () => {
    expect(() => new Machine({ memoryMiB: 0 })).toThrow(RangeError);
    expect(() => new Machine({ engine: 'warp' as 'interp' })).toThrow(/unknown engine/);
  });
});
