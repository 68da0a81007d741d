// Reader for the committed objdump fixtures (test/fixtures/objdump/*.txt, produced by
// scripts/make-objdump-fixtures.sh). The tests never run the cross toolchain.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

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
