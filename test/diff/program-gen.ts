// Random RV64IMAC + Zicsr + Zifencei (+ Zabha, Zacas) programs for differential testing of
// the execution engines. Everything is encoded here from the instruction formats of the
// unprivileged spec (20191213, chapters 2, 7, 8, 16 and 24) and the privileged spec
// (20211203); the only thing taken from src/ is `decode`, to double-check the encoders.
//
// A program is a self-contained raw image loaded at DRAM_BASE:
//
//   BASE      prologue: mtvec := VEC (direct or vectored), x1..x31 := SEEDS table, jump to BODY
//   VEC       16 x `j handler` (so both mtvec modes work), then the trap handler
//   BODY      the generated items, then an epilogue that stores 0x5555 to the finisher; the
//             items start at a seed-dependent offset so that the page boundary at
//             BODY + 0x1000 falls inside the code (instructions straddle it)
//   DATA      8 KiB of random data (two pages; x9 points at the page boundary between them)
//   LOG       the handler's trap log: a counter, then 128 entries of mcause/mepc/mtval/mstatus
//   SEEDS     initial values of x1..x31 (edge values, random values, region pointers)
//
// Termination: control flow is forward only, except loops (bounded by s11, which nothing
// else writes), subroutine returns and the handler's mret (which always skips the
// faulting instruction, or resumes an interrupted one after disabling interrupts).
//
// Register conventions of the generated code:
//   x2 (sp)  = DATA + 0xf00, for c.lwsp/c.ldsp/c.swsp/c.sdsp; never written except by
//              balanced c.addi16sp pairs
//   x9 (s1)  = DATA + 0x1000 (a page boundary), the base of every data access
//   x27 (s11) loop counter; only loop nodes write it
//   x30, x31 (t5, t6) are the handler's scratch registers: body code may write them, but
//              never keeps a value in them across an instruction that could be interrupted
//
// Programs are trees of Nodes (see below) so that a failing program can be minimized by
// dropping nodes; generation draws from the PRNG in item order, so a program with fewer
// top-level items is a prefix of the same seed's longer program.
//
// The pieces live in test/diff/gen/: layout.ts, registers.ts, rng.ts, encode.ts, asm.ts, core.ts,
// items.ts and the item generators alu.ts, memory.ts, atomics.ts, system.ts and control.ts.
import fc from 'fast-check';
import {
  BASE, BODY, BODY_LIMIT, DATA, DATA_PTR, DATA_SIZE, IMAGE_SIZE, LOG, LOG_ENTRIES, MEMORY_MIB, SEEDS, SP_VALUE, VEC,
} from './gen/layout.js';
import { ALL_WRITABLE, CSR, DPTR, LOOP, SP, T5, T6 } from './gen/registers.js';
import { enc, I } from './gen/encode.js';
import { Asm, type Label } from './gen/asm.js';
import { Gen, type Ctx, type GenOptions, type Node, type Program, type ProgramSpec } from './gen/core.js';
import { genList } from './gen/items.js';

export {
  BASE, BODY, BODY_LIMIT, DATA, DATA_PTR, DATA_SIZE, IMAGE_SIZE, LOG, LOG_ENTRIES, LOG_SIZE, MEMORY_MIB, RAM_END,
  REGION_NAMES, SEEDS, SP_VALUE, VEC, regionOf,
} from './gen/layout.js';
export { Rng } from './gen/rng.js';
export { I, enc, li } from './gen/encode.js';
export { Asm, type Label, type ListingEntry } from './gen/asm.js';
export type { GenOptions, ItemKind, Node, Program, ProgramSpec } from './gen/core.js';

// ---------------------------------------------------------------------------------------
// Whole programs

export function generateSpec(seed: number, options: GenOptions = {}): ProgramSpec {
  const g = new Gen(seed, options);
  const rng = g.rng;
  const mtvecMode = rng.int(2);
  const bodyOffset = rng.range(0xb00, 0xfff) & ~1;
  const seeds: bigint[] = [0n];
  for (let r = 1; r < 32; r++) seeds.push(g.value());
  seeds[SP] = BigInt(SP_VALUE);
  seeds[DPTR] = BigInt(DATA_PTR);
  seeds[LOOP] = 0n;
  const data = new Uint8Array(DATA_SIZE);
  const dv = new DataView(data.buffer);
  for (let off = 0; off < DATA_SIZE; off += 8) {
    if (rng.bool(0.5)) dv.setBigUint64(off, g.value(), true);
    else { dv.setUint32(off, rng.u32(), true); dv.setUint32(off + 4, rng.u32(), true); }
  }
  const n = options.items ?? rng.range(60, 240);
  const ctx: Ctx = {
    writable: ALL_WRITABLE, temps: ALL_WRITABLE.filter((r) => r !== T5 && r !== T6), depth: 0, inLoop: false, mode: 'M', trapScale: 1,
  };
  const items = genList(g, ctx, n);
  return { seed, misaligned: g.misaligned, mtvecMode, bodyOffset, seeds, data, items };
}

function emitPrologue(a: Asm, spec: ProgramSpec, labels: { vec: Label; seeds: Label; body: Label }): void {
  a.annotate('prologue: mtvec');
  a.pcrel(T6, labels.vec, (lo) => I.addi(T6, T6, lo + spec.mtvecMode));
  a.i32(I.csrrw(0, CSR.mtvec, T6));
  a.annotate('prologue: registers from the seed table');
  a.pcrel(T6, labels.seeds, (lo) => I.addi(T6, T6, lo));
  for (let r = 1; r < 32; r++) a.i32(I.ld(r, T6, 8 * r)); // x31 last: it is the base
  a.jump(0, labels.body, false);
}

/**
 * The trap handler (t5/t6 only). Logs mcause/mepc/mtval/mstatus; for an interrupt it
 * disables all interrupt sources (mie := 0, SSIP and msip cleared) and resumes; for an
 * exception it skips the instruction (2 or 4 bytes, from its low bits) and returns to M
 * after an ecall from U or S, else to the mode that trapped.
 */
function emitHandler(a: Asm, log: Label): void {
  const irq = a.newLabel(), keepMpp = a.newLabel(), set = a.newLabel(), fetch = a.newLabel();
  a.annotate('handler: log the trap');
  a.pcrel(T6, log, (lo) => I.addi(T6, T6, lo));
  a.words([
    I.ld(T5, T6, 0), I.addi(T5, T5, 1), I.sd(T5, T6, 0),
    I.andi(T5, T5, LOG_ENTRIES - 1), I.slli(T5, T5, 5), I.add(T6, T6, T5),
    I.csrrs(T5, CSR.mcause, 0), I.sd(T5, T6, 32),
    I.csrrs(T5, CSR.mepc, 0), I.sd(T5, T6, 40),
    I.csrrs(T5, CSR.mtval, 0), I.sd(T5, T6, 48),
    I.csrrs(T5, CSR.mstatus, 0), I.sd(T5, T6, 56),
    I.csrrs(T5, CSR.mcause, 0),
  ]);
  a.branch(4, T5, 0, irq, false); // blt t5, x0: interrupt
  a.i32(I.addi(T6, T5, -1));
  a.branch(0, T6, 0, fetch, false); // fetch access fault
  a.annotate('handler: ecall from U/S returns to M');
  a.words([I.addi(T5, T5, -8), I.sltiu(T5, T5, 2)]);
  a.branch(0, T5, 0, keepMpp, false);
  a.words([I.lui(T5, 2), I.addi(T5, T5, -2048), I.csrrs(0, CSR.mstatus, T5)]);
  a.bind(keepMpp);
  a.annotate('handler: skip the instruction');
  a.words([I.csrrs(T6, CSR.mepc, 0), I.lhu(T5, T6, 0), I.andi(T5, T5, 3), I.addi(T6, T6, 2), I.addi(T5, T5, -3)]);
  a.branch(1, T5, 0, set, false);
  a.i32(I.addi(T6, T6, 2));
  a.bind(set);
  a.words([I.csrrw(0, CSR.mepc, T6), I.mret()]);
  a.bind(irq);
  a.annotate('handler: interrupt: disable sources and resume');
  a.words([I.csrrw(0, CSR.mie, 0), I.csrrci(0, CSR.mip, 2), I.lui(T5, 0x2000), I.sw(0, T5, 0), I.mret()]);
  a.bind(fetch);
  a.annotate('handler: fetch fault: resume at the saved address');
  a.pcrel(T6, log, (lo) => I.addi(T6, T6, lo));
  a.words([I.ld(T6, T6, 8), I.csrrw(0, CSR.mepc, T6), I.mret()]);
}

function emitEpilogue(a: Asm): void {
  a.annotate('epilogue: finisher pass');
  a.words([I.csrrw(0, CSR.mie, 0), I.lui(5, 0x100), I.lui(6, 5), I.addiw(6, 6, 0x555), I.sw(6, 5, 0), enc.j(0, 0)]);
}

function countNodes(items: readonly Node[]): number {
  let n = 0;
  for (const it of items) { n++; for (const l of it.lists) n += countNodes(l); }
  return n;
}

/** Assembles a spec into an image (iterating until branch forms and label addresses settle). */
export function buildProgram(spec: ProgramSpec): Program {
  const seed = spec.seed;
  let prev = new Map<Label, number>();
  const levels = new Map<number, number>();
  for (let pass = 0; pass < 24; pass++) {
    const a = new Asm(prev, levels);
    const labels = { vec: a.newLabel(), seeds: a.newLabel(), body: a.newLabel(), log: a.newLabel(), handler: a.newLabel() };
    a.logLabel = labels.log;
    emitPrologue(a, spec, labels);
    a.org(VEC);
    a.bind(labels.vec);
    for (let i = 0; i < 16; i++) { a.annotate(`vector ${i}`); a.jump(0, labels.handler, false); }
    a.bind(labels.handler);
    emitHandler(a, labels.log);
    if (a.pc > BODY) throw new Error('handler overflows into the body');
    a.org(BODY + spec.bodyOffset);
    a.bind(labels.body);
    a.emitList(spec.items);
    emitEpilogue(a);
    if (a.pc > BODY_LIMIT) throw new Error(`program body too large (${a.pc - BODY} bytes)`);
    a.org(LOG);
    a.bind(labels.log);
    a.org(SEEDS);
    a.bind(labels.seeds);
    const same = a.settled && a.labels.size === prev.size && [...a.labels].every(([l, v]) => prev.get(l) === v);
    if (same) {
      const image = a.bytes.slice(0, IMAGE_SIZE);
      image.set(spec.data, DATA - BASE);
      const dv = new DataView(image.buffer);
      spec.seeds.forEach((v, r) => dv.setBigUint64(SEEDS - BASE + 8 * r, BigInt.asUintN(64, v), true));
      const nodes = countNodes(spec.items);
      return {
        spec, image, listing: a.listing,
        machine: { memoryMiB: MEMORY_MIB, misaligned: spec.misaligned },
        nodes,
        // How fast-check prints a counterexample: not the whole image.
        [fc.toStringMethod]: () => `Program(seed ${seed}, ${spec.items.length} items, ${nodes} nodes, misaligned=${spec.misaligned})`,
      };
    }
    prev = a.labels;
  }
  throw new Error(`program ${spec.seed} did not settle`);
}

export function generateProgram(seed: number, options: GenOptions = {}): Program {
  return buildProgram(generateSpec(seed, options));
}

/**
 * fast-check arbitrary of programs. It shrinks towards fewer top-level items: generation
 * is prefix-stable, so the shrunk program is the start of the original one.
 */
export function programArbitrary(options: Omit<GenOptions, 'items'> & { maxItems?: number } = {}): fc.Arbitrary<Program> {
  const { maxItems = 240, ...rest } = options;
  // noBias: fast-check would otherwise favour tiny item counts in early runs.
  return fc.noBias(fc.record({ seed: fc.integer({ min: 0, max: 0x7fff_ffff }), items: fc.integer({ min: 1, max: maxItems }) }))
    .map(({ seed, items }) => generateProgram(seed, { ...rest, items }));
}

// ---------------------------------------------------------------------------------------
// Tree editing, for the minimizer

/** Paths of every node: indices into lists, alternating node index and list index. */
export function nodePaths(items: readonly Node[], prefix: number[] = []): number[][] {
  const out: number[][] = [];
  items.forEach((n, i) => {
    const p = [...prefix, i];
    out.push(p);
    n.lists.forEach((l, j) => out.push(...nodePaths(l, [...p, j])));
  });
  return out;
}

/** A copy of the tree without the node at `path`. */
export function withoutNode(items: readonly Node[], path: readonly number[]): Node[] {
  const [i, j, ...rest] = path;
  if (path.length === 1) return items.filter((_, k) => k !== i);
  return items.map((n, k) => {
    if (k !== i) return n;
    const lists = n.lists.map((l, m) => (m === j ? withoutNode(l, rest) : l));
    return { kind: n.kind, lists, emit: n.emit };
  });
}
