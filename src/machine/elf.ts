/**
 * ELF64 parser for guest images, written from the System V gABI and the RISC-V psABI.
 *
 * What it accepts: ELFCLASS64, little-endian, EM_RISCV (243), ET_EXEC, version 1. What it
 * gives back: the entry point, the PT_LOAD segments (each with its physical and virtual
 * address, its file bytes and its memory size) and the defined symbols of `.symtab`.
 *
 * Decisions (see also the notes on each check below):
 * - ET_DYN and ET_REL are rejected. rvwasm is a bare-metal machine: it copies each segment
 *   to the physical address it was linked for and never relocates. Firmware shipped as an
 *   ELF is ET_EXEC (Debian's OpenSBI fw_jump.elf / fw_dynamic.elf are), so nothing real is
 *   lost; a PIE is almost always linked at 0, where the board has no RAM.
 * - A PT_INTERP segment (a dynamically linked program) is rejected for the same reason.
 * - Only PT_LOAD segments with p_memsz > 0 are returned; other segment types are ignored.
 *   Segments must not overlap in physical memory; virtual overlap is not checked, because
 *   nothing is loaded by virtual address.
 * - `entry` is e_entry unchanged (a virtual address). For the usual bare-metal image
 *   vaddr == paddr; a loader that loads by paddr an image whose vaddr differs (a Linux
 *   vmlinux) must translate the entry through the segment that contains it.
 * - Segment `data` is a view into the input (subarray), not a copy: the parser's work stays
 *   linear in the file size even when segments share file bytes, and the loader copies
 *   the bytes into guest memory anyway. Do not mutate the input while an image is in use.
 * - Symbols: defined (st_shndx != SHN_UNDEF, != SHN_COMMON), named, not STT_SECTION or
 *   STT_FILE, and not RISC-V mapping symbols ($x..., $d). When one name occurs twice (two
 *   file-local statics), a global wins over a weak, a weak over a local, otherwise the
 *   first one wins.
 * - Only the tables that are read (program headers, section headers, the section name
 *   string table, `.symtab` and its string table) are checked against the file size; other
 *   sections (debug info, attributes) are not looked at.
 * - Extended numbering (PN_XNUM, e_shnum = 0, SHN_XINDEX) is followed through section 0.
 *
 * Every failure is a GuestImageError with a one-line message; every read is preceded by a
 * bounds check done in bigint arithmetic, so no input (truncated, corrupt, hostile) can make
 * the parser throw anything else or loop for longer than the file is long.
 */
import { guestImageError } from './image-error.js';

export interface ElfSegment {
  /** Physical load address (p_paddr): where rvwasm puts the segment. */
  paddr: bigint;
  /** Virtual address (p_vaddr). */
  vaddr: bigint;
  /** The file bytes, length p_filesz (a view into the parsed buffer); bytes from there up to memSize are zero. */
  data: Uint8Array;
  /** p_memsz, > 0 and >= data.length. */
  memSize: bigint;
  /** PF_X = 1, PF_W = 2, PF_R = 4 (other bits of p_flags are dropped). */
  flags: number;
}

export interface ElfImage {
  /** e_entry. */
  entry: bigint;
  /** The PT_LOAD segments with a non-zero memory size, in program header order. */
  segments: ElfSegment[];
  /** From .symtab: name -> st_value, defined symbols only. Empty when there is no .symtab. */
  symbols: Map<string, bigint>;
}

export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;
export const EM_RISCV = 243;

const EHDR_SIZE = 64;
const PHDR_SIZE = 56;
const SHDR_SIZE = 64;
const SYM_SIZE = 24;

const ET_NONE = 0;
const ET_REL = 1;
const ET_EXEC = 2;
const ET_DYN = 3;
const ET_CORE = 4;

const PT_LOAD = 1;
const PT_INTERP = 3;
const PN_XNUM = 0xffff;

const SHT_SYMTAB = 2;
const SHT_STRTAB = 3;
const SHN_UNDEF = 0;
const SHN_COMMON = 0xfff2;
const SHN_XINDEX = 0xffff;

const STB_LOCAL = 0;
const STB_WEAK = 2;
const STT_SECTION = 3;
const STT_FILE = 4;

const ADDRESS_LIMIT = 1n << 64n;

/** Names for the machines people are most likely to hand us by mistake. */
const MACHINE_NAMES: Readonly<Record<number, string>> = {
  2: 'SPARC',
  3: 'x86 (i386)',
  8: 'MIPS',
  20: 'PowerPC',
  21: 'PowerPC64',
  22: 'S/390',
  40: 'ARM',
  43: 'SPARC V9',
  50: 'IA-64',
  62: 'x86-64',
  183: 'AArch64',
  243: 'RISC-V',
  247: 'BPF',
  258: 'LoongArch',
};

/** True when `bytes` starts with the ELF signature \x7fELF. */
export function isElf(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
}

/** Parses an RV64 ELF executable; throws GuestImageError (and nothing else) when it is not one. */
export function parseElf(bytes: Uint8Array, fileName?: string): ElfImage {
  return new ElfParser(bytes, fileName).parse();
}

interface SectionHeader {
  type: number;
  offset: bigint;
  size: bigint;
  link: number;
  info: number;
  entsize: bigint;
}

interface Loadable {
  index: number;
  segment: ElfSegment;
}

const hex = (v: bigint | number): string => `0x${v.toString(16)}`;

class ElfParser {
  private readonly view: DataView;
  private readonly size: number;
  private readonly bigSize: bigint;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly fileName: string | undefined,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.size = bytes.byteLength;
    this.bigSize = BigInt(bytes.byteLength);
  }

  private fail(problem: string): never {
    throw guestImageError(this.fileName, problem);
  }

  // Raw little-endian reads. Callers have checked the range already.
  private u8(off: number): number {
    return this.view.getUint8(off);
  }
  private u16(off: number): number {
    return this.view.getUint16(off, true);
  }
  private u32(off: number): number {
    return this.view.getUint32(off, true);
  }
  private u64(off: number): bigint {
    return this.view.getBigUint64(off, true);
  }

  parse(): ElfImage {
    this.checkIdent();

    const entry = this.u64(24);
    const phoff = this.u64(32);
    const shoff = this.u64(40);
    const ehsize = this.u16(52);
    const phentsize = this.u16(54);
    const ePhnum = this.u16(56);
    const shentsize = this.u16(58);
    const eShnum = this.u16(60);
    const eShstrndx = this.u16(62);

    if (ehsize !== EHDR_SIZE) this.fail(`bad ELF header size ${ehsize} (e_ehsize; ELF64 uses ${EHDR_SIZE})`);

    // Section header table. Read section 0 first: with extended numbering it holds the
    // real section count (sh_size), program header count (sh_info) and e_shstrndx (sh_link).
    let shnum = 0n;
    let section0: SectionHeader | undefined;
    if (shoff !== 0n) {
      if (shentsize !== SHDR_SIZE) {
        this.fail(`bad section header size ${shentsize} (e_shentsize; ELF64 uses ${SHDR_SIZE})`);
      }
      this.checkTable('section header', shoff, 1n, SHDR_SIZE);
      section0 = this.readSection(shoff, 0n);
      shnum = eShnum !== 0 ? BigInt(eShnum) : section0.size;
      this.checkTable('section header', shoff, shnum, SHDR_SIZE);
    }

    // Program header table.
    let phnum = ePhnum;
    if (ePhnum === PN_XNUM) {
      if (section0 === undefined) {
        this.fail('the program header count is kept in section header 0 (e_phnum = PN_XNUM), but the file has no section headers');
      }
      phnum = section0.info;
    }
    if (phnum === 0 || phoff === 0n) this.fail('no program headers, so nothing to load');
    if (phentsize !== PHDR_SIZE) {
      this.fail(`bad program header size ${phentsize} (e_phentsize; ELF64 uses ${PHDR_SIZE})`);
    }
    this.checkTable('program header', phoff, BigInt(phnum), PHDR_SIZE);

    const segments = this.readSegments(Number(phoff), phnum);
    const symbols = shnum > 0n ? this.readSymbols(shoff, Number(shnum), eShstrndx, section0) : new Map<string, bigint>();
    return { entry, segments, symbols };
  }

  /** e_ident, e_type, e_machine, e_version; leaves the whole 64-byte header in range. */
  private checkIdent(): void {
    const n = this.size;
    const b = this.bytes;
    if (n === 0) this.fail('empty file');
    const magic = [0x7f, 0x45, 0x4c, 0x46];
    for (let i = 0; i < Math.min(4, n); i++) {
      if (b[i] !== magic[i]) this.fail('not an ELF file (it does not start with the ELF signature 7f 45 4c 46)');
    }
    if (n > 4) {
      const cls = b[4]!;
      if (cls === 1) this.fail('32-bit ELF; rvwasm runs RV64 guests');
      if (cls !== 2) this.fail(`bad ELF class ${cls} (expected 2, 64-bit)`);
    }
    if (n > 5) {
      const data = b[5]!;
      if (data === 2) this.fail('big-endian ELF; rvwasm runs little-endian RV64 guests');
      if (data !== 1) this.fail(`bad ELF data encoding ${data} (expected 1, little-endian)`);
    }
    if (n > 6 && b[6] !== 1) this.fail(`unsupported ELF identification version ${b[6]!} (expected 1)`);
    if (n < EHDR_SIZE) {
      this.fail(`truncated: the ELF header needs ${EHDR_SIZE} bytes but the file has ${n} byte${n === 1 ? '' : 's'}`);
    }

    const machine = this.u16(18);
    if (machine !== EM_RISCV) {
      const name = MACHINE_NAMES[machine];
      this.fail(`not a RISC-V ELF (machine ${machine}${name === undefined ? '' : `, ${name}`})`);
    }
    const type = this.u16(16);
    if (type !== ET_EXEC) {
      switch (type) {
        case ET_REL:
          this.fail('relocatable object file (ET_REL), not an executable: link it first');
        case ET_DYN:
          this.fail(
            'position-independent executable or shared object (ET_DYN); rvwasm loads executables at the ' +
              'physical addresses they were linked for and does not relocate them: link with -static -no-pie',
          );
        case ET_CORE:
          this.fail('core dump (ET_CORE), not an executable');
        case ET_NONE:
          this.fail('ELF file type is ET_NONE (0); expected an executable (ET_EXEC)');
        default:
          this.fail(`unknown ELF file type ${type}; expected an executable (ET_EXEC)`);
      }
    }
    const version = this.u32(20);
    if (version !== 1) this.fail(`unsupported ELF version ${version} (e_version; expected 1)`);
  }

  /** Checks that `count` entries of `entsize` bytes at `offset` lie inside the file. */
  private checkTable(what: string, offset: bigint, count: bigint, entsize: number): void {
    const size = BigInt(entsize);
    if (offset + count * size <= this.bigSize) return;
    if (offset >= this.bigSize) {
      this.fail(
        `${what} table at byte ${offset} starts past the end of the file (${this.size} bytes); the file is truncated or corrupt`,
      );
    }
    const first = (this.bigSize - offset) / size; // the first entry that does not fit
    this.fail(`truncated: ${what} ${first} ends at byte ${offset + (first + 1n) * size} but the file has ${this.size} bytes`);
  }

  /** Checks that `size` bytes at `offset`, described by `what`, lie inside the file. */
  private checkRange(what: string, offset: bigint, size: bigint): void {
    if (size === 0n || offset + size <= this.bigSize) return;
    if (offset >= this.bigSize) {
      this.fail(`${what} at byte ${offset} lies past the end of the file (${this.size} bytes); the file is truncated or corrupt`);
    }
    this.fail(`truncated: ${what} ends at byte ${offset + size} but the file has ${this.size} bytes`);
  }

  private readSegments(phoff: number, phnum: number): ElfSegment[] {
    const loadables: Loadable[] = [];
    for (let i = 0; i < phnum; i++) {
      const at = phoff + i * PHDR_SIZE;
      const type = this.u32(at);
      if (type === PT_INTERP) {
        this.fail(
          `segment ${i} names a program interpreter (PT_INTERP): this is a dynamically linked program, ` +
            'but rvwasm runs bare-metal, statically linked images',
        );
      }
      if (type !== PT_LOAD) continue;
      const flags = this.u32(at + 4);
      const offset = this.u64(at + 8);
      const vaddr = this.u64(at + 16);
      const paddr = this.u64(at + 24);
      const filesz = this.u64(at + 32);
      const memsz = this.u64(at + 40);
      if (filesz > memsz) {
        this.fail(`segment ${i} has more file bytes than memory bytes (p_filesz ${filesz} > p_memsz ${memsz})`);
      }
      if (memsz === 0n) continue;
      this.checkRange(`segment ${i} data`, offset, filesz);
      if (paddr + memsz > ADDRESS_LIMIT) {
        this.fail(`segment ${i} runs past the end of the 64-bit address space (physical address ${hex(paddr)}, size ${hex(memsz)})`);
      }
      if (vaddr + memsz > ADDRESS_LIMIT) {
        this.fail(`segment ${i} runs past the end of the 64-bit address space (virtual address ${hex(vaddr)}, size ${hex(memsz)})`);
      }
      const start = Number(offset);
      const data = filesz === 0n ? this.bytes.subarray(0, 0) : this.bytes.subarray(start, start + Number(filesz));
      loadables.push({ index: i, segment: { paddr, vaddr, data, memSize: memsz, flags: flags & (PF_X | PF_W | PF_R) } });
    }
    if (loadables.length === 0) this.fail('no loadable segment (no PT_LOAD program header with a non-zero memory size)');

    const byAddress = [...loadables].sort((a, b) =>
      a.segment.paddr < b.segment.paddr ? -1 : a.segment.paddr > b.segment.paddr ? 1 : a.index - b.index,
    );
    for (let k = 1; k < byAddress.length; k++) {
      const a = byAddress[k - 1]!;
      const b = byAddress[k]!;
      if (b.segment.paddr < a.segment.paddr + a.segment.memSize) {
        const [lo, hi] = a.index < b.index ? [a, b] : [b, a];
        const range = (l: Loadable): string => `${hex(l.segment.paddr)}-${hex(l.segment.paddr + l.segment.memSize - 1n)}`;
        this.fail(`segments ${lo.index} and ${hi.index} overlap in physical memory (${range(lo)} and ${range(hi)})`);
      }
    }
    return loadables.map((l) => l.segment);
  }

  private readSection(shoff: bigint, index: bigint): SectionHeader {
    const at = Number(shoff + index * BigInt(SHDR_SIZE));
    return {
      type: this.u32(at + 4),
      offset: this.u64(at + 24),
      size: this.u64(at + 32),
      link: this.u32(at + 40),
      info: this.u32(at + 44),
      entsize: this.u64(at + 56),
    };
  }

  /** The section at `index` (already known to be < shnum), checked to be a string table inside the file. */
  private stringTable(shoff: bigint, index: number, role: string): SectionHeader {
    const sh = this.readSection(shoff, BigInt(index));
    if (sh.type !== SHT_STRTAB) {
      this.fail(`the ${role} (section ${index}) is not a string table (section type ${sh.type})`);
    }
    this.checkRange(`the ${role} (section ${index})`, sh.offset, sh.size);
    return sh;
  }

  /** Checks e_shstrndx, then reads the defined symbols of the first SHT_SYMTAB section, if any. */
  private readSymbols(shoff: bigint, shnum: number, eShstrndx: number, section0: SectionHeader | undefined): Map<string, bigint> {
    // The section name string table: not needed for anything, but an index that points
    // nowhere means the headers are corrupt.
    const shstrndx = eShstrndx === SHN_XINDEX && section0 !== undefined ? section0.link : eShstrndx;
    if (shstrndx !== SHN_UNDEF) {
      if (shstrndx >= shnum) {
        this.fail(`section name string table index ${shstrndx} is out of range (the file has ${shnum} sections)`);
      }
      this.stringTable(shoff, shstrndx, 'section name string table');
    }

    const symbols = new Map<string, bigint>();
    let symtabIndex = -1;
    for (let i = 1; i < shnum; i++) {
      if (this.u32(Number(shoff) + i * SHDR_SIZE + 4) === SHT_SYMTAB) {
        symtabIndex = i;
        break;
      }
    }
    if (symtabIndex < 0) return symbols;

    const symtab = this.readSection(shoff, BigInt(symtabIndex));
    const where = `symbol table (section ${symtabIndex})`;
    if (symtab.entsize !== BigInt(SYM_SIZE)) {
      this.fail(`bad ${where} entry size ${symtab.entsize} (sh_entsize; ELF64 uses ${SYM_SIZE})`);
    }
    if (symtab.size % BigInt(SYM_SIZE) !== 0n) {
      this.fail(`${where} size ${symtab.size} is not a multiple of the ${SYM_SIZE}-byte entry size`);
    }
    this.checkRange(where, symtab.offset, symtab.size);
    if (symtab.link >= shnum) {
      this.fail(`${where} names string table section ${symtab.link}, which is out of range (the file has ${shnum} sections)`);
    }
    const strtab = this.stringTable(shoff, symtab.link, 'string table of the symbol table');

    const strStart = Number(strtab.offset);
    const strSize = Number(strtab.size);
    const strings = this.bytes.subarray(strStart, strStart + strSize);
    // Where each name ends, found by binary search over the NUL positions: scanning from
    // every name's start would be quadratic for a table whose names all point into one
    // long string.
    const nuls: number[] = [];
    for (let p = strings.indexOf(0); p >= 0; p = strings.indexOf(0, p + 1)) nuls.push(p);
    const nameEnd = (from: number): number => {
      let lo = 0;
      let hi = nuls.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (nuls[mid]! < from) lo = mid + 1;
        else hi = mid;
      }
      return lo < nuls.length ? nuls[lo]! : -1;
    };
    // Names may share bytes (ld stores "foo" as the tail of "_foo"), but in a real file
    // the names decoded add up to about the table's size. This cap keeps the work and the
    // resulting map linear in the file size whatever the symbols point at.
    const nameBudget = 4 * strSize + 0x10000;
    let decodedBytes = 0;

    const decoder = new TextDecoder('utf-8');
    const rank = new Map<string, number>();
    const count = Number(symtab.size / BigInt(SYM_SIZE));
    const base = Number(symtab.offset);
    for (let s = 1; s < count; s++) {
      const at = base + s * SYM_SIZE;
      const nameOffset = this.u32(at);
      const info = this.u8(at + 4);
      const shndx = this.u16(at + 6);
      if (nameOffset === 0) continue; // no name
      if (nameOffset >= strSize) {
        this.fail(`symbol ${s}: its name starts at byte ${nameOffset} of a ${strSize}-byte string table`);
      }
      const end = nameEnd(nameOffset);
      if (end < 0) this.fail(`symbol ${s}: its name is not NUL-terminated within the string table`);

      const bind = info >> 4;
      const type = info & 0xf;
      if (end === nameOffset || shndx === SHN_UNDEF || shndx === SHN_COMMON) continue;
      if (type === STT_SECTION || type === STT_FILE) continue;
      decodedBytes += end - nameOffset;
      if (decodedBytes > nameBudget) {
        this.fail(
          `symbol ${s}: the symbol names overlap far more than a linker would make them ` +
            `(over ${nameBudget} bytes of names from a ${strSize}-byte string table); the symbol table is corrupt`,
        );
      }
      const name = decoder.decode(strings.subarray(nameOffset, end));
      if (bind === STB_LOCAL && (name.startsWith('$x') || name === '$d' || name.startsWith('$d.'))) continue;

      const r = bind === STB_LOCAL ? 0 : bind === STB_WEAK ? 1 : 2;
      const previous = rank.get(name);
      if (previous !== undefined && previous >= r) continue;
      rank.set(name, r);
      symbols.set(name, this.u64(at + 8));
    }
    return symbols;
  }
}
