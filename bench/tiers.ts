// What tier 2 buys: warm (steady-state) JIT speed with tier 2 off, with regions, and with
// regions optimized by binaryen, measured in one run with benny. Each configuration runs
// the workload at a fixed scale (guest-images/lib/rt.h: rvwasm_scale) until its hot code
// is compiled, then is timed on further runs.
//   npm run bench:tiers
import b from 'benny';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Machine, loadOptimizer, type MachineOptions } from '../src/api/index.js';
import { parseElf } from '../src/machine/elf.js';

const ROOT = join(import.meta.dirname, '..');
const WORKLOADS = ['crc32', 'sha256', 'qsort', 'matmul', 'bytecode', 'strings'];
const SCALE = 20;
const CONFIGS: [string, MachineOptions['jit']][] = [
  ['tier 1 only', { tier2: false }],
  ['tier 2 regions', { tier2: true, binaryen: false }],
  ['tier 2 + binaryen', { tier2: true, binaryen: true }],
];

if (!(await loadOptimizer())) throw new Error('binaryen cannot be loaded');

function prepare(name: string, jit: MachineOptions['jit']) {
  const elf = join(ROOT, 'guest-images/build', `${name}.elf`);
  const image = new Uint8Array(readFileSync(elf));
  const scaleAddr = parseElf(image, elf).symbols.get('rvwasm_scale');
  if (scaleAddr === undefined) throw new Error(`${elf} has no rvwasm_scale`);
  const m = new Machine({ engine: 'jit', jit });
  const once = (): number => {
    m.loadElf(image, name);
    m.writeMemory(scaleAddr, Uint8Array.of(SCALE, 0, 0, 0));
    const before = m.instructionCount;
    const outcome = m.run();
    if (outcome.kind !== 'exit' || outcome.code !== 0) throw new Error(`${name}: ${JSON.stringify(outcome)}`);
    return Number(m.instructionCount - before);
  };
  // Warm up until no new region appears in a run (hot code compiled), at most 20 runs.
  let insns = 0;
  for (let i = 0, last = -1; i < 20; i++) {
    insns = once();
    const p = m.counters().jit!.tier2.promotions;
    if (p === last) break;
    last = p;
  }
  return { once, insns, machine: m };
}

const rows: { workload: string; mips: Record<string, number> }[] = [];
for (const name of WORKLOADS) {
  const mips: Record<string, number> = {};
  for (const [label, jit] of CONFIGS) {
    const { once, insns } = prepare(name, jit);
    await b.suite(`${name}: ${label}`,
      b.add(label, () => { once(); }, { minSamples: 5, maxTime: 2 }),
      b.complete((s) => { mips[label] = insns / s.results[0].details.mean / 1e6; }));
  }
  rows.push({ workload: name, mips });
}

const labels = CONFIGS.map(([l]) => l);
console.log(`\nwarm JIT MIPS at scale ${SCALE}`);
console.log(`workload  ${labels.map((l) => l.padStart(18)).join('')}   regions/tier1   binaryen/regions`);
const geo = (xs: number[]) => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
for (const r of rows) {
  const v = labels.map((l) => r.mips[l]);
  console.log(`${r.workload.padEnd(9)} ${v.map((x) => x.toFixed(0).padStart(18)).join('')}   ${(v[1] / v[0]).toFixed(2).padStart(13)}   ${(v[2] / v[1]).toFixed(2).padStart(16)}`);
}
const g = labels.map((l) => geo(rows.map((r) => r.mips[l])));
console.log(`${'geomean'.padEnd(9)} ${g.map((x) => x.toFixed(0).padStart(18)).join('')}   ${(g[1] / g[0]).toFixed(2).padStart(13)}   ${(g[2] / g[1]).toFixed(2).padStart(16)}`);
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(join(ROOT, 'bench/results/tiers.json'), `${JSON.stringify({ date: new Date().toISOString(), scale: SCALE, rows, geomean: Object.fromEntries(labels.map((l, i) => [l, g[i]])) }, null, 2)}\n`);
