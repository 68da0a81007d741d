// parseElf under truncation and random corruption, and on real ELFs (cross-compiled and OpenSBI).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseElf, type ElfImage } from '../../src/machine/elf.js';
import { GuestImageError } from '../../src/machine/image-error.js';
import {
  buildElf, EH, PH, SH, SYM, PHDR_SIZE, SHDR_SIZE, SYM_SIZE, setU8, setU16, setU32, setU64,
} from '../helpers/elf-writer.js';
import { DATA, good, goodSpec, parseOrImageError } from '../helpers/elf-checks.js';

describe('parseElf: truncation and random corruption', () => {
  it('fails with GuestImageError at every truncated length of a built ELF', () => {
    const { bytes } = good();
    for (let n = 0; n < bytes.length; n++) {
      expect(() => parseElf(bytes.subarray(0, n), 't.elf'), `length ${n}`).toThrow(GuestImageError);
    }
    expect(parseElf(bytes).segments).toHaveLength(2);
  });

  it('fails with GuestImageError at every truncated length of an ELF without section headers (until its data is whole)', () => {
    const { bytes, layout } = buildElf({ ...goodSpec(), sectionHeaders: false });
    const lastData = layout.segmentOffsets[1]! + DATA.length;
    for (let n = 0; n < bytes.length; n++) {
      const outcome = parseOrImageError(bytes.subarray(0, n));
      expect(outcome instanceof GuestImageError, `length ${n}`).toBe(n < lastData);
    }
  });

  const base = good();
  const interesting: number[] = [];
  const { layout } = base;
  for (let i = 0; i < 64 + layout.phnum * PHDR_SIZE; i++) interesting.push(i);
  for (let i = layout.shoff; i < layout.shoff + layout.shnum * SHDR_SIZE; i++) interesting.push(i);
  for (let i = layout.symtabOffset; i < layout.symtabOffset + 4 * SYM_SIZE; i++) interesting.push(i);
  for (let i = layout.strtabOffset; i < layout.strtabOffset + layout.strtabSize; i++) interesting.push(i);

  /** Every 2-, 4- and 8-byte header field, as [offset, width]. */
  const fields: Array<[number, number]> = [];
  const ehWidth = (at: number): number => (at < 16 ? 1 : at < 20 || at >= 52 ? 2 : at === 20 || at === 48 ? 4 : 8);
  for (const at of Object.values(EH)) fields.push([at, ehWidth(at)]);
  for (let p = 0; p < layout.phnum; p++) for (const at of Object.values(PH)) fields.push([layout.phoff + p * PHDR_SIZE + at, at < 8 ? 4 : 8]);
  for (let s = 0; s < layout.shnum; s++) {
    for (const at of Object.values(SH)) fields.push([layout.shoff + s * SHDR_SIZE + at, at === 0 || at === 4 || at === 40 || at === 44 ? 4 : 8]);
  }
  for (let s = 0; s < 4; s++) fields.push([layout.symtabOffset + s * SYM_SIZE + SYM.name, 4], [layout.symtabOffset + s * SYM_SIZE + SYM.shndx, 2]);

  it('returns a sane image or throws GuestImageError for random byte changes anywhere', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(base.bytes.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), (flips) => {
        const bytes = base.bytes.slice();
        for (const [at, v] of flips) bytes[at] = v;
        parseOrImageError(bytes);
      }),
      { numRuns: 300 },
    );
  });

  it('returns a sane image or throws GuestImageError for random bit flips in the headers and tables', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...interesting), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 4 }), (flips) => {
        const bytes = base.bytes.slice();
        for (const [at, bit] of flips) bytes[at]! ^= 1 << bit;
        parseOrImageError(bytes);
      }),
      { numRuns: 400 },
    );
  });

  it('returns a sane image or throws GuestImageError for extreme values in header fields', () => {
    const value = fc.oneof(
      fc.constantFrom(0n, 1n, 0xffffn, 0xffff_ffffn, (1n << 63n) - 1n, 1n << 63n, (1n << 64n) - 1n, BigInt(base.bytes.length)),
      fc.bigInt({ min: 0n, max: BigInt(base.bytes.length) + 64n }),
      fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...fields), value), { minLength: 1, maxLength: 3 }), (changes) => {
        const bytes = base.bytes.slice();
        for (const [[at, width], v] of changes) {
          if (width === 1) setU8(bytes, at, Number(v & 0xffn));
          else if (width === 2) setU16(bytes, at, Number(v & 0xffffn));
          else if (width === 4) setU32(bytes, at, Number(v & 0xffff_ffffn));
          else setU64(bytes, at, v);
        }
        parseOrImageError(bytes);
      }),
      { numRuns: 400 },
    );
  });
});

// ---------------------------------------------------------------------------------------
// Real ELFs from the cross compiler (guest-images/build/), and the system's OpenSBI build.

const buildDir = fileURLToPath(new URL('../../guest-images/build/', import.meta.url));
const builtElfs = existsSync(buildDir)
  ? readdirSync(buildDir)
      .filter((f) => f.endsWith('.elf'))
      .map((f) => join(buildDir, f))
      .sort((a, b) => statSync(a).size - statSync(b).size)
  : [];
if (builtElfs.length === 0) console.warn('elf-fuzz.test: no ELF under guest-images/build/ yet; skipping the real-ELF tests');

const OPENSBI = '/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.elf';
const haveOpenSbi = existsSync(OPENSBI);
if (!haveOpenSbi) console.warn(`elf-fuzz.test: ${OPENSBI} not installed (Debian package opensbi); skipping that test`);

const haveReadelf = spawnSync('readelf', ['--version']).status === 0;
if (!haveReadelf) console.warn('elf-fuzz.test: readelf not found; real ELFs are parsed but not cross-checked against it');

/** Cross-checks the parse of a real ELF against binutils' readelf, when it is installed. */
function crossCheckWithReadelf(file: string, image: ElfImage): void {
  if (!haveReadelf) return;
  const segments = spawnSync('readelf', ['-lW', file], { encoding: 'utf8' }).stdout;
  const loads = [...segments.matchAll(/^\s*LOAD\s+(0x\S+)\s+(0x\S+)\s+(0x\S+)\s+(0x\S+)\s+(0x\S+)\s+([RWE ]+?)\s+0x/gm)]
    .map((m) => ({ vaddr: BigInt(m[2]!), paddr: BigInt(m[3]!), filesz: BigInt(m[4]!), memsz: BigInt(m[5]!), flags: m[6]! }))
    .filter((l) => l.memsz > 0n);
  expect(image.segments.map((s) => ({ vaddr: s.vaddr, paddr: s.paddr, filesz: BigInt(s.data.length), memsz: s.memSize }))).toEqual(
    loads.map(({ flags: _, ...rest }) => rest),
  );
  image.segments.forEach((s, i) => {
    const f = loads[i]!.flags;
    expect(s.flags).toBe((f.includes('R') ? 4 : 0) | (f.includes('W') ? 2 : 0) | (f.includes('E') ? 1 : 0));
  });
  const syms = spawnSync('readelf', ['-sW', file], { encoding: 'utf8' }).stdout;
  // Only .symtab: readelf prints .dynsym first when there is one, under its own title.
  const symtabPart = syms.split(/Symbol table '/).find((p) => p.startsWith('.symtab')) ?? '';
  for (const m of symtabPart.matchAll(/^\s*\d+:\s+([0-9a-f]+)\s+\d+\s+\S+\s+GLOBAL\s+\S+\s+(\S+)\s+(\S+)$/gm)) {
    if (m[2] === 'UND') continue;
    expect(image.symbols.get(m[3]!), m[3]).toBe(BigInt(`0x${m[1]!}`));
  }
}

function realElfChecks(file: string): void {
  const bytes = new Uint8Array(readFileSync(file));
  const image = parseElf(bytes, file);
  expect(image.segments.length).toBeGreaterThan(0);
  expect(image.segments.some((s) => image.entry >= s.vaddr && image.entry < s.vaddr + s.memSize)).toBe(true);
  crossCheckWithReadelf(file, image);

  // Every truncation. GNU ld puts the section headers last, so every shorter file is
  // missing some of them and must be rejected; otherwise accept a sane image too.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shEnd = view.getBigUint64(40, true) + BigInt(view.getUint16(58, true) * view.getUint16(60, true));
  const headersLast = shEnd === BigInt(bytes.length);
  for (let n = 0; n < bytes.length; n++) {
    const outcome = parseOrImageError(bytes.subarray(0, n));
    if (headersLast && !(outcome instanceof GuestImageError)) throw new Error(`${file} truncated to ${n} bytes was accepted`);
  }
}

describe('parseElf: real ELFs', () => {
  it.skipIf(builtElfs.length === 0)('parses the smallest ELF in guest-images/build/, and rejects every truncation of it', () => {
    realElfChecks(builtElfs[0]!);
  });

  it.skipIf(builtElfs.length === 0)('parses every ELF in guest-images/build/', () => {
    for (const file of builtElfs) {
      const image = parseElf(new Uint8Array(readFileSync(file)), file);
      crossCheckWithReadelf(file, image);
    }
  });

  it.skipIf(!haveOpenSbi)("parses Debian's OpenSBI fw_jump.elf (ET_EXEC, no .symtab), and rejects every truncation of it", () => {
    realElfChecks(OPENSBI);
    const image = parseElf(new Uint8Array(readFileSync(OPENSBI)));
    expect(image.entry).toBe(0x8000_0000n);
    expect(image.symbols.size).toBe(0);
  }, 30_000);
});
