// Memory layout of a generated program (see test/diff/program-gen.ts) and address -> region names.

export const MEMORY_MIB = 1;
export const BASE = 0x8000_0000;
export const VEC = BASE + 0x200;
export const BODY = BASE + 0x1000;
export const BODY_LIMIT = BASE + 0x1f000;
export const DATA = BASE + 0x2_0000;
export const DATA_SIZE = 0x2000;
export const LOG = BASE + 0x2_2000;
export const LOG_ENTRIES = 128;
export const LOG_SIZE = 32 + 32 * LOG_ENTRIES;
export const SEEDS = BASE + 0x2_3800;
export const IMAGE_SIZE = 0x2_4000;
export const RAM_END = BASE + MEMORY_MIB * 1024 * 1024;
/** x9's value: the page boundary in the middle of the data region. */
export const DATA_PTR = DATA + 0x1000;
/** sp's value: sp + 0x1f8 (the largest c.sdsp offset) crosses into the second page. */
export const SP_VALUE = DATA + 0xf00;

export const REGION_NAMES: readonly [number, number, string][] = [
  [BASE, VEC, 'prologue'], [VEC, BODY, 'vectors+handler'], [BODY, BODY_LIMIT, 'body'],
  [BODY_LIMIT, DATA, 'code (unused)'], [DATA, DATA + DATA_SIZE, 'data'], [LOG, LOG + LOG_SIZE, 'trap log'],
  [SEEDS, SEEDS + 256, 'seed table'], [BASE + IMAGE_SIZE, RAM_END, 'RAM beyond the image'],
];

export function regionOf(addr: number): string {
  for (const [lo, hi, name] of REGION_NAMES) if (addr >= lo && addr < hi) return name;
  return 'unnamed';
}
