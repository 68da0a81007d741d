// Time to a marker for real firmware and Linux, on rvwasm and on qemu-system-riscv64 in
// the same run. Every measurement is one cold boot: a new Machine (or a new QEMU process)
// from nothing to the first sign that the guest got somewhere.
//   opensbi         Debian's OpenSBI fw_jump.elf, no next stage; marker: the banner's last
//                   line ("Boot HART MEDELEG ...", complete with its newline)
//   u-boot          fw_jump.elf + U-Boot (qemu-riscv64_smode); marker: the "=> " prompt at
//                   the end of the output (after 2 s of guest time in autoboot, on both)
//   linux           guest-images/build/linux/Image (guest-images/linux/build.sh), --append
//                   "console=ttyS0"; marker: "rvwasm-init: reached userspace". Booted with
//                   the monitor's SBI (bios null) and with fw_jump.elf, shadow and ept MMU
//   linux-poweroff  the same boots until the run ends by itself (init powers off); when both
//                   linux scenarios are chosen one boot gives both figures (the marker's time
//                   is taken when it appears, whatever the run does afterwards)
//   tiny            guest-images/build/linux/Image-tiny (the independent tinyconfig flavour: no
//                   FPU, no compressed instructions) with Debian's OpenSBI fw_dynamic.elf, as an
//                   outside kernel would be booted; marker as linux; shadow and ept MMU
//   tiny-poweroff   the same boots to the end of the run
// rvwasm: new Machine({ memoryMiB: 128, mmu, realtime, output }), machine.boot(...), then
// machine.run({ maxInsns: CHUNK }) until the accumulated console output holds the marker
// (checked after every chunk) or the outcome is not 'limit'; the time is from before
// `new Machine` to the chunk that printed the marker (the images are read beforehand).
// Every case runs with realtime: true (mtime from the host clock, as QEMU: the headline
// ratio) and realtime: false (mtime from the instruction count, idle time skipped:
// deterministic). The counters are machine.counters() at the marker.
// QEMU: `qemu-system-riscv64 -M virt -m 128 -nographic -bios <fw> [-kernel] [-append]`
// with its default CPU, spawned with stdin ignored; the time is from spawn to the marker on
// its stdout (then SIGKILL), or to its exit for linux-poweroff. QEMU's `-bios none` starts
// the kernel in M-mode, which an S-mode Linux cannot run in, so the reference for the
// "monitor SBI" rows is QEMU booting the same Image through fw_jump.elf.
//
// Why not benny here: a boot lasts up to seconds, cannot be repeated warm (each sample must
// be a new machine) and its QEMU side is an asynchronous child process stopped at a line of
// output; benchmark.js would add calibration boots and time whole callbacks. So this bench
// uses the repo's pattern for long runs (bench/mmu.ts's QEMU side): the median of N timed
// runs, interleaved round by round across every case so that a change in the machine's
// load falls on all of them.
//   npm run bench:boot [-- scenario ...] [--runs N] [--quick] [--no-qemu] [--chunk=N] [--timeout=S]
// (--chunk: instructions per run() call, default 100000; --timeout: seconds per boot, default 300)
// --quick: one run, opensbi and u-boot only (unless scenarios are named).
// Figures are ratios within one run on a shared machine; the absolute times move with load.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { basename, join, relative } from 'node:path';
import { Machine, type RunOutcome, type RunStats } from '../src/api/index.js';
import { DEFAULT_JIT_OPTIONS } from '../src/jit/engine.js';
import { INSNS_PER_TICK, TIMEBASE_HZ } from '../src/machine/clock.js';
import { QEMU, qemuInstalled, qemuVersion } from './qemu.js';
import { groupedBarChart } from './svg-chart.js';

const ROOT = join(import.meta.dirname, '..');
const RESULTS = join(ROOT, 'bench/results');
const FW_JUMP = '/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.elf';
const FW_DYNAMIC = '/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.elf';
const UBOOT = '/usr/lib/u-boot/qemu-riscv64_smode/uboot.elf';
const LINUX = join(ROOT, 'guest-images/build/linux/Image');
const LINUX_TINY = join(ROOT, 'guest-images/build/linux/Image-tiny');
const APPEND = 'console=ttyS0';
const MEMORY_MIB = 128;

// ---- command line ----------------------------------------------------------------------

type ScenarioKey = 'opensbi' | 'u-boot' | 'linux' | 'linux-poweroff' | 'tiny' | 'tiny-poweroff';
const SCENARIO_KEYS: ScenarioKey[] = ['opensbi', 'u-boot', 'linux', 'linux-poweroff', 'tiny', 'tiny-poweroff'];
const QUICK_SCENARIOS: ScenarioKey[] = ['opensbi', 'u-boot'];

const argv = process.argv.slice(2);
const flags = new Map<string, string | true>();
const chosen: string[] = [];
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (!a.startsWith('-')) { chosen.push(a); continue; }
  const eq = a.indexOf('=');
  const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
  if (['quick', 'no-qemu'].includes(name) && eq < 0) { flags.set(name, true); continue; }
  if (!['runs', 'chunk', 'timeout'].includes(name)) {
    throw new Error(`unknown option ${a} (have: --runs N --quick --no-qemu --chunk=N --timeout=S)`);
  }
  const value = eq < 0 ? argv[++i] : a.slice(eq + 1);
  if (value === undefined) throw new Error(`${a} needs a value`);
  flags.set(name, value);
}
function numberFlag(name: string, fallback: number): number {
  const v = flags.get(name);
  if (v === undefined || v === true) return fallback;
  const n = Number(v.replace(/_/g, ''));
  if (!(n > 0) || !Number.isFinite(n)) throw new Error(`--${name} must be a positive number, got ${v}`);
  return n;
}
for (const k of chosen) if (!SCENARIO_KEYS.includes(k as ScenarioKey)) throw new Error(`unknown scenario ${k} (have: ${SCENARIO_KEYS.join(', ')})`);
const QUICK = flags.has('quick');
const scenarios: ScenarioKey[] = SCENARIO_KEYS.filter((k) => (chosen.length > 0 ? chosen.includes(k) : !QUICK || QUICK_SCENARIOS.includes(k)));
const RUNS = Math.round(numberFlag('runs', QUICK ? 1 : 3));
/**
 * Instructions per machine.run() call; the marker is looked for after each, so a marker is
 * seen up to one chunk late. Not 1M: a Linux boot to userspace is ~20M instructions at a
 * few MIPS, so a 1M chunk is up to ~0.25 s (the userspace marker and the power-off then
 * fall in the same chunk), and OpenSBI's banner would be followed by ~0.7M instructions of
 * the trap storm at the empty 0x80200000 (thousands of exceptions counted at the marker).
 */
const CHUNK = Math.round(numberFlag('chunk', 100_000));
/** Wall-clock bound of one boot, seconds (rvwasm and QEMU alike). */
const TIMEOUT = numberFlag('timeout', 300);
const WANT_QEMU = !flags.has('no-qemu');

// ---- what is booted --------------------------------------------------------------------

/** A marker in the console output, or the end of the run ('end': the guest powered off). */
interface Marker { text: string; test: ((out: string) => boolean) | 'end' }
const MARKERS: Record<ScenarioKey, Marker> = {
  opensbi: { text: 'the line "Boot HART MEDELEG ..." (end of the banner)', test: (out) => /Boot HART MEDELEG[^\n]*\n/.test(out) },
  'u-boot': { text: 'the "=> " prompt at the end of the output', test: (out) => out.endsWith('=> ') },
  linux: { text: '"rvwasm-init: reached userspace"', test: (out) => out.includes('rvwasm-init: reached userspace') },
  'linux-poweroff': { text: 'the end of the run (init powers off)', test: 'end' },
  tiny: { text: '"rvwasm-init: reached userspace"', test: (out) => out.includes('rvwasm-init: reached userspace') },
  'tiny-poweroff': { text: 'the end of the run (init powers off)', test: 'end' },
};

type Firmware = 'fw_jump' | 'fw_dynamic' | 'monitor SBI';
interface Config { label: string; mmu: 'shadow' | 'ept'; realtime: boolean }
const config = (mmu: Config['mmu'], realtime: boolean): Config => ({ label: `${mmu}/${realtime ? 'realtime' : 'icount'}`, mmu, realtime });
const FIRMWARE_CONFIGS = [config('shadow', true), config('shadow', false)];
const LINUX_CONFIGS = [config('shadow', true), config('shadow', false), config('ept', true), config('ept', false)];

/** One way of booting, shared by the scenarios whose markers it passes. */
interface Boot {
  key: string;
  firmware: Firmware;
  bios: string | null;
  kernel?: string;
  append?: string;
  /** The scenarios measured on this boot, in the order their markers come. */
  scenarios: ScenarioKey[];
  configs: Config[];
  /** The QEMU boot this one is compared with (a key of QEMU_BOOTS). */
  qemu: string;
}
interface QemuBoot { key: string; args: string[]; scenarios: ScenarioKey[] }

const BOOTS: Boot[] = [];
const QEMU_BOOTS: QemuBoot[] = [];
/** Rows of the report that cannot run, with the reason. */
const skipped: { scenario: ScenarioKey; firmware: Firmware; reason: string }[] = [];
const missing = (files: string[]) => files.filter((f) => !existsSync(f));
const qemuBase = ['-M', 'virt', '-m', String(MEMORY_MIB), '-nographic'];

function plan(scenario: ScenarioKey, firmware: Firmware, files: string[], boot: Omit<Boot, 'scenarios'>, qemuArgs: string[]): void {
  const gone = missing(files);
  if (gone.length > 0) {
    skipped.push({ scenario, firmware, reason: `${gone.map((f) => relative(ROOT, f).startsWith('..') ? f : relative(ROOT, f)).join(', ')} missing` });
    return;
  }
  let b = BOOTS.find((x) => x.key === boot.key);
  if (!b) BOOTS.push(b = { ...boot, scenarios: [] });
  b.scenarios.push(scenario);
  // The QEMU reference needs fw_jump.elf even for the monitor-SBI rows.
  if (missing([boot.bios ?? FW_JUMP, ...(boot.kernel ? [boot.kernel] : [])]).length > 0) return;
  let q = QEMU_BOOTS.find((x) => x.key === boot.qemu);
  if (!q) QEMU_BOOTS.push(q = { key: boot.qemu, args: qemuArgs, scenarios: [] });
  if (!q.scenarios.includes(scenario)) q.scenarios.push(scenario);
}

const linuxQemu = [...qemuBase, '-bios', FW_JUMP, '-kernel', LINUX, '-append', APPEND];
for (const s of scenarios) {
  if (s === 'opensbi') {
    plan(s, 'fw_jump', [FW_JUMP], { key: 'opensbi', firmware: 'fw_jump', bios: FW_JUMP, configs: FIRMWARE_CONFIGS, qemu: 'opensbi' },
      [...qemuBase, '-bios', FW_JUMP]);
  } else if (s === 'u-boot') {
    plan(s, 'fw_jump', [FW_JUMP, UBOOT], { key: 'u-boot', firmware: 'fw_jump', bios: FW_JUMP, kernel: UBOOT, configs: FIRMWARE_CONFIGS, qemu: 'u-boot' },
      [...qemuBase, '-bios', FW_JUMP, '-kernel', UBOOT]);
  } else if (s === 'tiny' || s === 'tiny-poweroff') {
    plan(s, 'fw_dynamic', [FW_DYNAMIC, LINUX_TINY], {
      key: 'tiny/fw_dynamic', firmware: 'fw_dynamic', bios: FW_DYNAMIC, kernel: LINUX_TINY, append: APPEND, configs: LINUX_CONFIGS, qemu: 'tiny',
    }, [...qemuBase, '-bios', FW_DYNAMIC, '-kernel', LINUX_TINY, '-append', APPEND]);
  } else {
    plan(s, 'monitor SBI', [LINUX], { key: 'linux/monitor', firmware: 'monitor SBI', bios: null, kernel: LINUX, append: APPEND, configs: LINUX_CONFIGS, qemu: 'linux' }, linuxQemu);
    plan(s, 'fw_jump', [FW_JUMP, LINUX], { key: 'linux/fw_jump', firmware: 'fw_jump', bios: FW_JUMP, kernel: LINUX, append: APPEND, configs: LINUX_CONFIGS, qemu: 'linux' }, linuxQemu);
  }
}

// ---- rvwasm ----------------------------------------------------------------------------

const images = new Map<string, Uint8Array>();
const image = (path: string) => {
  let bytes = images.get(path);
  if (!bytes) images.set(path, bytes = new Uint8Array(readFileSync(path)));
  return bytes;
};

interface Mark { seconds: number; stats: RunStats }
interface RvRun { marks: Partial<Record<ScenarioKey, Mark>>; outcome: RunOutcome | { kind: 'timeout' } | { kind: 'error'; message: string }; seconds: number; tail: string }

function bootRvwasm(boot: Boot, cfg: Config): RvRun {
  const bios = boot.bios ? image(boot.bios) : null;
  const kernel = boot.kernel ? image(boot.kernel) : undefined;
  let out = '';
  const marks: RvRun['marks'] = {};
  const pending = boot.scenarios.filter((s) => MARKERS[s].test !== 'end');
  const wantEnd = boot.scenarios.some((s) => MARKERS[s].test === 'end');
  let outcome: RvRun['outcome'];
  /** Output length at the last look for markers (they are looked for only when it grew). */
  let seen = 0;
  const t0 = performance.now();
  try {
    const m = new Machine({
      memoryMiB: MEMORY_MIB, mmu: cfg.mmu, realtime: cfg.realtime,
      output: (_fd, bytes) => { out += Buffer.from(bytes).toString('latin1'); },
    });
    m.boot({ bios, kernel, append: boot.append, biosName: boot.bios ?? undefined, kernelName: boot.kernel });
    for (;;) {
      outcome = m.run({ maxInsns: CHUNK });
      const now = performance.now();
      const grew = out.length !== seen;
      seen = out.length;
      for (let i = 0; grew && i < pending.length; i++) {
        const s = pending[i];
        if ((MARKERS[s].test as (o: string) => boolean)(out)) {
          marks[s] = { seconds: (now - t0) / 1000, stats: m.counters() };
          pending.splice(i--, 1);
        }
      }
      if (outcome.kind !== 'limit') {
        if (wantEnd && outcome.kind === 'exit') {
          for (const s of boot.scenarios) if (MARKERS[s].test === 'end') marks[s] = { seconds: (now - t0) / 1000, stats: m.counters() };
        }
        break;
      }
      if (pending.length === 0 && !wantEnd) break;
      if (now - t0 > TIMEOUT * 1000) { outcome = { kind: 'timeout' }; break; }
    }
  } catch (e) {
    outcome = { kind: 'error', message: (e as Error).message };
  }
  return { marks, outcome, seconds: (performance.now() - t0) / 1000, tail: out.slice(-400) };
}

// ---- QEMU ------------------------------------------------------------------------------

const haveQemu = WANT_QEMU && qemuInstalled();
const qemuLine = WANT_QEMU ? qemuVersion() : 'skipped (--no-qemu)';

interface QemuRun { marks: Partial<Record<ScenarioKey, number>>; exit: string; seconds: number; tail: string }

function bootQemu(q: QemuBoot): Promise<QemuRun> {
  return new Promise((resolve) => {
    const marks: QemuRun['marks'] = {};
    const pending = q.scenarios.filter((s) => MARKERS[s].test !== 'end');
    const wantEnd = q.scenarios.some((s) => MARKERS[s].test === 'end');
    let out = '';
    let err = '';
    let killed: string | null = null;
    let exitAt = 0;
    let exit = '';
    const t0 = performance.now();
    const child = spawn(QEMU, q.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => { killed = 'timeout'; child.kill('SIGKILL'); }, TIMEOUT * 1000);
    child.stdout.on('data', (d: Buffer) => {
      const now = performance.now();
      out += d.toString('latin1');
      for (let i = 0; i < pending.length; i++) {
        if ((MARKERS[pending[i]].test as (o: string) => boolean)(out)) {
          marks[pending[i]] = (now - t0) / 1000;
          pending.splice(i--, 1);
        }
      }
      if (pending.length === 0 && !wantEnd && killed === null) { killed = 'after the marker'; child.kill('SIGKILL'); }
    });
    child.stderr.on('data', (d: Buffer) => { err += d.toString('latin1'); });
    child.on('error', (e) => { exit = `spawn failed: ${e.message}`; });
    child.on('exit', (code, signal) => {
      exitAt = performance.now();
      exit ||= killed !== null ? `killed (${killed})` : code !== null ? `exit ${code}` : `signal ${signal}`;
      if (wantEnd && killed === null && code === 0) {
        for (const s of q.scenarios) if (MARKERS[s].test === 'end') marks[s] = (exitAt - t0) / 1000;
      }
    });
    child.on('close', () => {
      clearTimeout(timer);
      resolve({ marks, exit: `${exit}${err.trim() ? `; stderr: ${err.trim().slice(0, 200)}` : ''}`, seconds: ((exitAt || performance.now()) - t0) / 1000, tail: out.slice(-400) });
    });
  });
}

// ---- measuring -------------------------------------------------------------------------

const loadAtStart = loadavg().map((x) => Number(x.toFixed(2)));
const rvRuns = new Map<string, RvRun[]>(); // `${boot.key} ${config.label}`
const qemuRuns = new Map<string, QemuRun[]>();
const benchStart = performance.now();
const secs = (x: number | undefined) => (x === undefined ? 'never' : `${x.toFixed(2)} s`);

console.log(`boot bench: ${scenarios.join(', ') || 'no scenarios'}; ${RUNS} run(s) per case, interleaved; QEMU: ${haveQemu ? qemuLine : qemuLine === 'not installed' ? 'not installed' : qemuLine}`);
for (const s of skipped) console.log(`skipping ${s.scenario} (${s.firmware}): ${s.reason}`);
for (let round = 1; round <= RUNS; round++) {
  for (const boot of BOOTS) {
    for (const cfg of boot.configs) {
      const key = `${boot.key} ${cfg.label}`;
      const r = bootRvwasm(boot, cfg);
      if (!rvRuns.has(key)) rvRuns.set(key, []);
      rvRuns.get(key)!.push(r);
      console.log(`[${round}/${RUNS}] rvwasm ${key}: ${boot.scenarios.map((s) => `${s} ${secs(r.marks[s]?.seconds)}`).join(', ')} (${r.outcome.kind})`);
    }
  }
  if (!haveQemu) continue;
  for (const q of QEMU_BOOTS) {
    const r = await bootQemu(q);
    if (!qemuRuns.has(q.key)) qemuRuns.set(q.key, []);
    qemuRuns.get(q.key)!.push(r);
    console.log(`[${round}/${RUNS}] qemu ${q.key}: ${q.scenarios.map((s) => `${s} ${secs(r.marks[s])}`).join(', ')} (${r.exit})`);
  }
}
const benchSeconds = (performance.now() - benchStart) / 1000;

// ---- figures ---------------------------------------------------------------------------

function median(xs: number[]): number {
  const s = [...xs].sort((a, c) => a - c);
  return s[Math.floor(s.length / 2)];
}
const sum = (r: Record<string, number> | null | undefined) => (r ? Object.values(r).reduce((a, n) => a + n, 0) : 0);

interface Counters {
  instructions: number; mips: number; sbiCalls: number | null; sbi: Record<string, number> | null;
  exits: number; exitsByKind: Record<string, number>; exceptions: number; exceptionsByCause: Record<string, number>;
  interrupts: number; interruptsByCause: Record<string, number>;
  tlbMisses: number; tlbFlushes: number; tlbPageFlushes: number; mmu: Record<string, number>;
  translations: number; modules: number; compileMillis: number; instantiateMillis: number; tcFlushes: number; tier2Promotions: number;
  /** Instructions by executor: the fast interpreter, tier-1 fragments, tier-2 regions, the monitor's interpreter. */
  executors: { fastInterpreter: number; tier1: number; tier2: number; monitor: number };
}

function counters(m: Mark): Counters {
  const st = m.stats;
  const j = st.jit!;
  return {
    instructions: st.instructions.executed,
    mips: st.instructions.executed / m.seconds / 1e6,
    sbiCalls: st.sbi ? sum(st.sbi) : null, sbi: st.sbi,
    exits: sum(j.exits), exitsByKind: j.exits,
    exceptions: sum(st.exceptions), exceptionsByCause: st.exceptions,
    interrupts: sum(st.interrupts), interruptsByCause: st.interrupts,
    tlbMisses: j.tlb.misses, tlbFlushes: j.tlb.flushes, tlbPageFlushes: j.tlb.pageFlushes,
    mmu: Object.fromEntries(Object.entries(j.mmu.counts).filter(([k]) => !/live|g-stage tables/.test(k))),
    translations: j.translations, modules: j.modules, compileMillis: j.compileMillis, instantiateMillis: j.instantiateMillis,
    tcFlushes: j.flushes, tier2Promotions: j.tier2.promotions,
    executors: j.executors,
  };
}

interface Cell {
  config: string; mmu: string; realtime: boolean;
  /** Median seconds to the marker over the runs that reached it; null when none did. */
  seconds: number | null;
  samples: (number | null)[];
  reached: number;
  /** rvwasm / QEMU, medians. */
  ratio: number | null;
  /** machine.counters() at the marker, from the median run. */
  counters: Counters | null;
  /** Instructions to the marker in every run (identical across runs under icount). */
  instructionSamples: (number | null)[];
  failures: string[];
}
interface QemuCell { seconds: number | null; samples: (number | null)[]; reached: number; failures: string[]; reference: string }
interface Row { scenario: ScenarioKey; firmware: Firmware; marker: string; cells: Cell[]; qemu: QemuCell | { unavailable: string } }

function qemuCell(scenario: ScenarioKey, boot: Boot): Row['qemu'] {
  if (!haveQemu) return { unavailable: qemuLine === 'not installed' ? 'not installed' : 'skipped (--no-qemu)' };
  const runs = qemuRuns.get(boot.qemu);
  if (!runs) return { unavailable: `no reference (${FW_JUMP} missing)` };
  const samples = runs.map((r) => r.marks[scenario] ?? null);
  const ok = samples.filter((x): x is number => x !== null);
  return {
    seconds: ok.length > 0 ? median(ok) : null, samples, reached: ok.length,
    failures: runs.filter((r) => r.marks[scenario] === undefined).map((r) => `${r.exit}; output ends ${JSON.stringify(r.tail.slice(-120))}`),
    reference: boot.firmware === 'monitor SBI' ? 'QEMU through fw_jump.elf (QEMU -bios none would start Linux in M-mode)' : 'QEMU, same images',
  };
}

const rows: Row[] = [];
for (const scenario of scenarios) {
  for (const firmware of ['monitor SBI', 'fw_jump', 'fw_dynamic'] as Firmware[]) {
    const boot = BOOTS.find((b) => b.firmware === firmware && b.scenarios.includes(scenario));
    if (!boot) continue;
    const qemu = qemuCell(scenario, boot);
    const q = 'seconds' in qemu ? qemu.seconds : null;
    const cells = boot.configs.map((cfg): Cell => {
      const runs = rvRuns.get(`${boot.key} ${cfg.label}`)!;
      const samples = runs.map((r) => r.marks[scenario]?.seconds ?? null);
      const ok = runs.filter((r) => r.marks[scenario] !== undefined).sort((a, c) => a.marks[scenario]!.seconds - c.marks[scenario]!.seconds);
      const mid = ok.length > 0 ? ok[Math.floor(ok.length / 2)].marks[scenario]! : null;
      return {
        config: cfg.label, mmu: cfg.mmu, realtime: cfg.realtime,
        seconds: mid?.seconds ?? null, samples, reached: ok.length,
        ratio: mid && q ? mid.seconds / q : null,
        counters: mid ? counters(mid) : null,
        instructionSamples: runs.map((r) => r.marks[scenario]?.stats.instructions.executed ?? null),
        failures: runs.filter((r) => r.marks[scenario] === undefined)
          .map((r) => `${JSON.stringify(r.outcome)} after ${r.seconds.toFixed(1)} s; output ends ${JSON.stringify(r.tail.slice(-160))}`),
      };
    });
    rows.push({ scenario, firmware, marker: MARKERS[scenario].text, cells, qemu });
  }
}

// ---- report ----------------------------------------------------------------------------

function table(head: string[], body: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i <= 2 || i === r.length - 1 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  return [line(head), ...body.map(line)].join('\n').replace(/ +$/gm, '');
}
const n = (x: number | null | undefined, digits = 0) => (x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(digits));
const big = (x: number | null | undefined) => (x === null || x === undefined ? '-' : x >= 1e6 ? `${(x / 1e6).toFixed(1)}M` : x >= 1e4 ? `${(x / 1e3).toFixed(1)}k` : String(x));
const MMU_SHORT: Record<string, string> = {
  'hidden faults': 'hid', 'true faults': 'true', 'tracing faults': 'trc', resyncs: 'rsync', 'shadow tables built': 'tbl+',
  'shadow tables dropped': 'tbl-', 'roots built': 'root+', 'roots dropped': 'root-', 'logged writes': 'log', walks: 'walks', references: 'refs',
};
const mmuText = (c: Counters) => Object.entries(c.mmu).filter(([, v]) => v > 0).map(([k, v]) => `${MMU_SHORT[k] ?? k} ${big(v)}`).join(' ') || '-';

const body: string[][] = [];
for (const r of rows) {
  for (const c of r.cells) {
    const k = c.counters;
    const time = c.seconds === null ? `never (${c.failures.length}/${RUNS})`
      : `${c.seconds.toFixed(2)}${c.reached < RUNS ? ` (${c.reached}/${RUNS})` : ''}`;
    const ratio = c.ratio !== null ? c.ratio.toFixed(1) : 'unavailable' in r.qemu ? r.qemu.unavailable : '-';
    body.push([r.scenario, r.firmware, `rvwasm ${c.config}`, time, ratio, big(k?.instructions), n(k?.mips, 0),
      k ? (k.sbiCalls === null ? 'firmware' : big(k.sbiCalls)) : '-', big(k?.exits), big(k?.exceptions), big(k?.interrupts),
      big(k?.tlbMisses), big(k?.tlbFlushes), k ? `${Math.round(k.compileMillis + k.instantiateMillis)}` : '-',
      k ? `${(100 * k.executors.fastInterpreter / Math.max(1, k.instructions)).toFixed(0)}%` : '-', k ? mmuText(k) : '-']);
  }
  const q = r.qemu;
  const qText = 'unavailable' in q ? q.unavailable : q.seconds === null ? `never (${q.failures.length}/${RUNS})`
    : `${q.seconds.toFixed(2)}${q.reached < RUNS ? ` (${q.reached}/${RUNS})` : ''}`;
  body.push([r.scenario, r.firmware, r.firmware === 'monitor SBI' ? 'QEMU (via fw_jump)' : 'QEMU', qText, 'seconds' in q && q.seconds !== null ? '1' : '-',
    '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-']);
}
for (const s of skipped) body.push([s.scenario, s.firmware, 'skipped', s.reason, '', '', '', '', '', '', '', '', '', '', '', '']);

console.log(`\nTime to marker: median of ${RUNS} cold boot(s), seconds from new Machine (QEMU: from spawn) to the marker; ` +
  'x QEMU = rvwasm / QEMU (medians, same run)');
console.log(table(['scenario', 'firmware', 'engine/config', 's to marker', 'x QEMU', 'insns', 'MIPS', 'SBI calls', 'exits', 'exc', 'irq',
  'TLB miss', 'TLB flush', 'jit ms', 'interp', 'shadow/nested counters'], body));
console.log('  realtime: mtime from the host clock (as QEMU); icount: mtime from the instruction count (idle time skipped)');
console.log('  MIPS = instructions to the marker / seconds to the marker: the cold-start figure (machine set-up, interpretation and ' +
  'compilation all included); SBI calls: served by the monitor ("firmware": OpenSBI serves them); exits: all exits of generated ' +
  'code to the monitor; jit ms: compile + instantiate; interp: share of the instructions the fast interpreter ran (the rest: ' +
  'compiled code, and a few the monitor emulated; counters.executors in the JSON)');
console.log('  shadow counters: hid(den faults) true (faults) trc (tracing faults) rsync tbl+/- (shadow tables built/dropped) root+/- log(ged PT writes); ' +
  'nested: walks, refs (G-stage references)');
console.log('  monitor-SBI rows are compared with QEMU booting the same Image through fw_jump.elf: QEMU -bios none starts the kernel in M-mode');
if (rows.some((r) => r.scenario === 'u-boot')) {
  const mhz = (TIMEBASE_HZ * Number(INSNS_PER_TICK)) / 1e6;
  console.log(`  u-boot under icount: the 2 s autoboot wait is ${2 * mhz}M instructions of polling at the nominal ${mhz} MHz, ` +
    'which can pass faster than 2 s of host time (QEMU waits 2 real seconds)');
}
if (rows.some((r) => r.scenario === 'tiny' || r.scenario === 'tiny-poweroff')) {
  console.log('  tiny: the independent tinyconfig kernel (no FPU, no compressed instructions) through Debian\'s fw_dynamic.elf, on both');
}
if (rows.some((r) => r.scenario === 'linux') && rows.some((r) => r.scenario === 'linux-poweroff')) {
  console.log('  linux and linux-poweroff come from the same boots (the marker time is taken when it appears; the run then goes on to power-off)');
}

const notes: string[] = [];
for (const r of rows) {
  for (const c of r.cells) {
    for (const f of c.failures) notes.push(`${r.scenario} (${r.firmware}) rvwasm ${c.config} did not reach its marker: ${f}`);
    const counts = c.instructionSamples.filter((x): x is number => x !== null);
    if (!c.realtime && new Set(counts).size > 1) notes.push(`${r.scenario} (${r.firmware}) rvwasm ${c.config}: instructions to the marker differ between runs (${counts.join(', ')}) although mtime counts instructions`);
  }
  if ('failures' in r.qemu) for (const f of r.qemu.failures) notes.push(`${r.scenario} QEMU did not reach its marker: ${f}`);
}
for (const x of notes) console.log(`note: ${x}`);

const gitHead = spawnSync('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout?.trim() || '?';
const gitDirty = spawnSync('git', ['-C', ROOT, 'status', '--porcelain', '--', 'src'], { encoding: 'utf8' }).stdout?.trim() !== '';
const fileInfo = (f: string) => (existsSync(f) ? { path: f, bytes: readFileSync(f).length } : { path: f, missing: true });
const machine = {
  node: process.version, v8: process.versions.v8, cpu: `${cpus()[0]?.model ?? '?'} x${cpus().length}`,
  loadAverage: { start: loadAtStart, end: loadavg().map((x) => Number(x.toFixed(2))) },
  qemu: qemuLine, git: `${gitHead}${gitDirty ? ' (src/ modified)' : ''}`,
};
const settings = {
  runs: RUNS, quick: QUICK, scenarios, chunkInstructions: CHUNK, timeoutSeconds: TIMEOUT, memoryMiB: MEMORY_MIB, append: APPEND,
  files: { fwJump: fileInfo(FW_JUMP), fwDynamic: fileInfo(FW_DYNAMIC), uboot: fileInfo(UBOOT), linux: fileInfo(LINUX), linuxTiny: fileInfo(LINUX_TINY) },
  markers: Object.fromEntries(scenarios.map((s) => [s, MARKERS[s].text])),
  rvwasm: {
    machine: `new Machine({ memoryMiB: ${MEMORY_MIB}, mmu, realtime, output }) + boot({ bios, kernel, append }), run({ maxInsns: ${CHUNK} }) until the marker`,
    jitDefaults: Object.fromEntries(Object.entries(DEFAULT_JIT_OPTIONS).filter(([, v]) => typeof v !== 'function')),
    icountClock: `${INSNS_PER_TICK} instructions per mtime tick, timebase ${TIMEBASE_HZ} Hz (a ${Number(TIMEBASE_HZ * Number(INSNS_PER_TICK)) / 1e6} MHz hart); WFI skips to the next timer`,
  },
  qemu: {
    command: `${QEMU} ${qemuBase.join(' ')} -bios <fw_jump.elf> [-kernel <image>] [-append "${APPEND}"]`,
    cpu: 'QEMU default (rv64: with F/D/H/Zb* etc.; rvwasm is RV64IMAC + Zicsr/Zifencei), TCG, no -icount',
    timing: 'spawn to the marker on stdout (then SIGKILL); linux-poweroff: spawn to exit (status 0)',
  },
  benchSeconds: Number(benchSeconds.toFixed(1)),
};
console.log('\nSettings');
console.log(`  ${RUNS} run(s) per case, median; rounds interleaved over every case; marker checked every ${CHUNK} instructions ` +
  `(rvwasm; QEMU: on every stdout read); timeout ${TIMEOUT} s per boot; ${MEMORY_MIB} MiB guest RAM; --append "${APPEND}"`);
console.log(`  rvwasm JIT defaults: ${Object.entries(settings.rvwasm.jitDefaults).map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : v}`).join(', ')}`);
console.log(`  icount clock: ${settings.rvwasm.icountClock}`);
console.log(`  files: ${[FW_JUMP, FW_DYNAMIC, UBOOT, LINUX, LINUX_TINY].map((f) => `${basename(f)} ${existsSync(f) ? `${readFileSync(f).length} bytes` : 'missing'}`).join(', ')}`);
console.log(`  QEMU: ${qemuLine}; ${settings.qemu.cpu}`);
console.log(`  node ${machine.node} (V8 ${machine.v8}), ${machine.cpu}; load average ${machine.loadAverage.start.join(' ')} at start, ` +
  `${machine.loadAverage.end.join(' ')} at end (a shared machine: compare ratios within one run); rvwasm ${machine.git}`);
console.log(`  the monitor's own JS is warm after the first boot of the process (a process's first Linux boot took ~10% longer than the next ones in a check; every sample is in the JSON)`);
console.log(`  bench took ${benchSeconds.toFixed(0)} s`);

mkdirSync(RESULTS, { recursive: true });
const jsonFile = join(RESULTS, 'boot.json');
writeFileSync(jsonFile, `${JSON.stringify({
  date: new Date().toISOString(), machine, settings, rows, skipped, notes,
  qemuRuns: Object.fromEntries([...qemuRuns].map(([k, rs]) => [k, rs.map((r) => ({ marks: r.marks, exit: r.exit, seconds: r.seconds }))])),
}, null, 2)}\n`);
console.log(`wrote ${relative(ROOT, jsonFile)}`);

const chartRows = rows.filter((r) => r.cells.some((c) => c.seconds !== null));
const seriesKeys = [...new Set(chartRows.flatMap((r) => r.cells.map((c) => c.config)))];
const svgFile = join(RESULTS, 'boot.svg');
writeFileSync(svgFile, groupedBarChart({
  title: 'Boot: seconds to a marker, rvwasm vs qemu-system-riscv64 (same run)',
  groups: chartRows.map((r) => `${r.scenario}\n${r.firmware}`),
  series: [
    ...seriesKeys.map((k) => ({ name: `rvwasm ${k}`, values: chartRows.map((r) => r.cells.find((c) => c.config === k)?.seconds ?? null) })),
    { name: 'QEMU (TCG)', values: chartRows.map((r) => ('seconds' in r.qemu ? r.qemu.seconds : null)), color: '#000000' },
  ],
  yLabel: 'seconds to marker (median)',
  xLabel: 'scenario / firmware (monitor SBI rows: QEMU boots through fw_jump)',
  log: true,
  note: `median of ${RUNS}; n/a: not measured (ept only on the Linux rows); QEMU: ${qemuLine}; ${machine.cpu}; node ${machine.node}; rvwasm ${machine.git}; ${new Date().toISOString().slice(0, 10)}`,
  width: 1100,
  height: 520,
}));
console.log(`wrote ${relative(ROOT, svgFile)}`);
