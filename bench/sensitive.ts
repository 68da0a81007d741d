// The cost of sensitive instructions under each lowering strategy: a port of Adams &
// Agesen's virtualization micro-benchmarks (ASPLOS 2006; guest-images/sensitive/README.md).
// Each guest program runs one loop, `1: <operation>; addi s0, s0, -1; bnez s0, 1b`, for
// `bench_iterations` rounds (an 8-byte word in the image that this harness overwrites), in
// S- or U-mode, and powers off with exit status 0 when its checks pass.
//
// For every program and configuration:
//   trap      new Machine({ engine: 'jit', sensitive: 'trap' })
//   callout   new Machine({ engine: 'jit', sensitive: 'callout' })
//   in-TC     new Machine({ engine: 'jit', sensitive: 'intc' })
//   adaptive  new Machine({ engine: 'jit', sensitive: 'trap', adaptive: <threshold> })
//   interp    new Machine({ engine: 'interp' })   (the reference interpreter)
// one Machine is warmed up (a run with a small count, the calibration runs, one run at the
// measured count), then
// benny times reload-the-same-ELF-bytes (identical bytes keep the translation cache warm),
// write bench_iterations, run() to a clean exit. ns per iteration = time per run (the median
// of benny's samples) / iterations, nothing subtracted; the cost of an operation is its
// program's figure minus baseline's.
// QEMU (TCG), when installed, runs the same ELFs: whole-process time at N iterations minus
// at 0, per iteration. Figures are ratios within one run on a shared machine.
//   npm run bench:sensitive [-- program ...] [--iterations=N | --target=S] [--adaptive=N] [--max-time=S] [--no-qemu]
// By default each (program, configuration) gets its own iteration count, picked so that one
// measured run lasts about --target seconds (0.1): the fixed cost of a run (reload, set-up,
// power-off: tens of microseconds, reported) then stays below a thousandth of it, so figures
// measured at different counts compare. --iterations=N uses N everywhere instead.
//
// The sensitive/adaptive Machine options (DESIGN.md section 4) reach the Machine through one
// loosely typed object (newMachine), so this file depends only on their shape and compiles
// against builds without them; such a build traps in every JIT configuration, which the
// exits-per-iteration table and a note show.
import b from 'benny';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Machine, type MachineOptions } from '../src/api/index.js';
import { DEFAULT_JIT_OPTIONS } from '../src/jit/engine.js';
import { parseElf } from '../src/machine/elf.js';
import { qemuInstalled, qemuRunPatched, qemuVersion } from './qemu.js';
import { groupedBarChart } from './svg-chart.js';

const ROOT = join(import.meta.dirname, '..');
const BUILD = join(ROOT, 'guest-images/build/sensitive');
const RESULTS = join(ROOT, 'bench/results');

/** The programs, their Adams & Agesen counterparts, and what the operation is. */
const PROGRAMS: { name: string; paper: string; op: string }[] = [
  { name: 'baseline', paper: '-', op: 'addi' },
  { name: 'rdtime', paper: 'rdtsc', op: 'csrr time (S)' },
  { name: 'syscall', paper: 'syscall', op: 'ecall U->S->U' },
  { name: 'in', paper: 'in', op: 'lbu UART LSR (S)' },
  { name: 'cli-sti', paper: 'cr8wr', op: 'csrc+csrs sstatus.SIE' },
  { name: 'callret', paper: 'call/ret', op: '4 nested calls' },
  { name: 'pgfault', paper: 'pgfault', op: 'load page fault -> S' },
  { name: 'ptemod', paper: 'ptemod', op: 'sd PTE+sfence.vma+ld' },
  { name: 'illegal', paper: 'divzero', op: 'illegal insn -> S' },
];
const NAMES = PROGRAMS.map((p) => p.name);

/** Adams & Agesen, rdtsc on a Pentium 4 (cycles): trap, callout, in-TC. */
const PAPER_RDTSC = { trap: 2030, callout: 1254, intc: 216 };

// ---- command line ----------------------------------------------------------------------

const argv = process.argv.slice(2);
function numberFlag(name: string, fallback: number): number {
  const a = argv.find((x) => x.startsWith(`--${name}=`));
  if (a === undefined) return fallback;
  const v = Number(a.slice(name.length + 3).replace(/_/g, ''));
  if (!(v > 0) || !Number.isFinite(v)) throw new Error(`--${name}=<number> must be positive, got ${a}`);
  return v;
}
for (const a of argv) {
  if (a.startsWith('-') && !/^--(iterations|target|adaptive|max-time)=/.test(a) && a !== '--no-qemu') {
    throw new Error(`unknown option ${a} (have: --iterations=N --target=S --adaptive=N --max-time=S --no-qemu)`);
  }
}
const chosen = argv.filter((a) => !a.startsWith('-'));
for (const n of chosen) if (!NAMES.includes(n)) throw new Error(`unknown program ${n} (have: ${NAMES.join(', ')})`);
// baseline is always measured: every other figure is reported above it.
const programs = PROGRAMS.filter((p) => p.name === 'baseline' || chosen.length === 0 || chosen.includes(p.name));

/** Loop iterations per measured run, the same everywhere; null: picked per case for TARGET. */
const ITERATIONS = argv.some((a) => a.startsWith('--iterations=')) ? Math.round(numberFlag('iterations', 1)) : null;
/** Seconds one measured run should last when the iteration count is picked per case. */
const TARGET = numberFlag('target', 0.1);
const MIN_ITERATIONS = 1000;
const MAX_ITERATIONS = 2_000_000_000;
/** Traps at one site before the adaptive retranslator rewrites it. */
const ADAPTIVE = Math.round(numberFlag('adaptive', 64));
/** benny's maxTime per measured case, seconds. */
const MAX_TIME = numberFlag('max-time', 1);
/** The warm-up run's count, also the count at which every engine must execute the same instructions. */
const WARMUP_ITERATIONS = Math.min(ITERATIONS ?? 1000, 1000);
const WANT_QEMU = !argv.includes('--no-qemu');
/** Timed runs at 0 iterations per configuration (the fixed cost of a run, reported, not subtracted). */
const ZERO_RUNS = 25;
/** Seconds the N-iteration part of a QEMU run should last. */
const QEMU_TARGET = 0.5;

// ---- configurations --------------------------------------------------------------------

/** Machine options with the strategy keys (DESIGN.md section 4), whether or not this build declares them. */
type SensitiveMachineOptions = MachineOptions & { sensitive?: string; adaptive?: number };

type ConfigKey = 'trap' | 'callout' | 'intc' | 'adaptive' | 'interp';
interface Config { key: ConfigKey; label: string; options: SensitiveMachineOptions }

const CONFIGS: Config[] = [
  { key: 'trap', label: 'trap', options: { engine: 'jit', sensitive: 'trap' } },
  { key: 'callout', label: 'callout', options: { engine: 'jit', sensitive: 'callout' } },
  { key: 'intc', label: 'in-TC', options: { engine: 'jit', sensitive: 'intc' } },
  { key: 'adaptive', label: 'adaptive', options: { engine: 'jit', sensitive: 'trap', adaptive: ADAPTIVE } },
  { key: 'interp', label: 'interp', options: { engine: 'interp' } },
];

/** The only place the strategy options meet the Machine. */
function newMachine(options: SensitiveMachineOptions): Machine {
  return new Machine(options as MachineOptions);
}

// ---- the guests ------------------------------------------------------------------------

interface Guest {
  name: string;
  elf: string;
  image: Uint8Array;
  /** Physical address of bench_iterations (the programs load it with translation off). */
  itersAddr: bigint;
}

function loadGuest(name: string): Guest {
  const elf = join(BUILD, `${name}.elf`);
  if (!existsSync(elf)) throw new Error(`${elf} is missing: make -C guest-images sensitive`);
  const image = new Uint8Array(readFileSync(elf));
  const itersAddr = parseElf(image, elf).symbols.get('bench_iterations');
  if (itersAddr === undefined) throw new Error(`${elf} has no bench_iterations symbol`);
  return { name, elf, image, itersAddr };
}

function u64le(n: number): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(n), true);
  return bytes;
}

/** One Machine running one guest again and again; every run must end in a clean exit 0. */
class Runner {
  readonly m: Machine;

  constructor(readonly g: Guest, readonly config: Config) {
    this.m = newMachine(config.options);
  }

  /** Reload, set the count, run to the end; returns the instructions executed. */
  run(iterations: number): number {
    this.m.loadElf(this.g.image, this.g.name);
    this.m.writeMemory(this.g.itersAddr, u64le(iterations));
    const before = this.m.instructionCount;
    // A bound far above any correct run, so a broken configuration fails instead of spinning.
    const outcome = this.m.run({ maxInsns: 1_000_000 + 1000 * iterations });
    if (outcome.kind !== 'exit' || outcome.code !== 0) {
      throw new Error(`${this.g.name} under ${this.config.label} (${JSON.stringify(this.config.options)}) at ` +
        `${iterations} iterations ended ${JSON.stringify(outcome)} at pc 0x${this.m.pc.toString(16)}`);
    }
    return Number(this.m.instructionCount - before);
  }

  /** Instructions the JIT left to the monitor so far (all classes), and units translated. */
  jitCounts(): { monitorExits: number; translations: number } | null {
    const j = this.m.counters().jit;
    if (!j) return null;
    return { monitorExits: Object.values(j.monitorExits).reduce((s, n) => s + n, 0), translations: j.translations };
  }
}

interface Timed {
  /** Median of benny's samples, seconds per call: the figure reported (a shared machine's
   *  stray slow sample moves the mean, not the median). */
  seconds: number;
  mean: number;
  /** benny's relative margin of error of the mean, percent. */
  margin: number;
  samples: number;
}

/** Seconds per call of `fn`, from benny's samples (benny rounds ops/s; its details keep the precision). */
async function bench(title: string, fn: () => void, minSamples: number, maxTime: number): Promise<Timed> {
  let timed: Timed | undefined;
  await b.suite(
    title,
    b.add(title, () => { fn(); }, { minSamples, maxTime }),
    b.complete((summary) => {
      const r = summary.results[0];
      timed = { seconds: r.details.median, mean: r.details.mean, margin: r.margin, samples: r.samples };
    }),
  );
  if (!timed) throw new Error(`benny returned no result for ${title}`);
  return timed;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, c) => a - c);
  return s[Math.floor(s.length / 2)];
}

// ---- QEMU ------------------------------------------------------------------------------

const haveQemu = WANT_QEMU && qemuInstalled();
const qemuVersionLine = !WANT_QEMU ? 'skipped (--no-qemu)' : qemuVersion();

function qemuRun(g: Guest, n: number): number {
  return qemuRunPatched(g.elf, g.itersAddr, u64le(n), `at ${n} iterations`, 300_000).seconds;
}

interface QemuResult { iterations: number; seconds: number; startSeconds: number; runs: number; nsPerIteration: number }

/** Median whole-process times at N iterations and at 0 (start-up only), interleaved. */
function qemuMeasure(g: Guest): QemuResult {
  const start = median([qemuRun(g, 0), qemuRun(g, 0), qemuRun(g, 0)]);
  const probe = 200_000;
  const perIter = Math.max((qemuRun(g, probe) - start) / probe, 0.5e-9);
  const iterations = Math.max(10_000, Math.min(4_000_000_000, Math.round(QEMU_TARGET / perIter)));
  const atN: number[] = [];
  const at0: number[] = [];
  const runs = 3;
  for (let i = 0; i < runs; i++) {
    atN.push(qemuRun(g, iterations));
    at0.push(qemuRun(g, 0));
  }
  const seconds = median(atN);
  const startSeconds = median(at0);
  return { iterations, seconds, startSeconds, runs, nsPerIteration: ((seconds - startSeconds) / iterations) * 1e9 };
}

// ---- measuring -------------------------------------------------------------------------

interface Cell {
  /** Loop iterations per measured run. */
  iterations: number;
  /** Mean time per measured run (benny), seconds. */
  run: Timed;
  nsPerIteration: number;
  /** Guest instructions per run at WARMUP_ITERATIONS (identical on every engine), and per iteration. */
  warmupInstructions: number;
  instructionsPerIteration: number;
  /** Instructions compiled code left to the monitor per loop iteration (JIT only). */
  monitorExitsPerIteration: number | null;
  /** Units translated during the measured runs (0 when the warm-up compiled everything). */
  translationsWhileMeasured: number | null;
  /** Median time of ZERO_RUNS runs at 0 iterations (reload, set-up, power-off), microseconds: not subtracted. */
  zeroIterationMicros: number;
}

interface Row {
  program: string;
  paper: string;
  operation: string;
  cells: Partial<Record<ConfigKey, Cell>>;
  qemu: QemuResult | { unavailable: string };
}

function timeRun(r: Runner, iterations: number): number {
  const t = performance.now();
  r.run(iterations);
  return (performance.now() - t) / 1000;
}

/** An iteration count that makes one run last about TARGET seconds on this Machine. */
function calibrate(r: Runner): number {
  let n = MIN_ITERATIONS;
  for (;;) {
    const t = timeRun(r, n);
    if (t >= TARGET / 10 || n >= MAX_ITERATIONS) {
      return Math.max(MIN_ITERATIONS, Math.min(MAX_ITERATIONS, Math.round((n * TARGET) / Math.max(t, 1e-9))));
    }
    n = Math.min(MAX_ITERATIONS, n * Math.min(100, Math.max(2, Math.ceil(TARGET / 10 / Math.max(t, 1e-6)))));
  }
}

async function measure(g: Guest, config: Config): Promise<Cell> {
  const r = new Runner(g, config);
  const warmupInstructions = r.run(WARMUP_ITERATIONS);
  const zeroInstructions = r.run(0);
  // The first estimate comes from short, early runs (rvwasm's own JS still warming up, tier 2
  // not in yet), so it is refined by runs at the estimated count until one lasts within 30%
  // of TARGET (at most 3). These runs, and one more at the final count, also compile what
  // only long runs reach, let hot code tier up and adaptive sites be rewritten before
  // anything is timed.
  let iterations = ITERATIONS;
  if (iterations === null) {
    iterations = calibrate(r);
    for (let i = 0; i < 3; i++) {
      const t = timeRun(r, iterations);
      const next = Math.max(MIN_ITERATIONS, Math.min(MAX_ITERATIONS, Math.round((iterations * TARGET) / Math.max(t, 1e-9))));
      if (Math.abs(t - TARGET) < 0.3 * TARGET) break;
      iterations = next;
    }
  }
  const instructions = r.run(iterations);
  const before = r.jitCounts();
  let runs = 0;
  const run = await bench(`${g.name}: ${config.label} (${iterations} iterations)`, () => { r.run(iterations); runs++; }, 5, MAX_TIME);
  const after = r.jitCounts();
  // A fixed number of plain timings: a few dozen runs say enough about a cost that is only
  // context. (Not benny's thousands: Hart.reset() keeps the trap-loop detector's state, so
  // 1000 reloaded runs whose only exception comes at the same retired count, syscall at 0
  // iterations, end 'halted: guest stuck in a trap loop' on both engines.)
  const zero: number[] = [];
  for (let i = 0; i < ZERO_RUNS; i++) zero.push(timeRun(r, 0));
  return {
    iterations,
    run,
    nsPerIteration: (run.seconds / iterations) * 1e9,
    warmupInstructions,
    instructionsPerIteration: (instructions - zeroInstructions) / iterations,
    monitorExitsPerIteration: before && after ? (after.monitorExits - before.monitorExits) / (runs * iterations) : null,
    translationsWhileMeasured: before && after ? after.translations - before.translations : null,
    zeroIterationMicros: median(zero) * 1e6,
  };
}

const loadAtStart = loadavg().map((x) => Number(x.toFixed(2)));
const rows: Row[] = [];
const notes: string[] = [];

for (const p of programs) {
  const g = loadGuest(p.name);
  console.log(`\n=== ${p.name}`);
  const cells: Row['cells'] = {};
  for (const c of CONFIGS) cells[c.key] = await measure(g, c);
  const ref = cells.interp!.warmupInstructions;
  for (const c of CONFIGS) {
    const n = cells[c.key]!.warmupInstructions;
    if (n !== ref) {
      notes.push(`${p.name}: ${c.label} executed ${n} instructions in a run of ${WARMUP_ITERATIONS} iterations, the interpreter ${ref}: the engines disagree`);
    }
  }
  let qemu: Row['qemu'] = { unavailable: qemuVersionLine === 'not installed' ? 'not installed' : 'skipped' };
  if (haveQemu) {
    console.log(`qemu: ${p.name}`);
    try {
      qemu = qemuMeasure(g);
    } catch (e) {
      console.log(`qemu: ${p.name}: ${(e as Error).message}`);
      qemu = { unavailable: 'failed' };
    }
  }
  rows.push({ program: p.name, paper: p.paper, operation: p.op, cells, qemu });
}

// ---- derived figures -------------------------------------------------------------------

const baseRow = rows.find((r) => r.program === 'baseline')!;
type Column = ConfigKey | 'qemu';
const COLUMNS: Column[] = ['trap', 'callout', 'intc', 'adaptive', 'interp', 'qemu'];
const COLUMN_LABEL: Record<Column, string> = { trap: 'trap', callout: 'callout', intc: 'in-TC', adaptive: `adaptive(${ADAPTIVE})`, interp: 'interp', qemu: 'QEMU' };

function ns(r: Row, c: Column): number | null {
  if (c === 'qemu') return 'nsPerIteration' in r.qemu ? r.qemu.nsPerIteration : null;
  return r.cells[c]?.nsPerIteration ?? null;
}

/** ns per iteration above the baseline program's, same column. */
function above(r: Row, c: Column): number | null {
  const v = ns(r, c);
  const base = ns(baseRow, c);
  return v === null || base === null ? null : v - base;
}

interface Ratio { trap: number; callout: number; intc: 1; text: string }

/** trap : callout : in-TC, scaled so in-TC = 1 (null when in-TC is not positive). */
function ratio(trap: number | null, callout: number | null, intc: number | null): Ratio | null {
  if (trap === null || callout === null || intc === null || !(intc > 0)) return null;
  const t = trap / intc;
  const c = callout / intc;
  return { trap: t, callout: c, intc: 1, text: `${t.toFixed(1)} : ${c.toFixed(1)} : 1` };
}

const ratios = rows.filter((r) => r !== baseRow).map((r) => ({
  program: r.program,
  aboveBaseline: ratio(above(r, 'trap'), above(r, 'callout'), above(r, 'intc')),
  raw: ratio(ns(r, 'trap'), ns(r, 'callout'), ns(r, 'intc')),
}));
const paperRatio = ratio(PAPER_RDTSC.trap, PAPER_RDTSC.callout, PAPER_RDTSC.intc)!;

// ---- report ----------------------------------------------------------------------------

function table(head: string[], body: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i <= 1 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  return [line(head), ...body.map(line)].join('\n');
}
const nsText = (v: number | null) => (v === null ? '-' : Math.abs(v) < 10 ? v.toFixed(2) : Math.abs(v) < 1000 ? v.toFixed(1) : v.toFixed(0));
/** Cells whose benny margin is above this many percent are marked noisy. */
const NOISY_MARGIN = 10;
const noisy = (r: Row, c: Column) => c !== 'qemu' && (r.cells[c]?.run.margin ?? 0) > NOISY_MARGIN;
const colText = (r: Row, c: Column, v: number | null) =>
  (c === 'qemu' && !('nsPerIteration' in r.qemu) ? r.qemu.unavailable : `${nsText(v)}${noisy(r, c) ? '*' : ''}`);

console.log(`\nns per loop iteration (median time per run / iterations in the run; nothing subtracted; ` +
  `* = benny's margin above ${NOISY_MARGIN}%: a noisy case)`);
console.log(table(['program', 'A&A', ...COLUMNS.map((c) => COLUMN_LABEL[c])],
  rows.map((r) => [r.program, r.paper, ...COLUMNS.map((c) => colText(r, c, ns(r, c)))])));

console.log('\ncost of the operation above baseline (ns per iteration: program - baseline, same column)');
console.log(table(['program', 'A&A', ...COLUMNS.map((c) => COLUMN_LABEL[c])],
  rows.filter((r) => r !== baseRow).map((r) => [r.program, r.paper, ...COLUMNS.map((c) => colText(r, c, above(r, c)))])));

console.log('\ntrap : callout : in-TC (in-TC = 1)');
console.log(table(['program', 'A&A', 'above baseline', 'raw ns', 'A&A rdtsc, Pentium 4'],
  ratios.map((x) => [x.program, PROGRAMS.find((p) => p.name === x.program)!.paper, x.aboveBaseline?.text ?? 'n/a', x.raw?.text ?? 'n/a',
    `${paperRatio.text} (${PAPER_RDTSC.trap}, ${PAPER_RDTSC.callout}, ${PAPER_RDTSC.intc} cycles)`])));

const JIT_KEYS: ConfigKey[] = ['trap', 'callout', 'intc', 'adaptive'];
console.log(`\niterations per measured run (${ITERATIONS === null ? `picked for ~${TARGET} s per run` : 'from --iterations'}), and ` +
  'the fixed cost of a run at 0 iterations in us (reload, set-up, power-off: included above, not subtracted)');
console.log(table(['program', 'A&A', ...CONFIGS.map((c) => COLUMN_LABEL[c.key]), 'qemu', ...CONFIGS.map((c) => `0-iter ${COLUMN_LABEL[c.key]}`)],
  rows.map((r) => [r.program, r.paper, ...CONFIGS.map((c) => String(r.cells[c.key]!.iterations)),
    'iterations' in r.qemu ? String(r.qemu.iterations) : '-',
    ...CONFIGS.map((c) => r.cells[c.key]!.zeroIterationMicros.toFixed(0))])));

console.log('\nguest instructions per loop iteration, and instructions the JIT left to the monitor per iteration');
console.log(table(['program', 'A&A', 'insns/iter', ...JIT_KEYS.map((k) => `exits ${COLUMN_LABEL[k]}`)],
  rows.map((r) => [r.program, r.paper, r.cells.interp!.instructionsPerIteration.toFixed(2),
    ...JIT_KEYS.map((k) => { const e = r.cells[k]?.monitorExitsPerIteration; return e === null || e === undefined ? '-' : e.toFixed(2); })])));

for (const r of rows) {
  for (const c of CONFIGS) {
    const t = r.cells[c.key]!.translationsWhileMeasured;
    if (t) notes.push(`${r.program}: ${c.label}: ${t} units translated during the measured runs (the warm-up did not compile everything)`);
  }
}
for (const r of rows) {
  const a = above(r, 'intc');
  if (r !== baseRow && a !== null && a < 2) {
    notes.push(`${r.program}: in-TC costs ${a.toFixed(2)} ns above baseline, within timing noise: its above-baseline ratio is not meaningful, read the raw one`);
  }
}
const exitsOf = (r: Row, k: ConfigKey) => r.cells[k]?.monitorExitsPerIteration ?? null;
for (const k of ['callout', 'intc', 'adaptive'] as const) {
  const same = rows.every((r) => exitsOf(r, k) === exitsOf(r, 'trap'));
  if (same) notes.push(`${COLUMN_LABEL[k]} left exactly as many instructions to the monitor as trap in every program: the option had no effect in this build`);
}
for (const n of notes) console.log(`note: ${n}`);

const gitHead = spawnSync('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim() || '?';
const gitDirty = spawnSync('git', ['-C', ROOT, 'status', '--porcelain', '--', 'src'], { encoding: 'utf8' }).stdout.trim() !== '';
const machine = {
  node: process.version,
  v8: process.versions.v8,
  cpu: `${cpus()[0]?.model ?? '?'} x${cpus().length}`,
  loadAverage: { start: loadAtStart, end: loadavg().map((x) => Number(x.toFixed(2))) },
  qemu: qemuVersionLine,
  git: `${gitHead}${gitDirty ? ' (src/ modified)' : ''}`,
};
const options = {
  iterations: ITERATIONS ?? `picked per case for ${TARGET} s per run`,
  targetSeconds: ITERATIONS === null ? TARGET : null,
  warmupIterations: WARMUP_ITERATIONS,
  adaptiveThreshold: ADAPTIVE,
  bennyMaxTimeSeconds: MAX_TIME,
  bennyMinSamples: 5,
  qemuTargetSeconds: QEMU_TARGET,
  configs: Object.fromEntries(CONFIGS.map((c) => [c.key, c.options])),
  jitDefaults: Object.fromEntries(Object.entries(DEFAULT_JIT_OPTIONS).filter(([, v]) => typeof v !== 'function')),
  machine: 'default Machine options otherwise: 128 MiB RAM, deterministic mtime, misaligned allow',
};
console.log('\nSettings');
console.log(`  ${ITERATIONS === null ? `iterations per case picked for ~${TARGET} s per run` : `${ITERATIONS} iterations per run`} ` +
  `(warm-up: one run at ${WARMUP_ITERATIONS}, ${ITERATIONS === null ? 'the calibration runs, ' : ''}one at the measured count); ` +
  `adaptive threshold ${ADAPTIVE}; benny maxTime ${MAX_TIME} s, median of its samples`);
console.log(`  JIT defaults (DEFAULT_JIT_OPTIONS, under the per-configuration options): ` +
  Object.entries(options.jitDefaults).map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : v}`).join(', '));
console.log(`  node ${machine.node} (V8 ${machine.v8}), ${machine.cpu}; load average ${machine.loadAverage.start.join(' ')} at start, ` +
  `${machine.loadAverage.end.join(' ')} at end (a shared machine: compare ratios within one run)`);
console.log(`  QEMU: ${machine.qemu}${haveQemu ? ` (whole-process time at N iterations minus at 0, medians of 3 interleaved runs, N picked for ~${QEMU_TARGET} s)` : ''}`);
console.log(`  rvwasm ${machine.git}`);

mkdirSync(RESULTS, { recursive: true });
const jsonFile = join(RESULTS, 'sensitive.json');
writeFileSync(jsonFile, `${JSON.stringify({
  date: new Date().toISOString(),
  machine,
  options,
  reference: { source: 'Adams & Agesen, ASPLOS 2006: rdtsc on a Pentium 4, cycles', ...PAPER_RDTSC, ratio: paperRatio.text },
  rows: rows.map((r) => ({
    ...r,
    nsPerIteration: Object.fromEntries(COLUMNS.map((c) => [c, ns(r, c)])),
    aboveBaseline: r === baseRow ? null : Object.fromEntries(COLUMNS.map((c) => [c, above(r, c)])),
  })),
  ratios,
  notes,
}, null, 2)}\n`);
console.log(`wrote ${jsonFile}`);

const chartColumns = COLUMNS.filter((c) => rows.some((r) => ns(r, c) !== null));
const svgFile = join(RESULTS, 'sensitive.svg');
writeFileSync(svgFile, groupedBarChart({
  title: 'Sensitive-instruction micro-benchmarks (Adams & Agesen 2006 on rvwasm)',
  groups: rows.map((r) => (r.paper === '-' ? r.program : `${r.program}\n(${r.paper})`)),
  series: chartColumns.map((c) => ({ name: COLUMN_LABEL[c], values: rows.map((r) => ns(r, c)) })),
  yLabel: 'ns per loop iteration',
  xLabel: 'program (Adams & Agesen counterpart)',
  log: true,
  note: `${ITERATIONS === null ? `~${TARGET} s` : `${ITERATIONS} iterations`} per measured run; ${machine.cpu}; node ${machine.node}; ` +
    `rvwasm ${machine.git}; ${new Date().toISOString().slice(0, 10)}`,
  width: 1100,
  height: 520,
}));
console.log(`wrote ${svgFile}`);
