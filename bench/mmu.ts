// The software MMU's two modes, shadow and nested (EPT), on the mini-kernel's benchmark
// workloads (guest-images/kernel/README.md). Each workload is one loop of `N` operations
// in a guest process, selected by patching the kernel's knobs (kernel_workload,
// kernel_iterations) after loading the ELF:
//   ptemod          a system call remaps one page (PTE store + sfence.vma), then a load through it
//   forkwait        fork (the child exits at once) + wait
//   pgfault         a load from a fresh demand-paged page, handled by the guest kernel
//   random-walk     a load from a pseudo-random page of a 16 MiB working set (TLB-miss heavy)
//   hit-stream      loads cycling over a 4 KiB buffer, paged, in U-mode (TLB hits)
//   stream-unpaged  the same loads with paging off, in S-mode
// For each (workload, configuration) one Machine is warmed up, then benny times whole runs
// (reload the ELF, patch the knobs, run to exit 0) at N and at 2N operations; the cost of
// an operation is (median at 2N - median at N) / N, so boot, set-up and power-off cancel.
// The counters per operation come the same way, from the JIT's statistics. QEMU (TCG),
// when installed, runs the same ELF the same way (whole processes, N and 2N).
//   npm run bench:mmu [-- workload ...] [--scale=F] [--max-time=S] [--no-qemu] [--no-tlb-sizes]
// Figures are ratios within one run on a shared machine; the absolute times move with load.
import b from 'benny';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Machine, type MachineOptions, type RunStats } from '../src/api/index.js';
import { parseElf } from '../src/machine/elf.js';
import { qemuInstalled, qemuRunPatched, qemuVersion } from './qemu.js';
import { groupedBarChart } from './svg-chart.js';

const ROOT = join(import.meta.dirname, '..');
const ELF = join(ROOT, 'guest-images/build/kernel/minikernel.elf');
const RESULTS = join(ROOT, 'bench/results');
const MEMORY_MIB = 64;

interface Workload { key: string; id: number; what: string; n: number }
const WORKLOADS: Workload[] = [
  { key: 'ptemod', id: 1, what: 'PTE store + sfence.vma + load (syscall)', n: 20_000 },
  { key: 'forkwait', id: 2, what: 'fork + child exit + wait', n: 300 },
  { key: 'pgfault', id: 3, what: 'demand-zero page fault, guest-handled', n: 10_000 },
  { key: 'random-walk', id: 4, what: 'load, random page of 16 MiB', n: 300_000 },
  { key: 'hit-stream', id: 5, what: 'load, 4 KiB buffer, paged (U)', n: 2_000_000 },
  { key: 'stream-unpaged', id: 6, what: 'the same load, paging off (S)', n: 2_000_000 },
];

/** VMware's published EPT figures (the reference) and the two-dimensional walk theory. */
const VMWARE = 'VMware (Intel EPT evaluation): EPT up to 48% faster than shadow paging on MMU-heavy benchmarks, up to 600% on micro-benchmarks';
const THEORY = 'two-dimensional walk: (3 + 1) x (3 + 1) - 1 = 15 references per TLB miss for Sv39 over Sv39x4, against 3 for a shadow walk';

// ---- command line ----------------------------------------------------------------------

const argv = process.argv.slice(2);
function numberFlag(name: string, fallback: number): number {
  const a = argv.find((x) => x.startsWith(`--${name}=`));
  if (a === undefined) return fallback;
  const v = Number(a.slice(name.length + 3));
  if (!(v > 0) || !Number.isFinite(v)) throw new Error(`--${name}=<number> must be positive, got ${a}`);
  return v;
}
for (const a of argv) {
  if (a.startsWith('-') && !/^--(scale|max-time)=/.test(a) && a !== '--no-qemu' && a !== '--no-tlb-sizes') {
    throw new Error(`unknown option ${a} (have: --scale=F --max-time=S --no-qemu --no-tlb-sizes)`);
  }
}
const chosen = argv.filter((a) => !a.startsWith('-'));
for (const k of chosen) if (!WORKLOADS.some((w) => w.key === k)) throw new Error(`unknown workload ${k} (have: ${WORKLOADS.map((w) => w.key).join(', ')})`);
const workloads = WORKLOADS.filter((w) => chosen.length === 0 || chosen.includes(w.key));
/** Multiplies every N (a smaller scale for a quick look). */
const SCALE = numberFlag('scale', 1);
const MAX_TIME = numberFlag('max-time', 1);
const WANT_QEMU = !argv.includes('--no-qemu');
const TLB_SIZES = argv.includes('--no-tlb-sizes') ? [] : [16, 256, 4096];
/** The interpreter runs this fraction of N (it is tens of times slower). */
const INTERP_SHARE = 0.1;

// ---- running the kernel ----------------------------------------------------------------

const image = new Uint8Array(readFileSync(ELF));
const knobs = parseElf(image, ELF).symbols.get('kernel_workload');
if (knobs === undefined) throw new Error(`${ELF} has no kernel_workload symbol`);

/** kernel_workload and kernel_iterations, adjacent 8-byte words. */
function knobBytes(workload: number, iterations: number): Uint8Array {
  const bytes = new Uint8Array(16);
  const v = new DataView(bytes.buffer);
  v.setBigUint64(0, BigInt(workload), true);
  v.setBigUint64(8, BigInt(iterations), true);
  return bytes;
}

class Runner {
  readonly m: Machine;
  constructor(readonly w: Workload, readonly label: string, options: MachineOptions) {
    this.m = new Machine({ memoryMiB: MEMORY_MIB, ...options });
  }

  run(iterations: number): void {
    this.m.loadElf(image, ELF);
    this.m.writeMemory(knobs!, knobBytes(this.w.id, iterations));
    const outcome = this.m.run({ maxInsns: 10_000_000 + 100_000 * iterations });
    if (outcome.kind !== 'exit' || outcome.code !== 0) {
      throw new Error(`${this.w.key} under ${this.label} at ${iterations} ended ${JSON.stringify(outcome)}`);
    }
  }
}

async function median(title: string, fn: () => void): Promise<number> {
  let seconds = NaN;
  await b.suite(title, b.add(title, fn, { minSamples: 5, maxTime: MAX_TIME }),
    b.complete((s) => { seconds = s.results[0].details.median; }));
  return seconds;
}

/** The counters that matter here, flattened: TLB, fences, MMU mode, instructions. */
function snapshot(st: RunStats): Record<string, number> {
  const j = st.jit;
  const out: Record<string, number> = { instructions: st.instructions.executed };
  if (!j) return out;
  Object.assign(out, {
    'tlb misses': j.tlb.misses, 'tlb fills': j.tlb.fills, 'tlb flushes': j.tlb.flushes, 'tlb page flushes': j.tlb.pageFlushes,
    'sfence one': j.fences.page, 'sfence all': j.fences.all,
  });
  for (const [k, v] of Object.entries(j.mmu.counts)) if (!/live|g-stage tables/.test(k)) out[k] = v;
  return out;
}

interface Cell { n: number; nsPerOp: number; perOp: Record<string, number> }

/** ns per operation and counters per operation: runs at N and 2N, the difference over N. */
async function measure(w: Workload, label: string, options: MachineOptions, n: number): Promise<Cell> {
  const r = new Runner(w, label, options);
  r.run(n); // compile, tier up
  r.run(2 * n);
  // The JIT's counters add up over runs; the instruction count starts again at each load.
  const count = (iterations: number) => {
    const before = snapshot(r.m.counters());
    r.run(iterations);
    const after = snapshot(r.m.counters());
    return Object.fromEntries(Object.keys(after).map((k) => [k, after[k] - (k === 'instructions' ? 0 : before[k] ?? 0)]));
  };
  const c1 = count(n);
  const c2 = count(2 * n);
  const perOp = Object.fromEntries(Object.keys(c2).map((k) => [k, (c2[k] - c1[k]) / n]));
  const t1 = await median(`${w.key} ${label} N=${n}`, () => r.run(n));
  const t2 = await median(`${w.key} ${label} N=${2 * n}`, () => r.run(2 * n));
  return { n, nsPerOp: ((t2 - t1) / n) * 1e9, perOp };
}

function qemuMeasure(w: Workload, n: number): Cell {
  const time = (iterations: number) => {
    const xs = [0, 1, 2].map(() => qemuRunPatched(ELF, knobs!, knobBytes(w.id, iterations), `${w.key} x${iterations}`, 600_000).seconds);
    return xs.sort((a, c) => a - c)[1];
  };
  const t1 = time(n);
  const t2 = time(2 * n);
  return { n, nsPerOp: ((t2 - t1) / n) * 1e9, perOp: {} };
}

// ---- measuring -------------------------------------------------------------------------

const haveQemu = WANT_QEMU && qemuInstalled();
const qemuLine = WANT_QEMU ? qemuVersion() : 'skipped (--no-qemu)';
/**
 * shadow: page-table writes in-TC (the default policy: inline, logged, resynced lazily);
 * shadow-trap: every page-table write leaves to the monitor (write protection as on
 * hardware, each write a tracing fault and an exit); ept: nested walks.
 */
const CONFIGS: [string, MachineOptions][] = [
  ['shadow', { mmu: 'shadow' }], ['shadow-trap', { mmu: 'shadow', sensitive: 'intc,pt-write=trap' }], ['ept', { mmu: 'ept' }],
];
const MODES = CONFIGS.map(([label]) => label);

interface Row { workload: string; what: string; cells: Record<string, Cell | null> }
const rows: Row[] = [];
const load = loadavg().map((x) => Number(x.toFixed(2)));

for (const w of workloads) {
  const n = Math.max(1, Math.round(w.n * SCALE));
  const cells: Record<string, Cell | null> = {};
  for (const [label, options] of CONFIGS) cells[label] = await measure(w, label, options, n);
  cells.interp = await measure(w, 'interp', { engine: 'interp' }, Math.max(1, Math.round(n * INTERP_SHARE)));
  cells.qemu = haveQemu ? qemuMeasure(w, n) : null;
  rows.push({ workload: w.key, what: w.what, cells });
}

const tlbRows: { workload: string; mode: string; entries: number; nsPerOp: number; missesPerOp: number }[] = [];
for (const key of ['random-walk', 'hit-stream', 'ptemod']) {
  const w = workloads.find((x) => x.key === key);
  if (!w) continue;
  for (const [label, options] of CONFIGS.filter(([l]) => l !== 'shadow-trap')) {
    for (const entries of TLB_SIZES) {
      const cell = await measure(w, `${label} tlb ${entries}`, { ...options, jit: { tlbEntries: entries } }, Math.max(1, Math.round(w.n * SCALE / 2)));
      tlbRows.push({ workload: key, mode: label, entries, nsPerOp: cell.nsPerOp, missesPerOp: cell.perOp['tlb misses'] });
    }
  }
}

// ---- report ----------------------------------------------------------------------------

const f = (x: number | undefined, digits = 1) => (x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(digits));
const pad = (s: string, n: number) => s.padEnd(n);
console.log(`\nrvwasm MMU modes on the mini-kernel (${cpus()[0]?.model ?? 'unknown CPU'}, load ${load.join(' ')}); QEMU: ${qemuLine}`);
console.log('ns per operation ((median run at 2N - at N) / N); s/e = shadow / ept, st/e = shadow-trap / ept (above 1: nested is faster)\n');
console.log(`${pad('workload', 16)}${pad('N', 9)}${pad('shadow', 10)}${pad('shadow-trap', 12)}${pad('ept', 10)}${pad('s/e', 7)}${pad('st/e', 7)}` +
  `${pad('interp', 11)}${pad('qemu', 10)}`);
for (const r of rows) {
  const s = r.cells.shadow!, st = r.cells['shadow-trap']!, e = r.cells.ept!;
  console.log(`${pad(r.workload, 16)}${pad(String(s.n), 9)}${pad(f(s.nsPerOp), 10)}${pad(f(st.nsPerOp), 12)}${pad(f(e.nsPerOp), 10)}` +
    `${pad(f(s.nsPerOp / e.nsPerOp, 2), 7)}${pad(f(st.nsPerOp / e.nsPerOp, 2), 7)}` +
    `${pad(f(r.cells.interp!.nsPerOp), 11)}${pad(r.cells.qemu ? f(r.cells.qemu.nsPerOp) : 'not installed', 10)}`);
}
console.log('\ncounters per operation');
for (const r of rows) {
  for (const mode of MODES) {
    const perOp = r.cells[mode]!.perOp;
    const shown = Object.entries(perOp).filter(([, v]) => Math.abs(v) >= 0.005).map(([k, v]) => `${k} ${f(v, 2)}`);
    console.log(`${pad(r.workload, 16)}${pad(mode, 12)}${shown.join(', ')}`);
  }
}
const walk = rows.find((r) => r.workload === 'random-walk');
if (walk) {
  const e = walk.cells.ept!.perOp;
  console.log(`\nrandom-walk under ept: ${f(e.references / e.walks, 2)} references per walk (theory: 15 for a 4 KiB page)`);
}
const hit = rows.find((r) => r.workload === 'hit-stream');
const off = rows.find((r) => r.workload === 'stream-unpaged');
if (hit && off) {
  for (const mode of MODES) {
    console.log(`TLB-hit load / unpaged load (${mode}): ${f(hit.cells[mode]!.nsPerOp / off.cells[mode]!.nsPerOp, 2)} (target: at most 1.5)`);
  }
}
console.log(`\n${VMWARE}\n${THEORY}`);
if (tlbRows.length > 0) {
  console.log('\nTLB size (entries per table): ns per operation, TLB misses per operation');
  for (const t of tlbRows) console.log(`${pad(t.workload, 16)}${pad(t.mode, 8)}${pad(String(t.entries), 6)}${pad(f(t.nsPerOp), 10)}${f(t.missesPerOp, 3)}`);
}

mkdirSync(RESULTS, { recursive: true });
const json = {
  date: new Date().toISOString(), cpu: cpus()[0]?.model, load, qemu: qemuLine, memoryMiB: MEMORY_MIB,
  method: '(median whole-run time at 2N - at N) / N; counters likewise', vmware: VMWARE, theory: THEORY, rows, tlbSizes: tlbRows,
};
writeFileSync(join(RESULTS, 'mmu.json'), `${JSON.stringify(json, null, 2)}\n`);
const series = [...MODES, 'interp', 'qemu'].map((key) => ({
  name: key === 'ept' ? 'ept (nested)' : key,
  values: rows.map((r) => r.cells[key]?.nsPerOp ?? null),
}));
writeFileSync(join(RESULTS, 'mmu.svg'), groupedBarChart({
  title: 'rvwasm MMU modes: ns per operation on the mini-kernel',
  groups: rows.map((r) => r.workload), series, yLabel: 'ns per operation', log: true,
  note: `${VMWARE}. QEMU: ${qemuLine}.`,
}));
console.log(`\nwrote ${join('bench/results', 'mmu.json')} and mmu.svg`);
