// Long differential fuzzing runs: `npm run fuzz -- [options]`. Random programs from
// test/diff/program-gen.ts run on the candidate engine (the JIT when it exists) and on the
// reference interpreter; any difference in final state is bisected, minimized and reported.
// Exit status 1 when a divergence was found, 2 for bad options, 0 otherwise.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  DEFAULT_MAX_INSNS, choosePlan, compareProgram, findFirstDivergence, formatListing, formatReport, minimize,
  pickEnginePair, type Comparison, type EnginePair, type RunPlan,
} from '../test/diff/compare.js';
import { Mix } from '../test/diff/mix.js';
import { Rng, generateProgram, type GenOptions, type ItemKind, type Program } from '../test/diff/program-gen.js';

const USAGE = `usage: npm run fuzz -- [options]

  --seconds N         run for N seconds (default 300)
  --programs N        stop after N programs (whichever of --seconds/--programs comes first)
  --seed S            base seed (default: from the clock; always printed)
  --engine E          candidate engine (default: jit when available, else interp)
  --items N           top-level items per program (default: random 60..240)
  --exclude K,K       leave out item kinds (e.g. smc,timer)
  --max-insns N       per-program instruction cap (default ${DEFAULT_MAX_INSNS})
  --slices A,B,...    run the candidate in these slice sizes (default: per program, 40% sliced)
  --whole             always run the candidate in one call (no slices)
  --keep-going        record divergences and continue instead of stopping at the first
  --minimize-seconds  time for shrinking a failing program (default 60; 0 = do not)
  --report FILE       also write the divergence report(s) to FILE
  --mix               trace the reference and print the executed instruction/trap mix at the end
  --replay SEED       run only the program with this seed (use --items as printed in the report)
  --list              with --replay: print the program listing
  --help`;

function fail(msg: string): never {
  process.stderr.write(`fuzz: ${msg}\n${USAGE}\n`);
  process.exit(2);
}

function parse() {
  try {
    return parseArgs({
      options: {
        seconds: { type: 'string' }, programs: { type: 'string' }, seed: { type: 'string' }, engine: { type: 'string' },
        items: { type: 'string' }, exclude: { type: 'string' }, 'max-insns': { type: 'string' }, slices: { type: 'string' }, whole: { type: 'boolean' },
        'keep-going': { type: 'boolean' }, 'minimize-seconds': { type: 'string' }, report: { type: 'string' },
        mix: { type: 'boolean' }, replay: { type: 'string' }, list: { type: 'boolean' }, help: { type: 'boolean' },
      },
      strict: true,
    }).values;
  } catch (e) {
    return fail((e as Error).message);
  }
}
const args = parse();
if (args.help) { process.stdout.write(`${USAGE}\n`); process.exit(0); }

function int(name: string, v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) fail(`--${name} wants a non-negative integer, got "${v}"`);
  return n;
}

const seconds = int('seconds', args.seconds, 300);
const maxPrograms = int('programs', args.programs, Number.MAX_SAFE_INTEGER);
const baseSeed = int('seed', args.seed, Date.now() % 0x7fff_ffff);
const maxInsns = int('max-insns', args['max-insns'], DEFAULT_MAX_INSNS);
const minimizeMs = 1000 * int('minimize-seconds', args['minimize-seconds'], 60);
const genOptions: GenOptions = {};
if (args.items !== undefined) genOptions.items = int('items', args.items, 0);
if (args.exclude) genOptions.exclude = args.exclude.split(',').map((k) => k.trim()) as ItemKind[];
const slices = args.slices?.split(',').map((x) => int('slices', x, 1));
if (slices?.some((x) => x < 1)) fail('--slices wants positive sizes');

let pair: EnginePair;
try {
  pair = pickEnginePair(args.engine);
} catch (e) {
  fail((e as Error).message);
}

function planFor(program: Program): RunPlan {
  if (args.whole) return { maxInsns };
  return slices ? { maxInsns, slices } : choosePlan(program, maxInsns);
}

const reports: string[] = [];

function explain(c: Comparison, items: number): string {
  process.stdout.write('divergence found; bisecting...\n');
  const divergence = findFirstDivergence(c.program, c.pair, c.plan);
  let minimized: Program | undefined;
  if (minimizeMs > 0) {
    process.stdout.write(`minimizing (up to ${minimizeMs / 1000} s)...\n`);
    minimized = minimize(c.program, c.pair, c.plan, minimizeMs);
  }
  const extra = [
    args.engine ? `--engine ${args.engine}` : '', args.exclude ? `--exclude ${args.exclude}` : '',
    slices ? `--slices ${slices.join(',')}` : '', args.whole ? '--whole' : '', args['max-insns'] ? `--max-insns ${maxInsns}` : '',
  ].filter(Boolean).join(' ');
  const report = formatReport({
    comparison: c, divergence, minimized,
    reproduce: `npm run fuzz -- --replay ${c.program.spec.seed} --items ${items}${extra ? ` ${extra}` : ''}`,
  });
  reports.push(report);
  if (args.report) writeFileSync(args.report, `${reports.join('\n\n')}\n`);
  return report;
}

/** Odd seeds run the JIT with a tiny hot threshold, so tier 2 gets fuzzed as much as tier 1. */
function jitOptionsFor(seed: number): Record<string, unknown> | undefined {
  return pair.candidate === 'jit' && (seed & 1) ? { jit: { hotThreshold: 3, regionUnits: 16 } } : undefined;
}

process.stdout.write(`fuzz: ${pair.candidate} vs ${pair.reference}`
  + `${pair.jitCovered ? '' : ' (NOT JIT coverage: the candidate is the interpreter)'}; base seed ${baseSeed}\n`);

if (args.replay !== undefined) {
  const seed = int('replay', args.replay, 0);
  const program = generateProgram(seed, genOptions);
  if (args.list) process.stdout.write(`${formatListing(program)}\n`);
  const c = compareProgram(program, pair, planFor(program), { engineOptions: jitOptionsFor(seed) });
  process.stdout.write(`program seed ${seed}: ${program.spec.items.length} items, ${program.nodes} nodes, `
    + `misaligned=${program.machine.misaligned}; ${c.reference.instructionCount} instructions; `
    + `${pair.reference} ${JSON.stringify(c.reference.outcome)}\n`);
  if (c.diffs.length === 0) { process.stdout.write('no divergence\n'); process.exit(0); }
  process.stdout.write(`${explain(c, program.spec.items.length)}\n`);
  process.exit(1);
}

const mix = args.mix ? new Mix() : undefined;
const seeds = new Rng(baseSeed);
const started = performance.now();
let lastProgress = started;
let programs = 0, instructions = 0, divergences = 0, nonExits = 0;

while (programs < maxPrograms && performance.now() - started < seconds * 1000) {
  const seed = seeds.u32() & 0x7fff_ffff;
  const program = generateProgram(seed, genOptions);
  const c = compareProgram(program, pair, planFor(program), { onInsn: mix?.onInsn, engineOptions: jitOptionsFor(seed) });
  mix?.addRun(c.reference);
  programs++;
  instructions += Number(c.reference.instructionCount);
  const o = c.reference.outcome;
  if (o.kind !== 'exit' || o.code !== 0) {
    nonExits++;
    process.stdout.write(`warning: program seed ${seed} did not exit 0 on ${pair.reference} (${JSON.stringify(o)}): a generator bug\n`);
  }
  if (c.diffs.length > 0) {
    divergences++;
    process.stdout.write(`\n${explain(c, program.spec.items.length)}\n\n`);
    if (!args['keep-going']) break;
  }
  const now = performance.now();
  if (now - lastProgress > 2000) {
    lastProgress = now;
    const s = (now - started) / 1000;
    process.stdout.write(`[${s.toFixed(0)} s] ${programs} programs, ${instructions} instructions `
      + `(${(instructions / s / 1e6).toFixed(2)} M/s per engine), ${divergences} divergences\n`);
  }
}

const s = (performance.now() - started) / 1000;
process.stdout.write(`done: ${programs} programs, ${instructions} instructions per engine in ${s.toFixed(1)} s; `
  + `${divergences} divergence(s)${nonExits ? `, ${nonExits} program(s) that did not exit 0` : ''}; base seed ${baseSeed}\n`);
if (mix) process.stdout.write(`${mix.format()}\n`);
process.exit(divergences > 0 || nonExits > 0 ? 1 : 0);
