// parseElf's rejections of malformed images, and the form of its messages.
import { describe, expect, it } from 'vitest';
import { parseElf } from '../../src/machine/elf.js';
import { guestImageError } from '../../src/machine/image-error.js';
import {
  buildElf, EH, PH, SH, SYM, PHDR_SIZE, SHDR_SIZE, SYM_SIZE, setU8, setU16, setU32, setU64, PT_INTERP, PT_NOTE,
  SHN_UNDEF, SHT_PROGBITS,
} from '../helpers/elf-writer.js';
import { DATA, TEXT, good, goodSpec, imageError, rejects } from '../helpers/elf-checks.js';

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
