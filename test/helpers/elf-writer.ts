/**
 * A tiny ELF64 writer for tests: builds little RISC-V executables in memory so that the
 * ELF parser can be tested without binary fixtures, and exposes the layout so a test can
 * corrupt one field at a time.
 *
 * File layout (section headers last, as GNU ld does, so any truncation cuts them):
 *   ELF header | program headers | segment data... | .strtab | .symtab | .shstrtab | section headers
 * Sections: [0] null, one PROGBITS section per segment with file bytes, then .symtab and
 * .strtab (only when `symbols` is given), then .shstrtab.
 */

export const EM_RISCV = 243;
export const ET_EXEC = 2;
export const PT_LOAD = 1;
export const PT_INTERP = 3;
export const PT_NOTE = 4;
export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHN_UNDEF = 0;
export const SHN_ABS = 0xfff1;
export const SHN_COMMON = 0xfff2;
export const STB_LOCAL = 0;
export const STB_GLOBAL = 1;
export const STB_WEAK = 2;
export const STT_NOTYPE = 0;
export const STT_OBJECT = 1;
export const STT_FUNC = 2;
export const STT_SECTION = 3;
export const STT_FILE = 4;

/** Byte offsets of fields in the ELF header. */
export const EH = {
  class: 4, data: 5, identVersion: 6, type: 16, machine: 18, version: 20, entry: 24, phoff: 32, shoff: 40,
  flags: 48, ehsize: 52, phentsize: 54, phnum: 56, shentsize: 58, shnum: 60, shstrndx: 62,
} as const;
/** Byte offsets of fields in a program header (56 bytes). */
export const PH = { type: 0, flags: 4, offset: 8, vaddr: 16, paddr: 24, filesz: 32, memsz: 40, align: 48 } as const;
/** Byte offsets of fields in a section header (64 bytes). */
export const SH = {
  name: 0, type: 4, flags: 8, addr: 16, offset: 24, size: 32, link: 40, info: 44, addralign: 48, entsize: 56,
} as const;
/** Byte offsets of fields in a symbol (24 bytes). */
export const SYM = { name: 0, info: 4, other: 5, shndx: 6, value: 8, size: 16 } as const;
export const EHDR_SIZE = 64;
export const PHDR_SIZE = 56;
export const SHDR_SIZE = 64;
export const SYM_SIZE = 24;

export interface SegmentSpec {
  type?: number; // default PT_LOAD
  vaddr: bigint;
  paddr?: bigint; // default vaddr
  data?: Uint8Array; // file bytes, default none
  memSize?: bigint; // default data.length
  flags?: number; // default R|X
}

export interface SymbolSpec {
  name: string;
  value: bigint;
  bind?: number; // default STB_GLOBAL
  type?: number; // default STT_NOTYPE
  /** Default: the section of the segment whose memory holds `value`, else SHN_ABS. */
  shndx?: number;
}

export interface ElfSpec {
  segments: SegmentSpec[];
  /** Omit for a file without .symtab / .strtab. */
  symbols?: SymbolSpec[];
  entry?: bigint; // default: first segment's vaddr
  /** false: no section header table at all (e_shoff = 0). */
  sectionHeaders?: boolean;
}

export interface ElfLayout {
  phoff: number;
  phnum: number;
  shoff: number; // 0 when there are no section headers
  shnum: number;
  segmentOffsets: number[]; // file offset of each segment's data
  symtabIndex: number; // -1 when absent
  strtabIndex: number;
  shstrtabIndex: number;
  symtabOffset: number; // file offset of symbol 0
  strtabOffset: number;
  strtabSize: number;
  /** Offset within .strtab of each symbol's name, in `symbols` order. */
  nameOffsets: number[];
}

export interface BuiltElf {
  bytes: Uint8Array;
  layout: ElfLayout;
}

const align = (n: number, a: number): number => Math.ceil(n / a) * a;

export function buildElf(spec: ElfSpec): BuiltElf {
  const enc = new TextEncoder();
  const phnum = spec.segments.length;
  const phoff = 64;
  let cursor = phoff + phnum * PHDR_SIZE;

  const segmentOffsets: number[] = [];
  for (const seg of spec.segments) {
    cursor = align(cursor, 16);
    segmentOffsets.push(cursor);
    cursor += seg.data?.length ?? 0;
  }

  // Sections: null, one per segment with file bytes, [.symtab, .strtab], .shstrtab.
  interface Sec { name: string; type: number; offset: number; size: number; addr: bigint; link: number; info: number; entsize: number; align: number; flags: bigint; }
  const sections: Sec[] = [{ name: '', type: 0, offset: 0, size: 0, addr: 0n, link: 0, info: 0, entsize: 0, align: 0, flags: 0n }];
  const segmentSection: number[] = [];
  spec.segments.forEach((seg, i) => {
    const size = seg.data?.length ?? 0;
    if (size === 0) {
      segmentSection.push(-1);
      return;
    }
    segmentSection.push(sections.length);
    sections.push({ name: `.seg${i}`, type: SHT_PROGBITS, offset: segmentOffsets[i]!, size, addr: seg.vaddr, link: 0, info: 0, entsize: 0, align: 16, flags: 2n });
  });

  let strtab = new Uint8Array(0);
  let symtab = new Uint8Array(0);
  const nameOffsets: number[] = [];
  let symtabIndex = -1;
  let strtabIndex = -1;
  let strtabOffset = 0;
  let symtabOffset = 0;
  if (spec.symbols !== undefined) {
    const names = spec.symbols.map((sym) => enc.encode(sym.name));
    strtab = new Uint8Array(1 + names.reduce((n, name) => n + name.length + 1, 0));
    let at = 1;
    for (const name of names) {
      nameOffsets.push(at);
      strtab.set(name, at);
      at += name.length + 1;
    }
    symtab = new Uint8Array((spec.symbols.length + 1) * SYM_SIZE);
    const dv = new DataView(symtab.buffer);
    spec.symbols.forEach((sym, k) => {
      const at = (k + 1) * SYM_SIZE;
      let shndx = sym.shndx;
      if (shndx === undefined) {
        const seg = spec.segments.findIndex((s) => sym.value >= s.vaddr && sym.value < s.vaddr + (s.memSize ?? BigInt(s.data?.length ?? 0)));
        shndx = seg >= 0 && segmentSection[seg]! > 0 ? segmentSection[seg]! : SHN_ABS;
      }
      dv.setUint32(at + SYM.name, sym.name === '' ? 0 : nameOffsets[k]!, true);
      dv.setUint8(at + SYM.info, ((sym.bind ?? STB_GLOBAL) << 4) | (sym.type ?? STT_NOTYPE));
      dv.setUint16(at + SYM.shndx, shndx, true);
      dv.setBigUint64(at + SYM.value, sym.value, true);
    });
    strtabOffset = cursor;
    cursor += strtab.length;
    cursor = align(cursor, 8);
    symtabOffset = cursor;
    cursor += symtab.length;
    symtabIndex = sections.length;
    strtabIndex = sections.length + 1;
    const firstGlobal = spec.symbols.findIndex((s) => (s.bind ?? STB_GLOBAL) !== STB_LOCAL);
    sections.push({ name: '.symtab', type: SHT_SYMTAB, offset: symtabOffset, size: symtab.length, addr: 0n, link: strtabIndex, info: firstGlobal < 0 ? spec.symbols.length + 1 : firstGlobal + 1, entsize: SYM_SIZE, align: 8, flags: 0n });
    sections.push({ name: '.strtab', type: SHT_STRTAB, offset: strtabOffset, size: strtab.length, addr: 0n, link: 0, info: 0, entsize: 0, align: 1, flags: 0n });
  }

  const withHeaders = spec.sectionHeaders !== false;
  const shstrtabIndex = sections.length;
  sections.push({ name: '.shstrtab', type: SHT_STRTAB, offset: 0, size: 0, addr: 0n, link: 0, info: 0, entsize: 0, align: 1, flags: 0n });
  const shstrParts: number[] = [0];
  const shNameOffsets = sections.map((s) => {
    if (s.name === '') return 0;
    const off = shstrParts.length;
    shstrParts.push(...enc.encode(s.name), 0);
    return off;
  });
  const shstrtab = Uint8Array.from(shstrParts);
  const shstrtabOffset = cursor;
  sections[shstrtabIndex]!.offset = shstrtabOffset;
  sections[shstrtabIndex]!.size = shstrtab.length;
  cursor += withHeaders ? shstrtab.length : 0;
  cursor = align(cursor, 8);
  const shoff = withHeaders ? cursor : 0;
  const shnum = withHeaders ? sections.length : 0;
  cursor += shnum * SHDR_SIZE;

  const bytes = new Uint8Array(cursor);
  const dv = new DataView(bytes.buffer);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
  dv.setUint16(EH.type, ET_EXEC, true);
  dv.setUint16(EH.machine, EM_RISCV, true);
  dv.setUint32(EH.version, 1, true);
  dv.setBigUint64(EH.entry, spec.entry ?? spec.segments[0]?.vaddr ?? 0n, true);
  dv.setBigUint64(EH.phoff, BigInt(phoff), true);
  dv.setBigUint64(EH.shoff, BigInt(shoff), true);
  dv.setUint32(EH.flags, 0x5, true); // RVC, double-float ABI: what gcc writes for rv64gc
  dv.setUint16(EH.ehsize, 64, true);
  dv.setUint16(EH.phentsize, PHDR_SIZE, true);
  dv.setUint16(EH.phnum, phnum, true);
  dv.setUint16(EH.shentsize, withHeaders ? SHDR_SIZE : 0, true);
  dv.setUint16(EH.shnum, shnum, true);
  dv.setUint16(EH.shstrndx, withHeaders ? shstrtabIndex : 0, true);

  spec.segments.forEach((seg, i) => {
    const at = phoff + i * PHDR_SIZE;
    const filesz = seg.data?.length ?? 0;
    dv.setUint32(at + PH.type, seg.type ?? PT_LOAD, true);
    dv.setUint32(at + PH.flags, seg.flags ?? 5, true);
    dv.setBigUint64(at + PH.offset, BigInt(segmentOffsets[i]!), true);
    dv.setBigUint64(at + PH.vaddr, seg.vaddr, true);
    dv.setBigUint64(at + PH.paddr, seg.paddr ?? seg.vaddr, true);
    dv.setBigUint64(at + PH.filesz, BigInt(filesz), true);
    dv.setBigUint64(at + PH.memsz, seg.memSize ?? BigInt(filesz), true);
    dv.setBigUint64(at + PH.align, 16n, true);
    if (seg.data !== undefined) bytes.set(seg.data, segmentOffsets[i]!);
  });
  bytes.set(strtab, strtabOffset);
  bytes.set(symtab, symtabOffset);
  if (withHeaders) {
    bytes.set(shstrtab, shstrtabOffset);
    sections.forEach((s, i) => {
      const at = shoff + i * SHDR_SIZE;
      dv.setUint32(at + SH.name, shNameOffsets[i]!, true);
      dv.setUint32(at + SH.type, s.type, true);
      dv.setBigUint64(at + SH.flags, s.flags, true);
      dv.setBigUint64(at + SH.addr, s.addr, true);
      dv.setBigUint64(at + SH.offset, BigInt(s.offset), true);
      dv.setBigUint64(at + SH.size, BigInt(s.size), true);
      dv.setUint32(at + SH.link, s.link, true);
      dv.setUint32(at + SH.info, s.info, true);
      dv.setBigUint64(at + SH.addralign, BigInt(s.align), true);
      dv.setBigUint64(at + SH.entsize, BigInt(s.entsize), true);
    });
  }

  return {
    bytes,
    layout: {
      phoff, phnum, shoff, shnum, segmentOffsets, symtabIndex, strtabIndex, shstrtabIndex,
      symtabOffset, strtabOffset, strtabSize: strtab.length, nameOffsets,
    },
  };
}

/** Little-endian field writers for corrupting a built image in place. */
export function setU8(bytes: Uint8Array, at: number, v: number): void {
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setUint8(at, v);
}
export function setU16(bytes: Uint8Array, at: number, v: number): void {
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setUint16(at, v, true);
}
export function setU32(bytes: Uint8Array, at: number, v: number): void {
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setUint32(at, v, true);
}
export function setU64(bytes: Uint8Array, at: number, v: bigint): void {
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setBigUint64(at, BigInt.asUintN(64, v), true);
}
