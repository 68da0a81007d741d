// Execution speed on the six guest workloads, every engine side by side in one run:
//   1. the reference interpreter (scale 1);
//   2. the JIT cold: a fresh Machine, loadElf, run() at scale 1, so translation and V8
//      compilation are included;
//   3. the JIT warm: one Machine reloading the same ELF (identical bytes keep the
//      translation cache) and running it again, at a scale that makes a run last about
//      --target seconds: steady state;
//   4. the same ELF under qemu-system-riscv64 (TCG), when installed;
//   5. the workload's C compiled straight to wasm32 with clang (bench/native-wasm), when
//      built: the limit for any Wasm JIT.
// The scale is the guest's `rvwasm_scale` word (guest-images/lib/rt.h): the workload
// repeats its whole computation that many times and still prints one pass's output, which
// is checked on every run of every engine. rvwasm's runs are timed with benny; results are
// ratios measured in this one run on a shared machine, never absolute claims.
//   npm run bench:exec [-- workload ...] [--target=<seconds>]
import b from 'benny';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Machine } from '../src/api/index.js';
import { DEFAULT_JIT_OPTIONS, MAX_COMPILE_THRESHOLD, type JitOptions } from '../src/jit/engine.js';
import { parseElf } from '../src/machine/elf.js';
import { qemuInstalled, qemuRunPatched, qemuVersion } from './qemu.js';

const ROOT = join(import.meta.dirname, '..');
const BUILD = join(ROOT, 'guest-images/build');
const NATIVE = join(ROOT, 'bench/native-wasm');
const ALL = ['crc32', 'sha256', 'qsort', 'matmul', 'bytecode', 'strings'];
const argv = process.argv.slice(2);
const chosen = argv.filter((a) => !a.startsWith('-'));
const workloads = chosen.length > 0 ? chosen : ALL;
const targetArg = argv.find((a) => a.startsWith('--target='));
/** Seconds one measured run of a fast engine should last (the scale is picked for it). */
const TARGET = targetArg ? Number(targetArg.slice('--target='.length)) : 0.5;
if (!(TARGET > 0)) throw new Error('--target=<seconds> must be positive');
for (const w of workloads) if (!ALL.includes(w)) throw new Error(`unknown workload ${w} (have: ${ALL.join(', ')})`);

const MAX_SCALE = 1_000_000;

// ---- the guests ------------------------------------------------------------------------

interface Guest {
  name: string;
  elf: string;
  image: Uint8Array;
  /** Physical address of rvwasm_scale (the images run with translation off). */
  scaleAddr: bigint;
  /** One pass's console output: what every run at scale >= 1 must print. */
  expected: string;
}

function loadGuest(name: string): Guest {
  const elf = join(BUILD, `${name}.elf`);
  const image = new Uint8Array(readFileSync(elf));
  const scaleAddr = parseElf(image, elf).symbols.get('rvwasm_scale');
  if (scaleAddr === undefined) throw new Error(`${elf} has no rvwasm_scale symbol: rebuild with make -C guest-images`);
  return { name, elf, image, scaleAddr, expected: readFileSync(join(BUILD, `${name}.expected`), 'latin1') };
}

function u32le(n: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, n, true);
  return bytes;
}

function checkOutput(engine: string, g: Guest, scale: number, got: string): void {
  const want = scale === 0 ? '' : g.expected;
  if (got !== want) {
    throw new Error(`${engine}: ${g.name} at scale ${scale} printed ${JSON.stringify(got.slice(0, 200))}, ` +
      `expected ${JSON.stringify(want.slice(0, 200))}`);
  }
}

/** One rvwasm Machine that checks the exit code and the console output of every run. */
class Rv {
  readonly m: Machine;
  private text = '';

  constructor(engine: 'interp' | 'jit', jit?: Partial<JitOptions>) {
    this.m = new Machine({ engine, jit, output: (_fd, bytes) => { this.text += Buffer.from(bytes).toString('latin1'); } });
  }

  /** loadElf, set the scale, run to the end; returns the instructions executed. */
  run(g: Guest, scale: number): number {
    this.text = '';
    this.m.loadElf(g.image, g.name);
    this.m.writeMemory(g.scaleAddr, u32le(scale));
    const outcome = this.m.run();
    if (outcome.kind !== 'exit' || outcome.code !== 0) {
      throw new Error(`${this.m.engine}: ${g.name} at scale ${scale} ended ${JSON.stringify(outcome)}: ${this.text.slice(-300)}`);
    }
    checkOutput(this.m.engine, g, scale, this.text);
    return Number(this.m.instructionCount);
  }
}

interface Timed { seconds: number; margin: number; samples: number }

/** benny's mean time per call of `fn` (benny rounds ops/s; the mean keeps the precision). */
async function bench(title: string, fn: () => void, minSamples: number, maxTime: number): Promise<Timed> {
  let timed: Timed | undefined;
  await b.suite(
    title,
    b.add(title, () => { fn(); }, { minSamples, maxTime }),
    b.complete((summary) => {
      const r = summary.results[0];
      timed = { seconds: r.details.mean, margin: r.margin, samples: r.samples };
    }),
  );
  if (!timed) throw new Error(`benny returned no result for ${title}`);
  return timed;
}

function timeOnce(fn: () => void): number {
  const t = performance.now();
  fn();
  return (performance.now() - t) / 1000;
}

function scaleFor(secondsPerPass: number): number {
  return Math.max(2, Math.min(MAX_SCALE, Math.round(TARGET / Math.max(secondsPerPass, 1e-9))));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, c) => a - c);
  return s[Math.floor(s.length / 2)];
}

// ---- QEMU ------------------------------------------------------------------------------

const haveQemu = qemuInstalled();
const qemuVersionLine = qemuVersion();

function qemuRun(g: Guest, scale: number): number {
  const r = qemuRunPatched(g.elf, g.scaleAddr, u32le(scale), `at scale ${scale}`, 600_000);
  // Every run's output is checked (scale 0 must print nothing): a QEMU that put the scale elsewhere would be caught.
  checkOutput('qemu', g, scale, r.stdout);
  return r.seconds;
}

interface QemuResult { scale: number; seconds: number; startSeconds: number; runs: number }

/**
 * Seconds a probe run must exceed the start-up time by before its difference is trusted
 * as the cost of its passes: QEMU's start-up alone varies by tens of milliseconds.
 */
const QEMU_PROBE_MARGIN = 0.25;
/** Passes beyond which the probe stops doubling (a workload whose pass is below noise at this scale is not measurable). */
const QEMU_PROBE_MAX_SCALE = 1 << 16;

/**
 * Median whole-process times at scale N and at scale 0 (start-up only), interleaved. The
 * time per pass is calibrated by doubling a probe's scale until the probe takes clearly
 * longer than start-up (QEMU_PROBE_MARGIN): a probe within noise of start-up would give a
 * time per pass near zero and an enormous scale (a run that never ends).
 */
function qemuMeasure(g: Guest): QemuResult {
  const start = median([qemuRun(g, 0), qemuRun(g, 0), qemuRun(g, 0)]);
  let probe = 8;
  let probeSeconds = qemuRun(g, probe);
  while (probeSeconds - start < QEMU_PROBE_MARGIN) {
    if (probe >= QEMU_PROBE_MAX_SCALE) {
      throw new Error(`QEMU's time at scale ${probe} (${probeSeconds.toFixed(3)} s) is within noise of its start-up (${start.toFixed(3)} s)`);
    }
    probe *= 2;
    probeSeconds = qemuRun(g, probe);
  }
  const scale = scaleFor((probeSeconds - start) / probe);
  const atN: number[] = [];
  const at0: number[] = [];
  const runs = 5;
  for (let i = 0; i < runs; i++) {
    atN.push(qemuRun(g, scale));
    at0.push(qemuRun(g, 0));
  }
  return { scale, seconds: median(atN), startSeconds: median(at0), runs };
}

// ---- native Wasm -----------------------------------------------------------------------

const nativeInfoFile = join(NATIVE, 'build-info.txt');

function commandWorks(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

/** Builds the missing modules when clang and wasm-ld are here; says why there is none otherwise. */
function prepareNative(names: string[]): string | null {
  const missing = names.filter((n) => !existsSync(join(NATIVE, `${n}.wasm`)));
  if (missing.length === 0) return null;
  if (!commandWorks('clang', ['--version']) || !commandWorks('wasm-ld', ['--version'])) {
    return `not available: ${missing.join(', ')} not built and clang/wasm-ld not installed (apt-get install -y clang lld)`;
  }
  const r = spawnSync('sh', [join(NATIVE, 'build.sh'), ...missing], { stdio: 'inherit' });
  return r.status === 0 ? null : `not available: bench/native-wasm/build.sh failed (exit ${r.status})`;
}

class NativeExit extends Error {
  constructor(readonly code: number) { super(`exit ${code}`); }
}

function nativeRun(mod: WebAssembly.Module, g: Guest, scale: number): void {
  const bytes: number[] = [];
  const instance = new WebAssembly.Instance(mod, {
    env: {
      putchar: (c: number) => { bytes.push(c & 0xff); },
      exit: (code: number) => { throw new NativeExit(code); },
    },
  });
  const ex = instance.exports as { memory: WebAssembly.Memory; rvwasm_scale: WebAssembly.Global; run: () => number };
  new DataView(ex.memory.buffer).setUint32(ex.rvwasm_scale.value as number, scale, true);
  let code: number;
  try {
    code = ex.run();
  } catch (e) {
    if (!(e instanceof NativeExit)) throw e;
    code = e.code;
  }
  if (code !== 0) throw new Error(`native-wasm: ${g.name} at scale ${scale} exited ${code}`);
  checkOutput('native-wasm', g, scale, Buffer.from(bytes).toString('latin1'));
}

// ---- whole processes ------------------------------------------------------------------

const CLI = join(ROOT, 'dist/cli.js');

function rvwasmProcessSeconds(g: Guest): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, [CLI, 'run', g.elf], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  const seconds = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`rvwasm run ${g.elf}: exit ${r.status} ${r.stderr}`);
  checkOutput('rvwasm process', g, 1, r.stdout.toString('latin1'));
  return seconds;
}

/** Medians of interleaved whole-process runs at scale 1 (the shipped image, unpatched). */
function measureProcesses(g: Guest): ProcessCold {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: npm run build`);
  const runs = 5;
  const rv: number[] = [];
  const q: number[] = [];
  for (let i = 0; i < runs; i++) {
    rv.push(rvwasmProcessSeconds(g));
    if (haveQemu) q.push(qemuRun(g, 1));
  }
  return { rvwasmSeconds: median(rv), qemuSeconds: haveQemu ? median(q) : null, runs };
}

// ---- figures -----------------------------------------------------------------------------

const geomean = (xs: number[]) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
const f = (x: number, digits = 0) => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const mipsText = (x: number) => (x < 100 ? f(x, 1) : f(x));
const ratioText = (x: number) => `${x < 0.1 ? x.toFixed(3) : x.toFixed(2)}x`;
const secondsText = (t: Timed) => `${t.seconds.toFixed(3)} ±${t.margin.toFixed(1)}%`;
type Maybe = { mips: number } | { unavailable: string };
const text = (m: Maybe) => ('mips' in m ? mipsText(m.mips) : m.unavailable);
const ratio = (r: Row, m: Maybe) => ('mips' in m ? ratioText(r.jitWarm.mips / m.mips) : '-');

function table(head: string[], body: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  return [line(head), ...body.map(line)].join('\n');
}

/** The geomean over every workload, or why there is none (a column with a gap has no geomean). */
function columnGeomean(pick: (r: Row) => Maybe): Maybe {
  const ms = rows.map(pick);
  const missing = ms.find((m) => !('mips' in m));
  return missing ?? { mips: geomean(ms.map((m) => (m as { mips: number }).mips)) };
}

function ratioGeomean(pick: (r: Row) => Maybe): number | null {
  const ms = rows.map(pick);
  return ms.every((m) => 'mips' in m) ? geomean(rows.map((r, i) => r.jitWarm.mips / (ms[i] as { mips: number }).mips)) : null;
}

function geomeans() {
  return {
    interp: geomean(rows.map((r) => r.interp.mips)),
    jitCold: geomean(rows.map((r) => r.jitCold.mips)),
    jitWarm: geomean(rows.map((r) => r.jitWarm.mips)),
    qemu: columnGeomean((r) => r.qemu),
    native: columnGeomean((r) => r.native),
    warmVsQemu: ratioGeomean((r) => r.qemu),
    warmVsNative: ratioGeomean((r) => r.native),
    fastInterp: geomean(rows.map((r) => r.fastInterp.mips)),
    /** rvwasm's whole process against QEMU's at scale 1 (time ratio: below 1 is faster), when QEMU ran. */
    processVsQemu: rows.every((r) => r.processCold.qemuSeconds !== null)
      ? geomean(rows.map((r) => r.processCold.rvwasmSeconds / r.processCold.qemuSeconds!)) : null,
  };
}

const NOTES = [
  'interp and JIT cold run the shipped workload (scale 1, one pass); JIT cold is a fresh Machine each time, so it',
  'includes translation, Wasm compilation and instantiation. JIT warm, QEMU and native-Wasm run at the scales below.',
  'QEMU: whole-process time at scale N minus whole-process time at scale 0 (start, load, exit; no pass), medians of',
  'interleaved runs, against rvwasm\'s exact instruction count for those N passes (the guest code is identical);',
  'QEMU\'s own translation of the workload stays in, spread over the N passes.',
  '* native-Wasm: the workload\'s C compiled to wasm32 by clang; its "MIPS" is speed-equivalent: rvwasm\'s instruction',
  'count for the same scale divided by the native time.',
];
const COLD_NOTES = [
  'units = translation units (the counters count units, not guest instructions); compile ms = rvwasm\'s code generation',
  'plus new WebAssembly.Module (V8\'s baseline compile), for units and tier-2 regions alike; units/s and Wasm KB/s are',
  'over compile + instantiate time. cold-warm = a fresh Machine\'s run minus a warm rerun at scale 1: every cost of',
  'starting cold (translation, V8 compile and tier-up, first TLB and jump-cache fills, allocating the Machine).',
  '1st cold = the first fresh Machine for this workload in this process, before benny\'s samples.',
];

// ---- results file ---------------------------------------------------------------------

const outFile = join(ROOT, 'bench/results/exec.json');

function currentSettings() {
  const nativeInfo = existsSync(nativeInfoFile)
    ? readFileSync(nativeInfoFile, 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).join('; ') : 'no build-info.txt';
  const settings = {
    jitDefaults: Object.fromEntries(Object.entries(DEFAULT_JIT_OPTIONS).filter(([, v]) => typeof v !== 'function')),
    tlbEntriesInUse: tlbEntries,
    machine: 'default Machine options: 128 MiB RAM, deterministic mtime, misaligned allow',
    targetSecondsPerRun: TARGET,
    node: process.version,
    v8: process.versions.v8,
    cpu: `${cpus()[0]?.model ?? '?'} x${cpus().length}`,
    loadAverage: { start: loadAtStart, end: loadavg().map((x) => Number(x.toFixed(2))) },
    qemu: qemuVersionLine,
    nativeWasm: nativeUnavailable ?? nativeInfo,
  };
  return settings;
}

/**
 * Writes what has been measured so far: after every workload (a run stopped half-way
 * keeps what it measured, marked incomplete) and once more at the end.
 */
function saveResults(complete: boolean): void {
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  const gm = complete ? geomeans() : null;
  writeFileSync(outFile, `${JSON.stringify({ date: new Date().toISOString(), complete, settings: currentSettings(), notes: { table: NOTES, coldStart: COLD_NOTES }, rows, geomeans: gm }, null, 2)}\n`);
}

// ---- measuring -------------------------------------------------------------------------

type JitCounters = NonNullable<ReturnType<Machine['counters']>['jit']>;

/** Tier-2 counters when this build of the JIT has them (read loosely: they are newer than this bench). */
function tier2Of(j: JitCounters): { promotions: number; regionUnits: number } | null {
  const t = (j as unknown as { tier2?: { promotions?: unknown; regionUnits?: unknown } }).tier2;
  if (!t || typeof t.promotions !== 'number' || typeof t.regionUnits !== 'number') return null;
  return { promotions: t.promotions, regionUnits: t.regionUnits };
}

interface ColdStart {
  /** Per cold run (means over benny's samples). */
  translations: number;
  modules: number;
  wasmBytes: number;
  /** Tier-2 regions compiled, and units in them (null: this JIT has no tier 2). */
  promotions: number | null;
  regionUnits: number | null;
  compileMillis: number;
  instantiateMillis: number;
  unitsPerSecond: number;
  wasmBytesPerSecond: number;
  coldSeconds: number;
  warmSeconds: number;
  /** The very first cold run of this workload in the process (rvwasm's own JS less warmed up). */
  firstColdSeconds: number;
}

/** Whole processes at scale 1: `node dist/cli.js run <elf>` against `qemu-system-riscv64 ... -kernel <elf>`, medians. */
interface ProcessCold {
  rvwasmSeconds: number;
  qemuSeconds: number | null;
  runs: number;
}

interface Row {
  workload: string;
  /** Instructions at scale 0, 1 and 2 (each later pass: scale2 - scale1, no console output). */
  insns: { scale0: number; scale1: number; perLaterPass: number };
  interp: Timed & { mips: number };
  /** The fast interpreter alone (nothing compiled), scale 1, a fresh Machine each time. */
  fastInterp: Timed & { mips: number };
  /** Which executor ran how many instructions in a cold run at scale 1 (the default thresholds). */
  coldExecutors: { fastInterpreter: number; tier1: number; tier2: number; monitor: number };
  processCold: ProcessCold;
  jitCold: Timed & { mips: number };
  jitWarm: Timed & {
    mips: number; scale: number; instructions: number;
    /** JIT work during the measured warm runs (0 when the cache already held everything). */
    runs: number; translations: number; invalidations: number; promotions: number | null;
  };
  /** QEMU's figures, or why there are none ("not installed", a failed run). */
  qemu: (QemuResult & { mips: number; instructions: number }) | { unavailable: string };
  /** The native-Wasm figures, or why there are none. */
  native: (Timed & { mips: number; scale: number; instructions: number }) | { unavailable: string };
  cold: ColdStart;
}

const loadAtStart = loadavg().map((x) => Number(x.toFixed(2)));
const nativeUnavailable = prepareNative(workloads);
const rows: Row[] = [];
let tlbEntries = 0;

for (const name of workloads) {
  const g = loadGuest(name);
  console.log(`\n=== ${name}`);

  // Exact instruction counts; every later pass repeats exactly the same instructions.
  const counter = new Rv('jit');
  const i0 = counter.run(g, 0);
  const i1 = counter.run(g, 1);
  const i2 = counter.run(g, 2);
  const insnsAt = (scale: number) => (scale === 0 ? i0 : i1 + (scale - 1) * (i2 - i1));

  // 1. interpreter, scale 1.
  const interpM = new Rv('interp');
  if (interpM.run(g, 1) !== i1) throw new Error(`${name}: the interpreter and the JIT count different instructions`);
  const interp = await bench(`interp: ${name} (scale 1)`, () => interpM.run(g, 1), 3, 3);

  // 1b. The fast interpreter alone, scale 1: a fresh Machine every time (the module is compiled once per process).
  const fastInterp = await bench(`fast interpreter: ${name} (fresh Machine, scale 1, nothing compiled)`,
    () => new Rv('jit', { compileThreshold: MAX_COMPILE_THRESHOLD }).run(g, 1), 5, 3);

  // 2. JIT cold, scale 1: a fresh Machine every time.
  const t0 = performance.now();
  const warmM = new Rv('jit'); // becomes the warm Machine below
  warmM.run(g, 1);
  const firstColdSeconds = (performance.now() - t0) / 1000;
  const coldSum = { runs: 0, translations: 0, modules: 0, wasmBytes: 0, compileMillis: 0, instantiateMillis: 0, promotions: 0, regionUnits: 0 };
  let haveTier2 = false;
  const jitCold = await bench(`jit cold: ${name} (fresh Machine, scale 1)`, () => {
    const r = new Rv('jit');
    r.run(g, 1);
    const j = r.m.counters().jit!;
    coldSum.runs++;
    coldSum.translations += j.translations;
    coldSum.modules += j.modules;
    coldSum.wasmBytes += j.bytesEmitted;
    coldSum.compileMillis += j.compileMillis;
    coldSum.instantiateMillis += j.instantiateMillis;
    const t2 = tier2Of(j);
    if (t2) {
      haveTier2 = true;
      coldSum.promotions += t2.promotions;
      coldSum.regionUnits += t2.regionUnits;
    }
  }, 5, 3);

  // 3. JIT warm: the first cold Machine, reloaded.
  tlbEntries = warmM.m.counters().jit!.tlb.entries;
  const warm1 = await bench(`jit warm: ${name} (scale 1)`, () => warmM.run(g, 1), 10, 2);
  warmM.run(g, 4);
  const warmScale = scaleFor(timeOnce(() => warmM.run(g, 4)) / 4);
  warmM.run(g, warmScale); // translates what only this scale reaches; tier 2 promotes what got hot
  const warmInsns = warmM.run(g, warmScale);
  if (warmInsns !== insnsAt(warmScale)) {
    throw new Error(`${name}: ${warmInsns} instructions at scale ${warmScale}, expected ${insnsAt(warmScale)}: passes differ`);
  }
  const before = warmM.m.counters().jit!;
  let warmRuns = 0;
  const warm = await bench(`jit warm: ${name} (scale ${warmScale})`, () => { warmM.run(g, warmScale); warmRuns++; }, 5, 4);
  const after = warmM.m.counters().jit!;

  // 4. QEMU.
  let qemu: Row['qemu'] = { unavailable: 'not installed' };
  if (haveQemu) {
    console.log(`qemu: ${name}`);
    try {
      const q = qemuMeasure(g);
      const instructions = insnsAt(q.scale) - i0;
      qemu = { ...q, instructions, mips: instructions / (q.seconds - q.startSeconds) / 1e6 };
    } catch (e) {
      console.log(`qemu: ${name}: ${(e as Error).message}`);
      qemu = { unavailable: 'failed' };
    }
  }

  // 5. native Wasm.
  let native: Row['native'] = { unavailable: 'not available' };
  const wasmFile = join(NATIVE, `${name}.wasm`);
  if (nativeUnavailable === null && existsSync(wasmFile)) {
    const mod = new WebAssembly.Module(readFileSync(wasmFile));
    let checked = false;
    try {
      nativeRun(mod, g, 1); // a module built from other sources shows here
      checked = true;
    } catch (e) {
      console.log(`native-wasm: ${name}: ${(e as Error).message} (rebuild: bench/native-wasm/build.sh)`);
      native = { unavailable: 'stale build' };
    }
    if (checked) {
      nativeRun(mod, g, 20); // let V8 tier the hot functions up
      const perPass = timeOnce(() => nativeRun(mod, g, 20)) / 20;
      const scale = scaleFor(perPass);
      const t = await bench(`native-wasm: ${name} (scale ${scale})`, () => nativeRun(mod, g, scale), 5, 4);
      const instructions = insnsAt(scale);
      native = { ...t, scale, instructions, mips: instructions / t.seconds / 1e6 };
    }
  }

  // 6. Whole processes at scale 1, rvwasm's CLI against QEMU: start-up, loading and translation all included.
  const processCold = measureProcesses(g);
  const coldProbe = new Rv('jit');
  coldProbe.run(g, 1);
  const coldExecutors = coldProbe.m.counters().jit!.executors;

  const perCold = (x: number) => x / coldSum.runs;
  const translateSeconds = (coldSum.compileMillis + coldSum.instantiateMillis) / 1000;
  rows.push({
    workload: name,
    insns: { scale0: i0, scale1: i1, perLaterPass: i2 - i1 },
    interp: { ...interp, mips: i1 / interp.seconds / 1e6 },
    fastInterp: { ...fastInterp, mips: i1 / fastInterp.seconds / 1e6 },
    coldExecutors,
    processCold,
    jitCold: { ...jitCold, mips: i1 / jitCold.seconds / 1e6 },
    jitWarm: {
      ...warm, scale: warmScale, instructions: warmInsns, mips: warmInsns / warm.seconds / 1e6,
      runs: warmRuns,
      translations: after.translations - before.translations,
      invalidations: after.invalidations - before.invalidations,
      promotions: tier2Of(after) && tier2Of(before) ? tier2Of(after)!.promotions - tier2Of(before)!.promotions : null,
    },
    qemu,
    native,
    cold: {
      translations: perCold(coldSum.translations), modules: perCold(coldSum.modules), wasmBytes: perCold(coldSum.wasmBytes),
      promotions: haveTier2 ? perCold(coldSum.promotions) : null, regionUnits: haveTier2 ? perCold(coldSum.regionUnits) : null,
      compileMillis: perCold(coldSum.compileMillis), instantiateMillis: perCold(coldSum.instantiateMillis),
      unitsPerSecond: coldSum.translations / translateSeconds, wasmBytesPerSecond: coldSum.wasmBytes / translateSeconds,
      coldSeconds: jitCold.seconds, warmSeconds: warm1.seconds, firstColdSeconds,
    },
  });
  saveResults(false);
}

// ---- report ----------------------------------------------------------------------------

const gm = geomeans();

console.log('\nGuest MIPS (million guest instructions per host second; higher is faster)');
console.log(table(
  ['workload', 'insns (scale 1)', 'interp', 'fast interp', 'JIT cold', 'JIT warm', 'QEMU', 'native-Wasm*', 'warm/QEMU', 'warm/native'],
  [
    ...rows.map((r) => [
      r.workload, f(r.insns.scale1), mipsText(r.interp.mips), mipsText(r.fastInterp.mips), mipsText(r.jitCold.mips), mipsText(r.jitWarm.mips),
      text(r.qemu), text(r.native), ratio(r, r.qemu), ratio(r, r.native),
    ]),
    ['geomean', '', mipsText(gm.interp), mipsText(gm.fastInterp), mipsText(gm.jitCold), mipsText(gm.jitWarm), text(gm.qemu), text(gm.native),
      gm.warmVsQemu === null ? '-' : ratioText(gm.warmVsQemu), gm.warmVsNative === null ? '-' : ratioText(gm.warmVsNative)],
  ],
));
console.log(NOTES.map((l) => `  ${l}`).join('\n'));

console.log('\nCold, whole process at scale 1 (medians; seconds from spawn to exit, start-up, loading and translation included)');
console.log(table(
  ['workload', 'rvwasm s', 'QEMU s', 'rvwasm/QEMU', 'executors in a cold run: fast interp / tier 1 / tier 2 / monitor'],
  [
    ...rows.map((r) => {
      const p = r.processCold;
      const e = r.coldExecutors;
      const total = e.fastInterpreter + e.tier1 + e.tier2 + e.monitor;
      const pct = (x: number) => `${(100 * x / total).toFixed(0)}%`;
      return [r.workload, p.rvwasmSeconds.toFixed(3), p.qemuSeconds === null ? 'not installed' : p.qemuSeconds.toFixed(3),
        p.qemuSeconds === null ? '-' : ratioText(p.rvwasmSeconds / p.qemuSeconds),
        `${pct(e.fastInterpreter)} / ${pct(e.tier1)} / ${pct(e.tier2)} / ${pct(e.monitor)}`];
    }),
    ['geomean', '', '', gm.processVsQemu === null ? '-' : ratioText(gm.processVsQemu), ''],
  ],
));

console.log('\nScales and times (seconds per run: benny mean ± margin; QEMU: medians)');
console.log(table(
  ['workload', 'later pass insns', 'interp s', 'JIT cold s', 'JIT warm scale', 'warm s', 'QEMU scale', 'QEMU s (N)', 'QEMU s (0)', 'native scale', 'native s'],
  rows.map((r) => [
    r.workload, f(r.insns.perLaterPass), secondsText(r.interp), secondsText(r.jitCold),
    String(r.jitWarm.scale), secondsText(r.jitWarm),
    ...('mips' in r.qemu ? [String(r.qemu.scale), r.qemu.seconds.toFixed(3), r.qemu.startSeconds.toFixed(3)] : [r.qemu.unavailable, '-', '-']),
    ...('mips' in r.native ? [String(r.native.scale), secondsText(r.native)] : [r.native.unavailable, '-']),
  ]),
));

console.log('\nJIT cold start (scale 1; per cold run, means over benny\'s samples)');
console.log(table(
  ['workload', 'units', 'modules', 'tier-2 regions (units)', 'Wasm bytes', 'compile ms', 'instantiate ms', 'units/s', 'Wasm KB/s', 'cold ms', 'warm ms', 'cold-warm ms', '1st cold ms'],
  rows.map((r) => {
    const c = r.cold;
    const regions = c.promotions === null ? 'no tier 2' : `${f(c.promotions, 1)} (${f(c.regionUnits!)})`;
    return [r.workload, f(c.translations), f(c.modules), regions, f(c.wasmBytes), c.compileMillis.toFixed(1), c.instantiateMillis.toFixed(1),
      f(c.unitsPerSecond), f(c.wasmBytesPerSecond / 1024), (c.coldSeconds * 1000).toFixed(1), (c.warmSeconds * 1000).toFixed(1),
      ((c.coldSeconds - c.warmSeconds) * 1000).toFixed(1), (c.firstColdSeconds * 1000).toFixed(1)];
  }),
));
console.log(COLD_NOTES.map((l) => `  ${l}`).join('\n'));

for (const r of rows) {
  const w = r.jitWarm;
  if (w.translations > 0 || w.invalidations > 0 || (w.promotions ?? 0) > 0) {
    console.log(`note: ${r.workload}'s ${w.runs} measured warm runs still did JIT work: ${w.translations} units translated, ` +
      `${w.invalidations} invalidations, ${w.promotions ?? 0} tier-2 promotions`);
  }
}

const settings = currentSettings();
console.log('\nSettings');
console.log(`  JIT defaults (DEFAULT_JIT_OPTIONS; JitOptions in src/jit/engine.ts says what each means): ` +
  Object.entries(settings.jitDefaults).map(([k, v]) => `${k} ${v}`).join(', '));
console.log(`  TLB entries in use (counters().jit.tlb.entries): ${tlbEntries}`);
console.log(`  ${settings.machine}; target ${TARGET} s per measured run`);
console.log(`  node ${settings.node} (V8 ${settings.v8}), ${settings.cpu}; load average ${settings.loadAverage.start.join(' ')} ` +
  `at start, ${settings.loadAverage.end.join(' ')} at end (a shared machine: compare ratios within one run)`);
console.log(`  QEMU: ${settings.qemu}`);
console.log(`  native-Wasm: ${settings.nativeWasm}`);

saveResults(true);
console.log(`wrote ${outFile}`);
