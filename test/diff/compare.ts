// Differential execution: run one generated program on two engines and compare everything
// the guest can observe, plus the monitor's counters. On a mismatch: find the first
// instruction after which the two states differ (by bisection over fresh runs), shrink the
// program, and explain it all in a readable report.
import { ENGINES, Machine, type MachineOptions, type RunOutcome, type RunStats } from '../../src/api/index.js';
import { decode } from '../../src/isa/decode.js';
import { disassemble } from '../../src/isa/disasm.js';
import { ABI_NAMES } from '../../src/isa/registers.js';
import {
  BASE, BODY, MEMORY_MIB, Rng, buildProgram, nodePaths, regionOf, withoutNode, type ListingEntry, type Program,
} from './program-gen.js';

export type Engine = string;

export interface EnginePair {
  /** The oracle: always the reference interpreter. */
  reference: Engine;
  candidate: Engine;
  /** False when the candidate is the interpreter too (no JIT to test yet). */
  jitCovered: boolean;
}

/**
 * jit vs interp when the JIT exists, else interp vs interp. `candidate` (or the
 * DIFF_CANDIDATE environment variable) forces the candidate engine, e.g. to check the
 * harness itself with interp vs interp.
 */
export function pickEnginePair(candidate: string | undefined = process.env.DIFF_CANDIDATE || undefined): EnginePair {
  const engines = ENGINES as readonly string[];
  const pick = candidate ?? (engines.includes('jit') ? 'jit' : 'interp');
  if (!engines.includes(pick)) throw new RangeError(`unknown engine "${pick}" (available: ${engines.join(', ')})`);
  return { reference: 'interp', candidate: pick, jitCovered: pick === 'jit' };
}

/** How a program is run: an instruction cap, and optionally in slices of these sizes (cycled). */
export interface RunPlan {
  maxInsns: number;
  /** Slice sizes for the candidate engine (the reference always runs in one call). */
  slices?: readonly number[];
}

export const DEFAULT_MAX_INSNS = 3_000_000;

/**
 * The run plan for a program, derived from its seed: 40% of programs run the candidate in
 * slices (1 to 4 sizes from a few instructions to a few thousand, cycled), which stops it
 * mid-block and resumes it, as the monitor does for timers and devices.
 */
export function choosePlan(program: Program, maxInsns = DEFAULT_MAX_INSNS): RunPlan {
  const rng = new Rng((program.spec.seed ^ 0x51ce_5eed) >>> 0);
  if (!rng.bool(0.4)) return { maxInsns };
  const slices: number[] = [];
  for (let i = rng.range(1, 4); i > 0; i--) {
    slices.push(rng.weighted<() => number>([[2, () => rng.range(1, 7)], [2, () => rng.range(8, 200)], [1, () => rng.range(500, 20_000)]])());
  }
  return { maxInsns, slices };
}

export interface RunHooks {
  /** Called with each instruction's bits before it executes (reference engine only: uses Machine.trace). */
  onInsn?: (bits: number, pc: bigint) => void;
  /** Extra options for the candidate engine's constructor (e.g. a JIT hotness threshold). */
  engineOptions?: Record<string, unknown>;
}

/** How a run ended, or the exception an engine threw (a harness-visible engine bug). */
export type Outcome = RunOutcome | { kind: 'threw'; message: string };

export interface Run {
  machine: Machine;
  outcome: Outcome;
  output: number[];
  /** 'exact', or the first run({ maxInsns }) call that did not stop where asked. */
  budget: string;
}

function newMachine(program: Program, engine: Engine, output: number[], extra?: Record<string, unknown>): Machine {
  const options = {
    ...extra,
    engine,
    memoryMiB: program.machine.memoryMiB,
    misaligned: program.machine.misaligned,
    output: (_fd: number, bytes: Uint8Array) => { for (const b of bytes) output.push(b); },
  };
  const m = new Machine(options as MachineOptions);
  m.loadRaw(program.image, BigInt(BASE));
  // No host input will come: a WFI waiting only for the UART completes instead of pausing.
  m.endInput();
  return m;
}

/**
 * Runs until the guest stops or `limit` instructions have executed in total. Records in
 * `budget` the first call that returned 'limit' without having run exactly `maxInsns`.
 */
function runTo(m: Machine, limit: number, slices: readonly number[] | undefined, budget: { text: string }): RunOutcome {
  let outcome: RunOutcome = { kind: 'limit' };
  for (let i = 0; ; i++) {
    const before = Number(m.instructionCount);
    const remaining = limit - before;
    if (remaining <= 0) return outcome;
    const step = slices && slices.length > 0 ? Math.min(slices[i % slices.length], remaining) : remaining;
    outcome = m.run({ maxInsns: step });
    const ran = Number(m.instructionCount) - before;
    if (outcome.kind === 'limit' && ran !== step && budget.text === 'exact') {
      budget.text = `run({ maxInsns: ${step} }) at instruction ${before} ran ${ran}`;
    }
    if (outcome.kind !== 'limit') return outcome;
  }
}

export function runProgram(program: Program, engine: Engine, limit: number, slices?: readonly number[], hooks: RunHooks = {}): Run {
  const output: number[] = [];
  const m = newMachine(program, engine, output, hooks.engineOptions);
  if (hooks.onInsn) {
    const f = hooks.onInsn;
    m.trace((e) => f(e.bits, e.pc));
  }
  let outcome: Outcome;
  const budget = { text: 'exact' };
  try {
    outcome = runTo(m, limit, slices, budget);
  } catch (e) {
    const err = e as Error;
    outcome = { kind: 'threw', message: `${err?.name}: ${err?.message}\n${(err?.stack ?? '').split('\n').slice(1, 6).join('\n')}` };
  }
  m.trace(null);
  return { machine: m, outcome, output, budget: budget.text };
}

// ---------------------------------------------------------------------------------------
// Snapshots

const CSRS: readonly [string, number][] = [
  ['mstatus', 0x300], ['misa', 0x301], ['medeleg', 0x302], ['mideleg', 0x303], ['mie', 0x304], ['mip', 0x344],
  ['mtvec', 0x305], ['mcounteren', 0x306], ['menvcfg', 0x30a], ['mcountinhibit', 0x320], ['mscratch', 0x340],
  ['mepc', 0x341], ['mcause', 0x342], ['mtval', 0x343], ['sstatus', 0x100], ['sie', 0x104], ['sip', 0x144],
  ['stvec', 0x105], ['scounteren', 0x106], ['senvcfg', 0x10a], ['sscratch', 0x140], ['sepc', 0x141],
  ['scause', 0x142], ['stval', 0x143], ['satp', 0x180], ['mcycle', 0xb00], ['minstret', 0xb02], ['cycle', 0xc00],
  ['time', 0xc01], ['instret', 0xc02], ['pmpcfg0', 0x3a0], ['pmpcfg2', 0x3a2], ['pmpaddr0', 0x3b0],
  ['pmpaddr1', 0x3b1], ['tselect', 0x7a0],
];

export interface Snapshot {
  outcome: Outcome;
  pc: bigint;
  privilege: number;
  regs: bigint[];
  instructionCount: bigint;
  csrs: Record<string, bigint | 'unimplemented'>;
  counters: Pick<RunStats, 'instructions' | 'exceptions' | 'interrupts'>;
  ram: Uint8Array;
  output: number[];
  budget: string;
}

export function snapshot(run: Run): Snapshot {
  const m = run.machine;
  const csrs: Record<string, bigint | 'unimplemented'> = {};
  for (const [name, num] of CSRS) {
    try { csrs[name] = m.readCsr(num); } catch (e) { if (e instanceof RangeError) csrs[name] = 'unimplemented'; else throw e; }
  }
  const st = m.counters();
  return {
    outcome: run.outcome,
    pc: m.pc,
    privilege: m.privilege,
    regs: Array.from({ length: 32 }, (_, i) => m.getRegister(i)),
    instructionCount: m.instructionCount,
    csrs,
    counters: { instructions: st.instructions, exceptions: st.exceptions, interrupts: st.interrupts },
    ram: m.readMemory(BigInt(BASE), MEMORY_MIB * 1024 * 1024),
    output: run.output,
    budget: run.budget,
  };
}

export interface Difference {
  field: string;
  a: string;
  b: string;
}

const hex = (v: bigint | number) => `0x${v.toString(16)}`;
const PRIV_NAMES: Record<number, string> = { 0: 'U', 1: 'S', 3: 'M' };

/** Every field where two snapshots differ; memory as merged ranges with region names. */
export function diffSnapshots(a: Snapshot, b: Snapshot, maxMemRanges = 8): Difference[] {
  const out: Difference[] = [];
  const add = (field: string, x: string, y: string) => { if (x !== y) out.push({ field, a: x, b: y }); };
  add('outcome', JSON.stringify(a.outcome), JSON.stringify(b.outcome));
  add('pc', hex(a.pc), hex(b.pc));
  add('privilege', PRIV_NAMES[a.privilege] ?? String(a.privilege), PRIV_NAMES[b.privilege] ?? String(b.privilege));
  add('instructionCount', String(a.instructionCount), String(b.instructionCount));
  for (let i = 0; i < 32; i++) add(`x${i} (${ABI_NAMES[i]})`, hex(a.regs[i]), hex(b.regs[i]));
  for (const [name] of CSRS) {
    const x = a.csrs[name], y = b.csrs[name];
    add(`csr ${name}`, typeof x === 'bigint' ? hex(x) : x, typeof y === 'bigint' ? hex(y) : y);
  }
  add('counters.instructions', JSON.stringify(a.counters.instructions), JSON.stringify(b.counters.instructions));
  add('counters.exceptions', JSON.stringify(a.counters.exceptions), JSON.stringify(b.counters.exceptions));
  add('counters.interrupts', JSON.stringify(a.counters.interrupts), JSON.stringify(b.counters.interrupts));
  add('instruction limits', a.budget, b.budget);
  add('console output', JSON.stringify(String.fromCharCode(...a.output)), JSON.stringify(String.fromCharCode(...b.output)));
  out.push(...diffMemory(a.ram, b.ram, maxMemRanges));
  return out;
}

function diffMemory(x: Uint8Array, y: Uint8Array, maxRanges: number): Difference[] {
  const out: Difference[] = [];
  if (Buffer.compare(x, y) === 0) return out;
  let ranges = 0, extra = 0;
  for (let i = 0; i < x.length; i++) {
    if (x[i] === y[i]) continue;
    // A range: differing bytes with gaps of less than 16 equal bytes.
    let end = i + 1, gap = 0;
    for (let j = i + 1; j < x.length && gap < 16; j++) {
      if (x[j] !== y[j]) { end = j + 1; gap = 0; } else gap++;
    }
    if (ranges < maxRanges) {
      const lo = i & ~7, hi = Math.min(x.length, (end + 7) & ~7);
      const addr = BASE + lo;
      const dump = (m: Uint8Array) => Array.from(m.subarray(lo, Math.min(hi, lo + 64)), (v) => v.toString(16).padStart(2, '0')).join(' ')
        + (hi - lo > 64 ? ' ...' : '');
      out.push({ field: `memory ${hex(addr)}..${hex(BASE + hi)} (${regionOf(addr)})`, a: dump(x), b: dump(y) });
      ranges++;
    } else extra++;
    i = end - 1;
  }
  if (extra > 0) out.push({ field: 'memory', a: `${extra} more differing ranges`, b: '' });
  return out;
}

// ---------------------------------------------------------------------------------------
// One comparison

export interface Comparison {
  program: Program;
  pair: EnginePair;
  plan: RunPlan;
  reference: Snapshot;
  candidate: Snapshot;
  diffs: Difference[];
}

export function compareProgram(program: Program, pair: EnginePair, plan: RunPlan, hooks: RunHooks = {}): Comparison {
  const ref = runProgram(program, pair.reference, plan.maxInsns, undefined, { onInsn: hooks.onInsn });
  const cand = runProgram(program, pair.candidate, plan.maxInsns, plan.slices, { engineOptions: hooks.engineOptions });
  const reference = snapshot(ref), candidate = snapshot(cand);
  return { program, pair, plan, reference, candidate, diffs: diffSnapshots(reference, candidate) };
}

// ---------------------------------------------------------------------------------------
// Lock-step bisection

export interface Divergence {
  /** The last instruction count at which both engines were seen in the same state. */
  lastEqual: number;
  /**
   * The first count at which they differ. When the candidate cannot stop at every
   * instruction (a JIT stops at block ends), firstDiff - lastEqual can exceed 1: the
   * culprit is among the reference's instructions in between (see `trace`).
   */
  firstDiff: number;
  /** Reference state at lastEqual. */
  before: Snapshot;
  reference: Snapshot;
  candidate: Snapshot;
  diffs: Difference[];
  /** The reference's instructions from a few before lastEqual up to firstDiff. */
  trace: string[];
  /** The first time the candidate did not stop where run({ maxInsns }) asked it to. */
  budgetMiss?: { asked: number; ran: number };
  probes: number;
}

function stateAt(program: Program, engine: Engine, k: number, slices: readonly number[] | undefined, hooks: RunHooks): Snapshot {
  return snapshot(runProgram(program, engine, k, slices, hooks));
}

/**
 * Finds where the candidate's state first departs from the reference's: fresh machines
 * run to k = 1, 2, 4, ... instructions, then bisection. Each probe runs the candidate
 * in one go (or in the plan's slices), as in the failing run, not one step at a time;
 * the reference (which stops exactly) is then run to the count the candidate really
 * reached, so a candidate that overshoots a limit is still compared like for like. The
 * overshoot itself is reported as `budgetMiss`.
 */
export function findFirstDivergence(program: Program, pair: EnginePair, plan: RunPlan, hooks: RunHooks = {}): Divergence | null {
  let probes = 0;
  let budgetMiss: Divergence['budgetMiss'];
  const probe = (k: number) => {
    probes++;
    const c = stateAt(program, pair.candidate, k, plan.slices, { engineOptions: hooks.engineOptions });
    const ran = Number(c.instructionCount);
    if (ran !== k && c.outcome.kind === 'limit' && budgetMiss === undefined) budgetMiss = { asked: k, ran };
    const r = stateAt(program, pair.reference, c.outcome.kind === 'limit' ? ran : k, undefined, {});
    // Where the candidate stopped is budgetMiss's business; here only the states count.
    const diffs = diffSnapshots(r, c).filter((d) => d.field !== 'instruction limits');
    return { r, c, at: Number(c.instructionCount), diffs };
  };
  type Probe = ReturnType<typeof probe>;
  let lo = 0, loAt = 0;
  let hit: Probe | undefined;
  let hi = 0;
  for (let k = 1; ; k = Math.min(k * 2, plan.maxInsns)) {
    const p = probe(k);
    if (p.diffs.length > 0) { hi = k; hit = p; break; }
    lo = k; loAt = p.at;
    const finished = p.r.outcome.kind !== 'limit' && p.c.outcome.kind !== 'limit';
    if (finished || k >= plan.maxInsns) return null;
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    const p = probe(mid);
    if (p.diffs.length > 0) { hi = mid; hit = p; } else { lo = mid; loAt = p.at; }
  }
  const h = hit!;
  const firstDiff = Math.max(Number(h.r.instructionCount), loAt + 1);
  const before = stateAt(program, pair.reference, loAt, undefined, {});
  const ring: string[] = [];
  let n = 0;
  runProgram(program, pair.reference, firstDiff, undefined, {
    onInsn: (bits, pc) => {
      n++;
      ring.push(`${n <= loAt ? '  ' : '* '}#${n} ${hex(pc)}: ${formatInsn(bits, pc)}`);
      if (ring.length > Math.max(8, Math.min(64, firstDiff - loAt + 8))) ring.shift();
    },
  });
  return { lastEqual: loAt, firstDiff, before, reference: h.r, candidate: h.c, diffs: h.diffs, trace: ring, budgetMiss, probes };
}

// ---------------------------------------------------------------------------------------
// Minimization

/**
 * Greedily drops program nodes (first big chunks of top-level items, then single nodes
 * anywhere in the tree) while the two engines still disagree. Stops at the deadline.
 */
export function minimize(program: Program, pair: EnginePair, plan: RunPlan, deadlineMs: number, hooks: RunHooks = {}): Program {
  const stop = performance.now() + deadlineMs;
  const fails = (p: Program) => {
    try { return compareProgram(p, pair, plan, { engineOptions: hooks.engineOptions }).diffs.length > 0; } catch { return false; }
  };
  const rebuild = (items: Program['spec']['items']) => {
    try { return buildProgram({ ...program.spec, items }); } catch { return undefined; }
  };
  let best = program;
  // Chunks of top-level items.
  for (let chunk = Math.ceil(best.spec.items.length / 2); chunk >= 1 && performance.now() < stop; chunk = Math.floor(chunk / 2)) {
    for (let start = 0; start < best.spec.items.length && performance.now() < stop;) {
      const items = best.spec.items.filter((_, i) => i < start || i >= start + chunk);
      const p = rebuild(items);
      if (p && fails(p)) best = p; else start += chunk;
    }
  }
  // Single nodes, last first: removing one leaves the paths of the nodes before it valid.
  for (let changed = true; changed && performance.now() < stop;) {
    changed = false;
    const paths = nodePaths(best.spec.items).reverse();
    for (const path of paths) {
      if (performance.now() >= stop) break;
      const p = rebuild(withoutNode(best.spec.items, path));
      if (p && fails(p)) { best = p; changed = true; }
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------
// Listings and reports

export function formatInsn(bits: number, pc: bigint): string {
  const insn = decode(bits);
  const raw = insn.len === 2 ? (bits & 0xffff).toString(16).padStart(4, '0') : (bits >>> 0).toString(16).padStart(8, '0');
  return `${raw.padEnd(8)}  ${disassemble(insn, pc)}`;
}

function entryBits(image: Uint8Array, e: ListingEntry): number {
  const off = e.addr - BASE;
  let v = 0;
  for (let i = e.len - 1; i >= 0; i--) v = (v * 256) + image[off + i];
  return v >>> 0;
}

/**
 * The program's code as the generator laid it out (original bytes, before any
 * self-modification), with each item's kind as a comment. `around`: only entries within
 * `radius` of these addresses (marked with >>).
 */
export function formatListing(program: Program, around?: readonly bigint[], radius = 20, from = 0): string {
  const entries = program.listing.filter((e) => e.addr >= from);
  const marks = new Set((around ?? []).map((a) => Number(a)));
  let keep: (i: number) => boolean = () => true;
  if (around && around.length > 0 && radius !== Infinity) {
    const idx = entries.map((e, i) => (marks.has(e.addr) ? i : -1)).filter((i) => i >= 0);
    keep = (i) => idx.some((j) => Math.abs(i - j) <= radius);
  }
  const lines: string[] = [];
  let skipped = false;
  entries.forEach((e, i) => {
    if (!keep(i)) { if (!skipped) lines.push('        ...'); skipped = true; return; }
    skipped = false;
    const bits = entryBits(program.image, e);
    const text = e.data ? `${bits.toString(16).padStart(4, '0').padEnd(8)}  (never executed: junk)` : formatInsn(bits, BigInt(e.addr));
    const mark = marks.has(e.addr) ? '>>' : '  ';
    lines.push(`${mark} ${e.addr.toString(16)}:  ${text}${e.note ? `    # ${e.note}` : ''}`);
  });
  return lines.join('\n');
}

export interface ReportInput {
  comparison: Comparison;
  divergence?: Divergence | null;
  minimized?: Program;
  /** How to re-create the program, e.g. a command line. */
  reproduce?: string;
  fullListing?: boolean;
}

export function formatReport({ comparison: c, divergence, minimized, reproduce, fullListing }: ReportInput): string {
  const { program, pair, plan } = c;
  const [A, B] = [pair.reference, pair.candidate === pair.reference ? `${pair.candidate} (second run)` : pair.candidate];
  const lines: string[] = [];
  lines.push(`=== DIVERGENCE: ${A} vs ${B} on program seed ${program.spec.seed} ===`);
  lines.push(`machine: ${MEMORY_MIB} MiB, misaligned=${program.machine.misaligned}; `
    + `program: ${program.spec.items.length} top-level items, ${program.nodes} nodes`);
  lines.push(`run: cap ${plan.maxInsns} instructions; ${B} ran ${plan.slices ? `in slices of ${plan.slices.join(', ')} (cycled)` : 'in one call'}`);
  if (reproduce) lines.push(`reproduce: ${reproduce}`);
  lines.push('');
  lines.push(`Differences at the end of the run (${A} | ${B}):`);
  lines.push(...formatDiffs(c.diffs));
  const marks: bigint[] = [c.reference.pc, c.candidate.pc];
  if (divergence) {
    const d = divergence;
    lines.push('');
    if (d.budgetMiss) {
      lines.push(`Instruction limit: asked to run ${d.budgetMiss.asked} instructions, ${B} ran ${d.budgetMiss.ran} `
        + '(run({ maxInsns }) must stop exactly; states below are compared at the count it really reached).');
    }
    lines.push(`First divergence (${d.probes} probes): equal after ${d.lastEqual} instructions, different after ${d.firstDiff}.`);
    const steps = d.firstDiff - d.lastEqual;
    lines.push(steps === 1
      ? `The diverging step is instruction #${d.firstDiff}, on ${A} in ${PRIV_NAMES[d.before.privilege]}-mode:`
      : `${B} could not stop in between, so the culprit is one of the ${steps} instructions marked * below; `
        + `the first runs on ${A} in ${PRIV_NAMES[d.before.privilege]}-mode:`);
    const pc = d.before.pc;
    const bits = readBits(d.before.ram, pc);
    lines.push(`  ${hex(pc)}: ${bits === undefined ? '(not in RAM)' : formatInsn(bits, pc)}`);
    const exc = deltaCounts(d.before.counters.exceptions, d.reference.counters.exceptions);
    const irq = deltaCounts(d.before.counters.interrupts, d.reference.counters.interrupts);
    if (exc || irq) lines.push(`  ${A} takes, in ${steps === 1 ? 'that step' : 'those steps'}: ${[exc, irq].filter(Boolean).join(', ')}`);
    lines.push(`  afterwards ${A} is at pc ${hex(d.reference.pc)}, ${B} at pc ${hex(d.candidate.pc)}`);
    lines.push(`State differences after instruction ${d.firstDiff} (${A} | ${B}):`);
    lines.push(...formatDiffs(d.diffs));
    lines.push(`${A}'s instructions up to the divergence (* = after the last equal state):`);
    lines.push(...d.trace.map((t) => `  ${t}`));
    marks.push(pc, d.reference.pc);
  } else if (divergence === null) {
    lines.push('');
    if (c.diffs.every((d) => d.field === 'instruction limits')) {
      lines.push(`Only the instruction-limit contract differs: ${B}'s run({ maxInsns }) did not stop where asked `
        + '(see above); the final states agree.');
    } else {
      lines.push('Bisection found no prefix where the states differ: the divergence shows only in the full run.');
    }
  }
  lines.push('');
  lines.push(fullListing ? 'Program listing:' : 'Program listing around the interesting addresses (>>):');
  lines.push(formatListing(program, marks, fullListing ? Infinity : 16));
  if (minimized && minimized !== program) {
    lines.push('');
    lines.push(`Minimized program (${minimized.nodes} of ${program.nodes} nodes still diverge); its body `
      + '(the prologue, vectors and handler are as above):');
    lines.push(formatListing(minimized, undefined, 16, BODY));
  }
  return lines.join('\n');
}

function formatDiffs(diffs: readonly Difference[]): string[] {
  if (diffs.length === 0) return ['  (none)'];
  return diffs.map((d) => (d.field.startsWith('memory ')
    ? `  ${d.field}:\n    ${d.a}\n    ${d.b}`
    : `  ${d.field.padEnd(24)} ${d.a} | ${d.b}`));
}

function readBits(ram: Uint8Array, pc: bigint): number | undefined {
  const off = Number(pc) - BASE;
  if (pc < BigInt(BASE) || off + 2 > ram.length) return undefined;
  const lo = ram[off] | (ram[off + 1] << 8);
  if ((lo & 3) !== 3) return lo;
  if (off + 4 > ram.length) return undefined;
  return (lo | (ram[off + 2] << 16) | (ram[off + 3] << 24)) >>> 0;
}

function deltaCounts(before: Record<string, number>, after: Record<string, number>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(after)) {
    const d = v - (before[k] ?? 0);
    if (d > 0) parts.push(`${k}${d > 1 ? ` x${d}` : ''}`);
  }
  return parts.join(', ');
}
