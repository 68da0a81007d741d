// How many translation units to put in one Wasm module: compile and instantiate cost
// per unit for each batch size, measured on cold runs of the workloads (fresh machines,
// so every unit is translated). Prints a table and writes bench/results/batch.json.
//   npm run bench:batch
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Machine } from '../src/api/index.js';

const ROOT = join(import.meta.dirname, '..');
const WORKLOADS = ['crc32', 'sha256', 'qsort', 'matmul', 'bytecode', 'strings'];
const BATCHES = [1, 2, 4, 8, 16, 32, 64];
const REPEATS = 3;

interface Row { batch: number; units: number; modules: number; compileUsPerUnit: number; instantiateUsPerUnit: number; totalUsPerUnit: number; coldMillis: number }
const rows: Row[] = [];
for (const batch of BATCHES) {
  let units = 0, modules = 0, compile = 0, instantiate = 0, cold = 0;
  for (let r = 0; r < REPEATS; r++) {
    for (const name of WORKLOADS) {
      const m = new Machine({ engine: 'jit', jit: { batch, tier2: false } });
      m.loadElf(new Uint8Array(readFileSync(join(ROOT, 'guest-images/build', `${name}.elf`))), name);
      const t = performance.now();
      m.run();
      cold += performance.now() - t;
      const j = m.counters().jit!;
      units += j.translations;
      modules += j.modules;
      compile += j.compileMillis;
      instantiate += j.instantiateMillis;
    }
  }
  rows.push({
    batch, units: units / REPEATS, modules: modules / REPEATS,
    compileUsPerUnit: (compile * 1000) / units, instantiateUsPerUnit: (instantiate * 1000) / units,
    totalUsPerUnit: ((compile + instantiate) * 1000) / units, coldMillis: cold / REPEATS,
  });
}
console.log('batch  units  modules  compile µs/unit  instantiate µs/unit  total µs/unit  cold run of all six (ms)');
for (const r of rows) {
  console.log(`${String(r.batch).padStart(5)}  ${String(r.units).padStart(5)}  ${String(r.modules).padStart(7)}  ${r.compileUsPerUnit.toFixed(1).padStart(15)}  ${r.instantiateUsPerUnit.toFixed(1).padStart(19)}  ${r.totalUsPerUnit.toFixed(1).padStart(13)}  ${r.coldMillis.toFixed(0).padStart(8)}`);
}
console.log('Batches are a unit and its direct successors not yet compiled (breadth first); units never reached are compiled too, so large batches trade wasted work for fewer modules.');
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(join(ROOT, 'bench/results/batch.json'), `${JSON.stringify({ date: new Date().toISOString(), node: process.version, rows }, null, 2)}\n`);
