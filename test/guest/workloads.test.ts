// The workloads and the demo pass under the reference interpreter and print exactly what
// their native builds printed.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILD, elfFiles, runImage } from '../helpers/guest-images.js';

const images = elfFiles(BUILD);

describe('workloads (interpreter)', () => {
  it('has the six workloads and the demo', () => {
    const names = images.map((p) => p.slice(BUILD.length + 1));
    for (const n of ['crc32', 'sha256', 'qsort', 'matmul', 'bytecode', 'strings', 'demo']) expect(names).toContain(`${n}.elf`);
  });
  for (const path of images) {
    it(path.slice(BUILD.length + 1), () => {
      const { outcome, output } = runImage(path);
      expect(outcome, output.slice(-2000)).toEqual({ kind: 'exit', code: 0 });
      const expected = path.replace(/\.elf$/, '.expected');
      expect(existsSync(expected), `${expected} is missing`).toBe(true);
      expect(output).toBe(readFileSync(expected, 'latin1'));
    });
  }
});
