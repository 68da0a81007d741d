// Reader for the committed objdump fixtures (test/fixtures/objdump/*.txt, produced by
// scripts/make-objdump-fixtures.sh). The tests never run the cross toolchain.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AmoKind, amoShape } from '../../src/isa/amo.js';
import { decode } from '../../src/isa/decode.js';
import type { Op } from '../../src/isa/opcodes.js';

/**
 * Zabha (byte/halfword AMOs) and Zacas (amocas.*) were ratified after Debian's binutils
 * 2.40, whose objdump prints their words as `.4byte`. Fixture lines that decode to them
 * are left out of the objdump comparisons; test/isa/zabha-zacas.test.ts checks them
 * against the spec's encodings instead.
 */
export function newerThanObjdump(op: Op): boolean {
  const amo = amoShape(op);
  return amo !== undefined && (amo.bytes < 4 || amo.kind === AmoKind.CAS);
}

export interface FixtureLine {
  /** fixture name and 1-based line number, for messages */
  where: string;
  addr: bigint;
  raw: number;
  /** 2 or 4, from the number of hex digits objdump printed */
  len: 2 | 4;
  /** objdump's instruction column without the " <sym>" / " # ..." suffixes */
  text: string;
}

/** Hand-written sources: together they must cover every operation and alias. */
export const HAND_WRITTEN = ['base', 'compressed', 'amo', 'csr'] as const;
/** Seeded random words from the generator in the script. */
export const RANDOM = ['random16', 'random32'] as const;
/** Words the spec says are not instructions on this machine. */
export const ILLEGAL_FIXTURE = 'illegal';

const DIR = new URL('../fixtures/objdump/', import.meta.url);

export function loadFixture(name: string): FixtureLine[] {
  const text = readFileSync(fileURLToPath(new URL(`${name}.txt`, DIR)), 'utf8');
  const out: FixtureLine[] = [];
  text.split('\n').forEach((line, i) => {
    if (line === '' || line.startsWith('#')) return;
    const [addr, raw, ...rest] = line.split('\t');
    if (raw === undefined || rest.length === 0) throw new Error(`${name}.txt:${i + 1}: bad line`);
    if (raw.length !== 4 && raw.length !== 8) throw new Error(`${name}.txt:${i + 1}: bad raw ${raw}`);
    if (newerThanObjdump(decode(parseInt(raw, 16)).op)) return;
    out.push({
      where: `${name}.txt:${i + 1}`,
      addr: BigInt(`0x${addr}`),
      raw: parseInt(raw, 16),
      len: raw.length === 4 ? 2 : 4,
      text: rest.join('\t'),
    });
  });
  return out;
}
