import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isElf, parseElf, type ElfImage } from '../../src/machine/elf.js';
import { GuestImageError, guestImageError } from '../../src/machine/image-error.js';
import { rawImage } from '../../src/machine/raw-image.js';
import {
  buildElf, EH, PH, SH, SYM, PHDR_SIZE, SHDR_SIZE, SYM_SIZE, setU8, setU16, setU32, setU64,
  PT_INTERP, PT_NOTE, SHN_ABS, SHN_COMMON, SHN_UNDEF, SHT_PROGBITS, STB_LOCAL, STB_WEAK, STT_FILE, STT_FUNC,
  STT_OBJECT, STT_SECTION, type BuiltElf, type ElfSpec,
} from '../helpers/elf-writer.js';

const TEXT = Uint8Array.from({ length: 64 }, (_, i) => (i * 7 + 1) & 0xff);
const DATA = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);

const goodSpec = (): ElfSpec => ({
  segments: [
    { vaddr: 0x8000_0000n, data: TEXT, flags: 5 },
    { vaddr: 0x8000_1000n, data: DATA, memSize: 0x1000n, flags: 6 },
  ],
  symbols: [
    { name: '_start', value: 0x8000_0000n, type: STT_FUNC },
    { name: 'tohost', value: 0x8000_1000n, type: STT_OBJECT },
    { name: 'fromhost', value: 0x8000_1008n, type: STT_OBJECT },
  ],
});
const good = (): BuiltElf => buildElf(goodSpec());

/** Runs `fn`, which must throw a GuestImageError; returns its message. */
function imageError(fn: () => unknown): string {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  if (thrown === undefined) throw new Error('expected a GuestImageError, but the call succeeded');
  if (!(thrown instanceof GuestImageError)) throw thrown;
  expect(thrown.name).toBe('GuestImageError');
  expect(thrown.message).not.toMatch(/[\r\n]/);
  return thrown.message;
}

/** parseElf(bytes, 'x.elf') must fail with a message matching `pattern`. */
function rejects(bytes: Uint8Array, pattern: RegExp | string): string {
  const message = imageError(() => parseElf(bytes, 'x.elf'));
  expect(message.startsWith('x.elf: ')).toBe(true);
  if (typeof pattern === 'string') expect(message).toBe(`x.elf: ${pattern}`);
  else expect(message).toMatch(pattern);
  return message;
}

/** What any input must give: a sane image, or a GuestImageError. Never anything else. */
function parseOrImageError(bytes: Uint8Array): ElfImage | GuestImageError {
  let image: ElfImage;
  try {
    image = parseElf(bytes, 'fuzz.elf');
  } catch (e) {
    if (!(e instanceof GuestImageError)) throw e;
    // Plain checks, not expect(): this runs once per byte of a real ELF.
    if (!e.message.startsWith('fuzz.elf: ') || /[\r\n]/.test(e.message)) throw new Error(`bad message: ${JSON.stringify(e.message)}`);
    return e;
  }
  expect(image.segments.length).toBeGreaterThan(0);
  const limit = 1n << 64n;
  for (const s of image.segments) {
    expect(BigInt(s.data.length) <= s.memSize).toBe(true);
    expect(s.memSize > 0n).toBe(true);
    expect(s.paddr + s.memSize <= limit).toBe(true);
    expect(s.vaddr + s.memSize <= limit).toBe(true);
    expect(s.flags & ~7).toBe(0);
  }
  const sorted = [...image.segments].sort((a, b) => (a.paddr < b.paddr ? -1 : a.paddr > b.paddr ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) expect(sorted[i - 1]!.paddr + sorted[i - 1]!.memSize <= sorted[i]!.paddr).toBe(true);
  return image;
}

describe('parseElf: a good image', () => {
  it('gives the entry, both segments and the symbols', () => {
    const { bytes } = good();
    const image = parseElf(bytes, 'demo.elf');
    expect(image.entry).toBe(0x8000_0000n);
    expect(image.segments).toHaveLength(2);
    const [text, data] = image.segments;
    expect(text).toEqual({ paddr: 0x8000_0000n, vaddr: 0x8000_0000n, data: TEXT, memSize: 64n, flags: 5 });
    expect(data).toEqual({ paddr: 0x8000_1000n, vaddr: 0x8000_1000n, data: DATA, memSize: 0x1000n, flags: 6 });
    expect(image.symbols).toEqual(
      new Map([
        ['_start', 0x8000_0000n],
        ['tohost', 0x8000_1000n],
        ['fromhost', 0x8000_1008n],
      ]),
    );
  });

  it('gives segment data as views into the input, not copies', () => {
    const { bytes, layout } = good();
    const image = parseElf(bytes);
    expect(image.segments[0]!.data.buffer).toBe(bytes.buffer);
    expect(image.segments[0]!.data.byteOffset).toBe(layout.segmentOffsets[0]);
  });

  it('reads a Uint8Array that is a view at an odd offset into a larger buffer', () => {
    const { bytes } = good();
    const big = new Uint8Array(bytes.length + 11);
    big.set(bytes, 3);
    const image = parseElf(big.subarray(3, 3 + bytes.length));
    expect(image.segments[1]!.data).toEqual(DATA);
    expect(image.symbols.get('tohost')).toBe(0x8000_1000n);
  });

  it('keeps physical and virtual addresses apart, and returns e_entry unchanged', () => {
    const { bytes } = buildElf({
      segments: [{ vaddr: 0xffff_ffff_8000_0000n, paddr: 0x8020_0000n, data: TEXT, flags: 7 }],
      entry: 0xffff_ffff_8000_0010n,
    });
    const image = parseElf(bytes);
    expect(image.entry).toBe(0xffff_ffff_8000_0010n);
    expect(image.segments[0]!.paddr).toBe(0x8020_0000n);
    expect(image.segments[0]!.vaddr).toBe(0xffff_ffff_8000_0000n);
  });

  it('accepts a bss-only segment (no file bytes) and ignores its file offset', () => {
    const { bytes, layout } = buildElf({
      segments: [
        { vaddr: 0x8000_0000n, data: TEXT },
        { vaddr: 0x8010_0000n, memSize: 0x8000n, flags: 6 },
      ],
    });
    setU64(bytes, layout.phoff + PHDR_SIZE + PH.offset, 0xffff_ffff_0000n);
    const image = parseElf(bytes);
    expect(image.segments[1]).toEqual({ paddr: 0x8010_0000n, vaddr: 0x8010_0000n, data: new Uint8Array(0), memSize: 0x8000n, flags: 6 });
  });

  it('skips non-PT_LOAD segments and PT_LOAD segments with p_memsz 0', () => {
    const { bytes } = buildElf({
      segments: [
        { type: PT_NOTE, vaddr: 0n, data: DATA },
        { vaddr: 0x9000_0000n, memSize: 0n },
        { vaddr: 0x8000_0000n, data: TEXT },
        { type: 0x7000_0003, vaddr: 0n, data: DATA }, // PT_RISCV_ATTRIBUTES
      ],
    });
    const image = parseElf(bytes);
    expect(image.segments.map((s) => s.paddr)).toEqual([0x8000_0000n]);
  });

  it('accepts a segment that ends exactly at 2^64, and segments that touch', () => {
    const { bytes } = buildElf({
      segments: [
        { vaddr: 0x8000_0000n, data: TEXT },
        { vaddr: 0x8000_0040n, data: DATA },
        { vaddr: 0xffff_ffff_ffff_f000n, memSize: 0x1000n },
      ],
    });
    expect(parseElf(bytes).segments).toHaveLength(3);
  });

  it('does not care about overlap in virtual addresses, only physical', () => {
    const { bytes } = buildElf({
      segments: [
        { vaddr: 0x1000n, paddr: 0x8000_0000n, data: TEXT },
        { vaddr: 0x1000n, paddr: 0x8000_1000n, data: DATA },
      ],
    });
    expect(parseElf(bytes).segments).toHaveLength(2);
  });

  it('masks p_flags to R, W and X', () => {
    const { bytes, layout } = good();
    setU32(bytes, layout.phoff + PH.flags, 0xf000_0005);
    expect(parseElf(bytes).segments[0]!.flags).toBe(5);
  });

  it('is fine without a symbol table, and without any section headers', () => {
    const noSymtab = buildElf({ ...goodSpec(), symbols: undefined });
    expect(noSymtab.layout.shnum).toBeGreaterThan(0);
    expect(parseElf(noSymtab.bytes).symbols.size).toBe(0);
    const noSections = buildElf({ ...goodSpec(), sectionHeaders: false });
    expect(noSections.layout.shoff).toBe(0);
    setU16(noSections.bytes, EH.shentsize, 12345); // unused when e_shoff is 0
    const image = parseElf(noSections.bytes);
    expect(image.segments).toHaveLength(2);
    expect(image.symbols.size).toBe(0);
  });

  it('follows extended numbering through section header 0 (PN_XNUM, e_shnum 0, SHN_XINDEX)', () => {
    const { bytes, layout } = good();
    setU16(bytes, EH.phnum, 0xffff);
    setU32(bytes, layout.shoff + SH.info, layout.phnum);
    setU16(bytes, EH.shnum, 0);
    setU64(bytes, layout.shoff + SH.size, BigInt(layout.shnum));
    setU16(bytes, EH.shstrndx, 0xffff);
    setU32(bytes, layout.shoff + SH.link, layout.shstrtabIndex);
    const image = parseElf(bytes);
    expect(image.segments).toHaveLength(2);
    expect(image.symbols.get('fromhost')).toBe(0x8000_1008n);
  });
});

describe('parseElf: symbols', () => {
  it('keeps defined symbols only, and drops section, file and mapping symbols', () => {
    const { bytes } = buildElf({
      segments: [{ vaddr: 0x8000_0000n, data: TEXT }],
      symbols: [
        { name: 'crt0.o', value: 0n, bind: STB_LOCAL, type: STT_FILE, shndx: SHN_ABS },
        { name: '.text', value: 0x8000_0000n, bind: STB_LOCAL, type: STT_SECTION },
        { name: '$xrv64i2p1_m2p0_a2p1_c2p0', value: 0x8000_0000n, bind: STB_LOCAL },
        { name: '$d', value: 0x8000_0010n, bind: STB_LOCAL },
        { name: 'printf', value: 0n, shndx: SHN_UNDEF },
        { name: 'common_thing', value: 8n, shndx: SHN_COMMON },
        { name: '', value: 0x8000_0004n },
        { name: '__global_pointer$', value: 0x8000_0800n, shndx: SHN_ABS },
        { name: 'loop', value: 0x8000_0008n, bind: STB_LOCAL },
        { name: 'main', value: 0x8000_0020n, type: STT_FUNC },
        { name: 'héllo', value: 0x8000_0030n, type: STT_OBJECT },
      ],
    });
    expect(parseElf(bytes).symbols).toEqual(
      new Map([
        ['__global_pointer$', 0x8000_0800n],
        ['loop', 0x8000_0008n],
        ['main', 0x8000_0020n],
        ['héllo', 0x8000_0030n],
      ]),
    );
  });

  it('prefers global over weak over local when a name repeats, else the first one', () => {
    const { bytes } = buildElf({
      segments: [{ vaddr: 0x8000_0000n, data: TEXT }],
      symbols: [
        { name: 'a', value: 1n, bind: STB_LOCAL, shndx: SHN_ABS },
        { name: 'a', value: 2n, bind: STB_LOCAL, shndx: SHN_ABS },
        { name: 'b', value: 1n, bind: STB_LOCAL, shndx: SHN_ABS },
        { name: 'b', value: 2n, bind: STB_WEAK, shndx: SHN_ABS },
        { name: 'c', value: 1n, bind: STB_WEAK, shndx: SHN_ABS },
        { name: 'c', value: 2n, shndx: SHN_ABS },
        { name: 'c', value: 3n, bind: STB_LOCAL, shndx: SHN_ABS },
      ],
    });
    expect(parseElf(bytes).symbols).toEqual(new Map([['a', 1n], ['b', 2n], ['c', 2n]]));
  });
});

describe('parseElf: rejections', () => {
  it('an empty file, a non-ELF file, and a file too short for the header', () => {
    rejects(new Uint8Array(0), 'empty file');
    rejects(new TextEncoder().encode('#!/bin/sh\necho hi\n'), /^x\.elf: not an ELF file/);
    rejects(Uint8Array.of(0x7f, 0x45, 0x4c), 'truncated: the ELF header needs 64 bytes but the file has 3 bytes');
    rejects(Uint8Array.of(0x7f), 'truncated: the ELF header needs 64 bytes but the file has 1 byte');
    rejects(good().bytes.subarray(0, 40), 'truncated: the ELF header needs 64 bytes but the file has 40 bytes');
    expect(imageError(() => parseElf(new Uint8Array(0)))).toBe('empty file');
  });

  it('the wrong class, byte order or identification version', () => {
    let { bytes } = good();
    setU8(bytes, EH.class, 1);
    rejects(bytes, '32-bit ELF; rvwasm runs RV64 guests');
    rejects(bytes.subarray(0, 5), '32-bit ELF; rvwasm runs RV64 guests');
    setU8(bytes, EH.class, 7);
    rejects(bytes, 'bad ELF class 7 (expected 2, 64-bit)');
    ({ bytes } = good());
    setU8(bytes, EH.data, 2);
    rejects(bytes, 'big-endian ELF; rvwasm runs little-endian RV64 guests');
    setU8(bytes, EH.data, 0);
    rejects(bytes, 'bad ELF data encoding 0 (expected 1, little-endian)');
    ({ bytes } = good());
    setU8(bytes, EH.identVersion, 2);
    rejects(bytes, /identification version 2/);
  });

  it('another machine', () => {
    const { bytes } = good();
    setU16(bytes, EH.machine, 62);
    expect(imageError(() => parseElf(bytes, 'demo.elf'))).toBe('demo.elf: not a RISC-V ELF (machine 62, x86-64)');
    setU16(bytes, EH.machine, 183);
    rejects(bytes, 'not a RISC-V ELF (machine 183, AArch64)');
    setU16(bytes, EH.machine, 9999);
    rejects(bytes, 'not a RISC-V ELF (machine 9999)');
  });

  it('anything but ET_EXEC: ET_DYN, ET_REL, ET_CORE, ET_NONE, unknown', () => {
    const { bytes } = good();
    setU16(bytes, EH.type, 3);
    rejects(bytes, /^x\.elf: position-independent executable or shared object \(ET_DYN\).*-no-pie/);
    setU16(bytes, EH.type, 1);
    rejects(bytes, /relocatable object file \(ET_REL\)/);
    setU16(bytes, EH.type, 4);
    rejects(bytes, /core dump/);
    setU16(bytes, EH.type, 0);
    rejects(bytes, /ET_NONE/);
    setU16(bytes, EH.type, 0xfe00);
    rejects(bytes, /unknown ELF file type 65024/);
  });

  it('e_version other than 1, and a bad e_ehsize', () => {
    let { bytes } = good();
    setU32(bytes, EH.version, 0);
    rejects(bytes, 'unsupported ELF version 0 (e_version; expected 1)');
    ({ bytes } = good());
    setU16(bytes, EH.ehsize, 52);
    rejects(bytes, /bad ELF header size 52/);
  });

  it('a bad e_phentsize or e_shentsize', () => {
    let { bytes } = good();
    setU16(bytes, EH.phentsize, 32);
    rejects(bytes, 'bad program header size 32 (e_phentsize; ELF64 uses 56)');
    ({ bytes } = good());
    setU16(bytes, EH.shentsize, 40);
    rejects(bytes, 'bad section header size 40 (e_shentsize; ELF64 uses 64)');
  });

  it('no program headers, or no loadable segment', () => {
    let { bytes } = good();
    setU16(bytes, EH.phnum, 0);
    rejects(bytes, 'no program headers, so nothing to load');
    ({ bytes } = good());
    setU64(bytes, EH.phoff, 0n);
    rejects(bytes, 'no program headers, so nothing to load');
    ({ bytes } = buildElf({ segments: [{ type: PT_NOTE, vaddr: 0n, data: DATA }, { vaddr: 0x8000_0000n, memSize: 0n }] }));
    rejects(bytes, /no loadable segment/);
    ({ bytes } = buildElf({ ...goodSpec(), sectionHeaders: false }));
    setU16(bytes, EH.phnum, 0xffff);
    rejects(bytes, /PN_XNUM.*no section headers/);
  });

  it('a program header table outside the file, or cut short', () => {
    let { bytes } = good();
    setU64(bytes, EH.phoff, 1n << 40n);
    rejects(bytes, `program header table at byte ${1n << 40n} starts past the end of the file (${bytes.length} bytes); the file is truncated or corrupt`);
    ({ bytes } = buildElf({ ...goodSpec(), sectionHeaders: false }));
    setU16(bytes, EH.phnum, 5);
    const phoff = bytes.length - 3 * PHDR_SIZE - 10;
    setU64(bytes, EH.phoff, BigInt(phoff));
    rejects(bytes, `truncated: program header 3 ends at byte ${phoff + 4 * PHDR_SIZE} but the file has ${bytes.length} bytes`);
    ({ bytes } = good());
    setU64(bytes, EH.phoff, (1n << 64n) - 8n); // offset + size wraps in 64 bits; must not wrap here
    rejects(bytes, /program header table at byte 18446744073709551608 starts past the end/);
  });

  it('a section header table outside the file, or cut short', () => {
    let { bytes, layout } = good();
    setU64(bytes, EH.shoff, BigInt(bytes.length));
    rejects(bytes, /^x\.elf: section header table at byte \d+ starts past the end of the file/);
    ({ bytes, layout } = good());
    setU16(bytes, EH.shnum, layout.shnum + 2);
    rejects(bytes, `truncated: section header ${layout.shnum} ends at byte ${bytes.length + SHDR_SIZE} but the file has ${bytes.length} bytes`);
    ({ bytes, layout } = good());
    setU16(bytes, EH.shnum, 0);
    setU64(bytes, layout.shoff + SH.size, 1n << 58n); // extended count: absurd
    rejects(bytes, /^x\.elf: truncated: section header \d+ ends at byte/);
  });

  it('p_filesz greater than p_memsz', () => {
    const { bytes, layout } = good();
    setU64(bytes, layout.phoff + PH.memsz, 10n);
    rejects(bytes, 'segment 0 has more file bytes than memory bytes (p_filesz 64 > p_memsz 10)');
    setU64(bytes, layout.phoff + PH.memsz, 0n);
    rejects(bytes, /p_filesz 64 > p_memsz 0/);
  });

  it('segment data outside the file, or cut short', () => {
    let { bytes, layout } = good();
    const at = layout.phoff + PHDR_SIZE;
    setU64(bytes, at + PH.offset, BigInt(bytes.length + 100));
    rejects(bytes, `segment 1 data at byte ${bytes.length + 100} lies past the end of the file (${bytes.length} bytes); the file is truncated or corrupt`);
    ({ bytes, layout } = good());
    setU64(bytes, at + PH.offset, BigInt(bytes.length - 8));
    rejects(bytes, `truncated: segment 1 data ends at byte ${bytes.length + 8} but the file has ${bytes.length} bytes`);
    ({ bytes, layout } = good());
    setU64(bytes, at + PH.offset, (1n << 64n) - 4n);
    rejects(bytes, /segment 1 data at byte 18446744073709551612 lies past the end/);
    ({ bytes, layout } = good());
    setU64(bytes, at + PH.filesz, 1n << 62n);
    setU64(bytes, at + PH.memsz, 1n << 62n);
    rejects(bytes, /^x\.elf: truncated: segment 1 data ends at byte \d+ but the file has/);
  });

  it('an address range past 2^64, physical or virtual', () => {
    let { bytes, layout } = good();
    setU64(bytes, layout.phoff + PHDR_SIZE + PH.paddr, 0xffff_ffff_ffff_f800n);
    rejects(bytes, 'segment 1 runs past the end of the 64-bit address space (physical address 0xfffffffffffff800, size 0x1000)');
    ({ bytes, layout } = good());
    setU64(bytes, layout.phoff + PH.vaddr, 0xffff_ffff_ffff_fff0n);
    rejects(bytes, /segment 0 runs past the end of the 64-bit address space \(virtual address 0xfffffffffffffff0, size 0x40\)/);
  });

  it('PT_LOAD segments that overlap in physical memory', () => {
    let { bytes } = buildElf({
      segments: [
        { vaddr: 0x8000_0000n, data: TEXT, memSize: 0x2000n },
        { vaddr: 0x8000_1000n, data: DATA, memSize: 0x10n },
      ],
    });
    rejects(bytes, 'segments 0 and 1 overlap in physical memory (0x80000000-0x80001fff and 0x80001000-0x8000100f)');
    ({ bytes } = buildElf({
      segments: [
        { vaddr: 0x8000_4000n, data: DATA },
        { vaddr: 0x8000_0000n, data: TEXT },
        { vaddr: 0x8000_4008n, memSize: 0x100n },
      ],
    }));
    rejects(bytes, /^x\.elf: segments 0 and 2 overlap/);
    ({ bytes } = buildElf({ segments: [{ vaddr: 0x8000_0000n, data: TEXT }, { vaddr: 0x8000_0000n, data: DATA }] }));
    rejects(bytes, /segments 0 and 1 overlap/);
  });

  it('a PT_INTERP segment (a dynamically linked program)', () => {
    const { bytes } = buildElf({ segments: [{ type: PT_INTERP, vaddr: 0n, data: DATA }, { vaddr: 0x8000_0000n, data: TEXT }] });
    rejects(bytes, /segment 0 names a program interpreter \(PT_INTERP\)/);
  });

  it('a section name string table index that is out of range or not a string table', () => {
    let { bytes, layout } = good();
    setU16(bytes, EH.shstrndx, layout.shnum);
    rejects(bytes, `section name string table index ${layout.shnum} is out of range (the file has ${layout.shnum} sections)`);
    ({ bytes, layout } = good());
    setU16(bytes, EH.shstrndx, 1);
    rejects(bytes, `the section name string table (section 1) is not a string table (section type ${SHT_PROGBITS})`);
    ({ bytes, layout } = good());
    setU64(bytes, layout.shoff + layout.shstrtabIndex * SHDR_SIZE + SH.size, 1n << 50n);
    rejects(bytes, /the section name string table \(section \d+\) ends at byte/);
  });

  it('a symbol table string table index that is out of range or not a string table', () => {
    let { bytes, layout } = good();
    const symtabHeader = layout.shoff + layout.symtabIndex * SHDR_SIZE;
    setU32(bytes, symtabHeader + SH.link, 99);
    rejects(bytes, `symbol table (section ${layout.symtabIndex}) names string table section 99, which is out of range (the file has ${layout.shnum} sections)`);
    setU32(bytes, symtabHeader + SH.link, 0);
    rejects(bytes, 'the string table of the symbol table (section 0) is not a string table (section type 0)');
    ({ bytes, layout } = good());
    setU64(bytes, layout.shoff + layout.strtabIndex * SHDR_SIZE + SH.offset, BigInt(bytes.length - 2));
    rejects(bytes, `truncated: the string table of the symbol table (section ${layout.strtabIndex}) ends at byte ${bytes.length - 2 + layout.strtabSize} but the file has ${bytes.length} bytes`);
  });

  it('a bad symbol table: entry size, size, range', () => {
    let { bytes, layout } = good();
    const symtabHeader = layout.shoff + layout.symtabIndex * SHDR_SIZE;
    setU64(bytes, symtabHeader + SH.entsize, 16n);
    rejects(bytes, /bad symbol table \(section \d+\) entry size 16 \(sh_entsize; ELF64 uses 24\)/);
    ({ bytes, layout } = good());
    setU64(bytes, symtabHeader + SH.size, BigInt(4 * SYM_SIZE - 1));
    rejects(bytes, /size 95 is not a multiple of the 24-byte entry size/);
    ({ bytes, layout } = good());
    setU64(bytes, symtabHeader + SH.offset, 1n << 63n);
    rejects(bytes, /symbol table \(section \d+\) at byte 9223372036854775808 lies past the end of the file/);
    ({ bytes, layout } = good());
    setU64(bytes, symtabHeader + SH.size, BigInt(SYM_SIZE) * (1n << 58n));
    rejects(bytes, /^x\.elf: truncated: symbol table \(section \d+\) ends at byte/);
  });

  it('a symbol name outside the string table, or not NUL-terminated in it', () => {
    let { bytes, layout } = good();
    setU32(bytes, layout.symtabOffset + 2 * SYM_SIZE + SYM.name, layout.strtabSize);
    rejects(bytes, `symbol 2: its name starts at byte ${layout.strtabSize} of a ${layout.strtabSize}-byte string table`);
    ({ bytes, layout } = good());
    // "fromhost\0" is the last name: drop its NUL by shrinking the string table by one byte.
    setU64(bytes, layout.shoff + layout.strtabIndex * SHDR_SIZE + SH.size, BigInt(layout.strtabSize - 1));
    rejects(bytes, 'symbol 3: its name is not NUL-terminated within the string table');
    ({ bytes, layout } = good());
    setU8(bytes, layout.strtabOffset + layout.strtabSize - 1, 0x41);
    rejects(bytes, 'symbol 3: its name is not NUL-terminated within the string table');
  });

  it('accepts names that share bytes, as ld makes them ("foo" as the tail of "_foo")', () => {
    const { bytes, layout } = buildElf({
      segments: [{ vaddr: 0x8000_0000n, data: TEXT }],
      symbols: [
        { name: '_foo', value: 0x8000_0000n },
        { name: 'placeholder', value: 0x8000_0010n },
      ],
    });
    setU32(bytes, layout.symtabOffset + 2 * SYM_SIZE + SYM.name, layout.nameOffsets[0]! + 1);
    expect(parseElf(bytes).symbols).toEqual(new Map([['_foo', 0x8000_0000n], ['foo', 0x8000_0010n]]));
  });

  it('rejects, quickly, symbols whose names all point into one huge string', () => {
    const count = 20_000;
    const { bytes, layout } = buildElf({
      segments: [{ vaddr: 0x8000_0000n, data: TEXT }],
      symbols: [
        { name: 'a'.repeat(500_000), value: 0x8000_0000n },
        ...Array.from({ length: count }, (_, k) => ({ name: 'b', value: 0x8000_0000n + BigInt(k) })),
      ],
    });
    for (let k = 0; k < count; k++) setU32(bytes, layout.symtabOffset + (k + 2) * SYM_SIZE + SYM.name, layout.nameOffsets[0]! + 1 + k);
    const started = performance.now();
    rejects(bytes, /^x\.elf: symbol \d+: the symbol names overlap far more than a linker would make them .*the symbol table is corrupt$/);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('checks the names of undefined symbols too', () => {
    const { bytes, layout } = buildElf({
      segments: [{ vaddr: 0x8000_0000n, data: TEXT }],
      symbols: [{ name: 'ext', value: 0n, shndx: SHN_UNDEF }],
    });
    setU32(bytes, layout.symtabOffset + SYM_SIZE + SYM.name, 0xffff_ffff);
    rejects(bytes, /symbol 1: its name starts at byte 4294967295/);
  });
});

describe('parseElf: messages', () => {
  it('start with the file name when given, and have none otherwise', () => {
    const { bytes } = good();
    setU8(bytes, EH.class, 1);
    expect(imageError(() => parseElf(bytes))).toBe('32-bit ELF; rvwasm runs RV64 guests');
    expect(imageError(() => parseElf(bytes, 'x.elf'))).toBe('x.elf: 32-bit ELF; rvwasm runs RV64 guests');
  });

  it('stay on one line whatever the file name holds', () => {
    const message = imageError(() => parseElf(new Uint8Array(0), 'evil\nname\u2028.elf'));
    expect(message).toBe('evil\\x0aname\\u2028.elf: empty file');
    expect(guestImageError('', 'x').message).toBe('x');
  });
});

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

describe('isElf', () => {
  it('looks at the signature only', () => {
    expect(isElf(good().bytes)).toBe(true);
    expect(isElf(Uint8Array.of(0x7f, 0x45, 0x4c, 0x46))).toBe(true);
    expect(isElf(Uint8Array.of(0x7f, 0x45, 0x4c))).toBe(false);
    expect(isElf(new Uint8Array(0))).toBe(false);
    expect(isElf(new TextEncoder().encode('ELF\x7f'))).toBe(false);
  });
});

describe('rawImage', () => {
  it('is one RWX segment at the load address, entered there, without symbols', () => {
    const bytes = Uint8Array.of(0x13, 0, 0, 0, 0x6f, 0, 0, 0);
    const image = rawImage(bytes, 0x8000_0000n, 'fw.bin');
    expect(image).toEqual({
      entry: 0x8000_0000n,
      segments: [{ paddr: 0x8000_0000n, vaddr: 0x8000_0000n, data: bytes, memSize: 8n, flags: 7 }],
      symbols: new Map(),
    });
    expect(image.segments[0]!.data).toBe(bytes);
  });

  it('rejects an empty file and an address range that does not fit in 64 bits', () => {
    expect(imageError(() => rawImage(new Uint8Array(0), 0x8000_0000n, 'fw.bin'))).toBe('fw.bin: empty file');
    expect(imageError(() => rawImage(new Uint8Array(0), 0x8000_0000n))).toBe('empty file');
    expect(imageError(() => rawImage(new Uint8Array(16), 0xffff_ffff_ffff_fff8n, 'fw.bin'))).toBe(
      'fw.bin: a 16-byte image loaded at 0xfffffffffffffff8 runs past the end of the 64-bit address space',
    );
    expect(imageError(() => rawImage(new Uint8Array(16), -1n, 'fw.bin'))).toMatch(/^fw\.bin: load address -1 is not a 64-bit physical address/);
    expect(imageError(() => rawImage(new Uint8Array(16), 1n << 64n))).toMatch(/not a 64-bit physical address/);
    expect(rawImage(new Uint8Array(16), 0xffff_ffff_ffff_fff0n).segments[0]!.memSize).toBe(16n);
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
if (builtElfs.length === 0) console.warn('elf.test: no ELF under guest-images/build/ yet; skipping the real-ELF tests');

const OPENSBI = '/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.elf';
const haveOpenSbi = existsSync(OPENSBI);
if (!haveOpenSbi) console.warn(`elf.test: ${OPENSBI} not installed (Debian package opensbi); skipping that test`);

const haveReadelf = spawnSync('readelf', ['--version']).status === 0;
if (!haveReadelf) console.warn('elf.test: readelf not found; real ELFs are parsed but not cross-checked against it');

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
