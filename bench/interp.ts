// Interpreter speed on the guest workloads, in guest MIPS, measured with benny; next to
// QEMU (TCG) running the same ELF in the same run when it is installed.
//   npm run bench:interp [-- workload ...]
import b from 'benny';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Machine } from '../src/api/index.js';
import { qemuInstalled, qemuMedianMillis } from './qemu.js';

const ROOT = join(import.meta.dirname, '..');
const BUILD = join(ROOT, 'guest-images/build');
const ALL = ['crc32', 'sha256', 'qsort', 'matmul', 'bytecode', 'strings'];
const chosen = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const workloads = chosen.length > 0 ? chosen : ALL;

function runOnce(image: Uint8Array): bigint {
  const m = new Machine({ engine: 'interp' });
  m.loadElf(image, 'workload');
  const outcome = m.run();
  if (outcome.kind !== 'exit' || outcome.code !== 0) throw new Error(`workload failed: ${JSON.stringify(outcome)}`);
  return m.instructionCount;
}

interface Row { workload: string; instructions: number; interpMips: number; margin: number; qemuMs: number | null; qemuVsInterp: number | null }
const rows: Row[] = [];
const haveQemu = qemuInstalled();

for (const name of workloads) {
  const elf = join(BUILD, `${name}.elf`);
  const image = new Uint8Array(readFileSync(elf));
  const instructions = Number(runOnce(image));
  await b.suite(
    `interp: ${name}`,
    b.add(name, () => { runOnce(image); }, { minSamples: 3, maxTime: 4 }),
    b.complete((summary) => {
      const r = summary.results[0];
      // benny rounds ops/s to whole numbers; the mean sample time keeps the precision.
      const seconds = r.details.mean;
      const qemuMs = haveQemu ? qemuMedianMillis(elf, 3) : null;
      rows.push({
        workload: name, instructions, interpMips: instructions / seconds / 1e6, margin: r.margin,
        qemuMs, qemuVsInterp: qemuMs === null ? null : (seconds * 1000) / qemuMs,
      });
    }),
  );
}

console.log('\nworkload   instructions   interp MIPS (±%)    QEMU run (ms)   QEMU speed / interp speed');
for (const r of rows) {
  const q = r.qemuMs === null ? 'not installed' : r.qemuMs.toFixed(0);
  const ratio = r.qemuVsInterp === null ? 'not installed' : `${r.qemuVsInterp.toFixed(1)}x`;
  console.log(`${r.workload.padEnd(10)} ${String(r.instructions).padStart(12)}   ${r.interpMips.toFixed(2).padStart(8)} (±${r.margin.toFixed(1)})   ${q.padStart(13)}   ${ratio}`);
}
const geomean = Math.exp(rows.reduce((s, r) => s + Math.log(r.interpMips), 0) / rows.length);
console.log(`geomean interpreter speed: ${geomean.toFixed(2)} MIPS`);
console.log('QEMU times are whole-process (startup included), so the ratio understates QEMU on short runs.');
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
const out = join(ROOT, 'bench/results/interp.json');
writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), node: process.version, rows, geomeanMips: geomean }, null, 2)}\n`);
console.log(`wrote ${out}`);
