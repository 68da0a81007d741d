// parseElf on well-formed images (segments, symbols), isElf and rawImage.
import { describe, expect, it } from 'vitest';
import { isElf, parseElf } from '../../src/machine/elf.js';
import { rawImage } from '../../src/machine/raw-image.js';
import {
  buildElf, EH, PH, SH, PHDR_SIZE, setU16, setU32, setU64, PT_NOTE, SHN_ABS, SHN_COMMON, SHN_UNDEF, STB_LOCAL,
  STB_WEAK, STT_FILE, STT_FUNC, STT_OBJECT, STT_SECTION,
} from '../helpers/elf-writer.js';
import { DATA, TEXT, good, goodSpec, imageError } from '../helpers/elf-checks.js';

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
