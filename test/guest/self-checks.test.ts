// The self-checking test programs in guest-images/tests pass under the reference
// interpreter. Each reports through the finisher or HTIF; any failure code names the check.
import { basename, join } from 'node:path';
import type { MachineOptions } from '../../src/api/index.js';
import { describe, expect, it } from 'vitest';
import { BUILD, elfFiles, runImage } from '../helpers/guest-images.js';

const images = elfFiles(join(BUILD, 'tests'));
/** Images that test a non-default machine option (guest-images/tests/Makefile passes the same). */
const OPTIONS: Record<string, MachineOptions> = {
  'misaligned-trap.elf': { misaligned: 'trap' },
};

describe('self-checking guest tests (interpreter)', () => {
  it('has test images', () => {
    expect(images.length).toBeGreaterThan(10);
  });
  for (const path of images) {
    it(path.slice(BUILD.length + 1), () => {
      const { outcome, output } = runImage(path, OPTIONS[basename(path)]);
      expect(outcome, output.slice(-2000)).toEqual({ kind: 'exit', code: 0 });
    });
  }
});
