// Differential fuzzing in CI: random RV64IMAC programs (test/diff/program-gen.ts) run on
// the JIT and on the reference interpreter must end in the same state, instruction for
// instruction. Until the JIT exists (ENGINES lacks 'jit') it compares the interpreter with
// itself, which checks the generator and the harness but not any JIT: it says so loudly.
//
// Longer runs: `npm run fuzz` (scripts/fuzz.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ENGINES, Machine } from '../../src/api/index.js';
import { decode } from '../../src/isa/decode.js';
import { Op } from '../../src/isa/opcodes.js';
import { MAX_COMPILE_THRESHOLD } from '../../src/jit/engine.js';
import {
  choosePlan, compareProgram, findFirstDivergence, formatListing, formatReport, minimize, pickEnginePair, type Comparison,
} from './compare.js';
import { COMPRESSED_FORMS, Mix } from './mix.js';
import { BASE, I, enc, li, programArbitrary, type Program } from './program-gen.js';

/** Fixed, so every CI run executes the same programs. Change it only together with MIN_INSTRUCTIONS if needed. */
const SEED = 20_250_607;
const RUNS = 120;
/** The test may not silently shrink: this many instructions must have run on each engine. */
const MIN_INSTRUCTIONS = 100_000;

const pair = pickEnginePair();
const JIT_OPTIONS = pair.candidate === 'jit' ? { jit: { hotThreshold: 3, regionUnits: 16, compileThreshold: 0 } } : undefined;
/** The other lowerings of sensitive instructions (the main run uses the default, intc), each on fewer programs. */
const LOWERINGS: Record<string, Record<string, unknown>> = {
  trap: { sensitive: 'trap' },
  callout: { sensitive: 'callout' },
  mixed: { sensitive: 'intc,csr-write=callout,status=trap,ecall=callout,mmio=trap,counter=trap' },
  adaptive: { sensitive: 'trap', adaptive: 1 },
  // The fast interpreter alone: nothing is compiled (cheap, so it runs as many programs as the main test).
  'fast-interp': { jit: { compileThreshold: MAX_COMPILE_THRESHOLD } },
  // The fast interpreter and compiled code taking turns.
  'warm-up': { jit: { hotThreshold: 3, regionUnits: 16, compileThreshold: 2 } },
};
const LOWERING_RUNS = 40;

describe('differential fuzzer', () => {
  it('encodes instructions that the decoder reads back as intended', () => {
    // A few spot checks per format against src/isa's decoder (itself checked against objdump).
    const cases: [number, Op, Partial<{ rd: number; rs1: number; rs2: number; imm: number }>][] = [
      [enc.b(5, 3, 4, -4096), Op.BGE, { rs1: 3, rs2: 4, imm: -4096 }],
      [enc.b(7, 31, 1, 4094), Op.BGEU, { rs1: 31, rs2: 1, imm: 4094 }],
      [enc.j(5, -1048576), Op.JAL, { rd: 5, imm: -1048576 }],
      [enc.j(0, 1048574), Op.JAL, { rd: 0, imm: 1048574 }],
      [I.store(3, 7, 8, -2048), Op.SD, { rs1: 8, rs2: 7, imm: -2048 }],
      [enc.cb(6, 9, -256), Op.BEQ, { rs1: 9, imm: -256 }],
      [enc.cb(7, 15, 254), Op.BNE, { rs1: 15, imm: 254 }],
      [enc.cj(-2048), Op.JAL, { rd: 0, imm: -2048 }],
      [enc.cj(2046), Op.JAL, { rd: 0, imm: 2046 }],
      [enc.caddi16sp(-512), Op.ADDI, { rd: 2, rs1: 2, imm: -512 }],
      [enc.caddi16sp(496), Op.ADDI, { rd: 2, imm: 496 }],
      [enc.caddi4spn(10, 1020), Op.ADDI, { rd: 10, rs1: 2, imm: 1020 }],
      [enc.clsw(2, 9, 12, 124), Op.LW, { rd: 12, rs1: 9, imm: 124 }],
      [enc.clsd(7, 8, 15, 248), Op.SD, { rs1: 8, rs2: 15, imm: 248 }],
      [enc.clwsp(5, 252), Op.LW, { rd: 5, rs1: 2, imm: 252 }],
      [enc.cldsp(5, 504), Op.LD, { rd: 5, rs1: 2, imm: 504 }],
      [enc.cswsp(31, 252), Op.SW, { rs1: 2, rs2: 31, imm: 252 }],
      [enc.csdsp(1, 504), Op.SD, { rs1: 2, rs2: 1, imm: 504 }],
      [enc.cshift(1, 13, 63), Op.SRAI, { rd: 13, imm: 63 }],
      [enc.cshift(2, 13, -32), Op.ANDI, { rd: 13, imm: -32 }],
      [enc.ca(1, 1, 8, 15), Op.ADDW, { rd: 8, rs2: 15 }],
      [enc.amo(0x05, 1, 1, 4, 10, 11, 12), Op.AMOCAS_Q, { rd: 10, rs1: 11, rs2: 12 }],
    ];
    for (const [bits, op, fields] of cases) {
      const insn = decode(bits);
      expect(Op[insn.op], bits.toString(16)).toBe(Op[op]);
      for (const [k, v] of Object.entries(fields)) expect(insn[k as keyof typeof fields], `${Op[op]} ${k}`).toBe(v);
    }
    // And randomly: every B/J/CB/CJ offset in range survives encoding.
    fc.assert(fc.property(fc.integer({ min: -2048, max: 2047 }), fc.integer({ min: -128, max: 127 }),
      fc.integer({ min: -1024, max: 1023 }), fc.integer({ min: -524288, max: 524287 }), (b, cb, cj, j) => {
        expect(decode(enc.b(0, 1, 2, b * 2)).imm).toBe(b * 2);
        expect(decode(enc.cb(6, 8, cb * 2)).imm).toBe(cb * 2);
        expect(decode(enc.cj(cj * 2)).imm).toBe(cj * 2);
        expect(decode(enc.j(1, j * 2)).imm).toBe(j * 2);
      }), { seed: SEED });
  });

  it('materializes 64-bit constants with li', () => {
    fc.assert(fc.property(fc.array(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), { minLength: 1, maxLength: 20 }), (values) => {
      values.push(0n, 2n ** 63n, 2n ** 63n - 1n, 2n ** 64n - 1n, 0x7fff_ffffn, 0x8000_0000n, 0xffff_ffff_8000_0000n, 0x7ffn, 0x800n);
      const regs = values.map((_, i) => 5 + (i % 20));
      const words = values.flatMap((v, i) => li(regs[i], v));
      const image = new Uint8Array(words.length * 4 + 4);
      const dv = new DataView(image.buffer);
      words.forEach((w, k) => dv.setUint32(4 * k, w, true));
      dv.setUint32(4 * words.length, 0x0000006f, true); // j .
      const m = new Machine({ engine: 'interp', memoryMiB: 1 });
      m.loadRaw(image, BigInt(BASE));
      values.forEach((v, i) => {
        m.run({ maxInsns: li(regs[i], v).length }); // each sequence on its own
        expect(m.getRegister(regs[i]), `li 0x${v.toString(16)}`).toBe(v);
      });
      expect(Number(m.instructionCount)).toBe(words.length);
    }), { seed: SEED, numRuns: 30 });
  });

  it(`${pair.candidate} matches ${pair.reference} instruction for instruction on random programs`, () => {
    if (!pair.jitCovered) {
      console.warn(`[diff fuzz] comparing interp with ${pair.candidate} (ENGINES: ${ENGINES.join(', ')}`
        + `${process.env.DIFF_CANDIDATE ? `; DIFF_CANDIDATE=${process.env.DIFF_CANDIDATE}` : ''}). This exercises the `
        + 'generator and the harness only; it is NOT JIT coverage.');
    }
    console.log(`[diff fuzz] ${pair.candidate} vs ${pair.reference}, fast-check seed ${SEED}, ${RUNS} programs`);
    const mix = new Mix();
    let candidateTotal = 0;
    const started = performance.now();
    fc.assert(fc.property(programArbitrary(), (program: Program) => {
      const plan = choosePlan(program);
      // A tiny hot threshold sends most loops through tier 2 as well as tier 1.
      const c = compareProgram(program, pair, plan, { onInsn: mix.onInsn, engineOptions: JIT_OPTIONS });
      mix.addRun(c.reference);
      candidateTotal += Number(c.candidate.instructionCount);
      if (c.diffs.length > 0) throw new Error(report(c));
      // The generator's contract: every program ends by passing through the finisher.
      const o = c.reference.outcome;
      if (o.kind !== 'exit' || o.code !== 0) {
        throw new Error(`program seed ${program.spec.seed} (${program.spec.items.length} items) did not exit 0 on `
          + `${pair.reference}: ${JSON.stringify(o)} at pc 0x${c.reference.pc.toString(16)}\n`
          + formatListing(program, [c.reference.pc], 30));
      }
    }), { seed: SEED, numRuns: RUNS, endOnFailure: true });
    console.log(`[diff fuzz] ${((performance.now() - started) / 1000).toFixed(1)} s; measured mix on ${pair.reference}:\n${mix.format()}`);

    expect(mix.executedTotal).toBeGreaterThanOrEqual(MIN_INSTRUCTIONS);
    expect(candidateTotal).toBe(mix.executedTotal);

    // The programs must really exercise what the generator claims.
    const missingOps = Object.values(Op).filter((v): v is Op => typeof v === 'number')
      .filter((op) => op !== Op.SRET && !mix.ops.has(Op[op])).map((op) => Op[op]);
    expect(missingOps, 'operations never executed').toEqual([]);
    expect(COMPRESSED_FORMS.filter((f) => !mix.compressed.has(f)), 'compressed forms never executed').toEqual([]);
    const causes = ['illegal-instruction', 'breakpoint', 'misaligned-load', 'misaligned-store', 'load-access',
      'store-access', 'fetch-access', 'ecall-u', 'ecall-s', 'ecall-m'];
    expect(causes.filter((k) => !mix.exceptions.has(k)), 'exception causes never taken').toEqual([]);
    const irqs = ['machine-timer', 'machine-software', 'supervisor-software'];
    expect(irqs.filter((k) => !mix.interrupts.has(k)), 'interrupts never taken').toEqual([]);
    expect(mix.pageStraddling, '32-bit instructions across a page boundary').toBeGreaterThan(0);
  });
});

describe('differential fuzzer, every lowering of sensitive instructions', () => {
  for (const [name, lowering] of Object.entries(LOWERINGS)) {
    it(`${pair.candidate} with sensitive instructions as ${name} matches ${pair.reference}`, () => {
      if (!pair.jitCovered) return; // the lowerings are the JIT's; said loudly by the main test
      let executed = 0;
      fc.assert(fc.property(programArbitrary(), (program: Program) => {
        const c = compareProgram(program, pair, choosePlan(program), { engineOptions: { ...JIT_OPTIONS, ...lowering } });
        if (c.diffs.length > 0) throw new Error(report(c));
        executed += Number(c.candidate.instructionCount);
      }), { seed: SEED + 1, numRuns: name === 'fast-interp' ? RUNS : LOWERING_RUNS, endOnFailure: true });
      expect(executed).toBeGreaterThan(MIN_INSTRUCTIONS / 4);
    });
  }
});

function report(c: Comparison): string {
  const divergence = findFirstDivergence(c.program, c.pair, c.plan);
  const minimized = minimize(c.program, c.pair, c.plan, 20_000);
  return formatReport({
    comparison: c, divergence, minimized,
    reproduce: `npm run fuzz -- --replay ${c.program.spec.seed} --items ${c.program.spec.items.length}`,
  });
}
