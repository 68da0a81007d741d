// Random RV64IMAC + Zicsr + Zifencei (+ Zabha, Zacas) programs for differential testing of
// the execution engines. Everything is encoded here from the instruction formats of the
// unprivileged spec (20191213, chapters 2, 7, 8, 16 and 24) and the privileged spec
// (20211203); the only thing taken from src/ is `decode`, to double-check the encoders.
//
// A program is a self-contained raw image loaded at DRAM_BASE:
//
//   BASE      prologue: mtvec := VEC (direct or vectored), x1..x31 := SEEDS table, jump to BODY
//   VEC       16 x `j handler` (so both mtvec modes work), then the trap handler
//   BODY      the generated items, then an epilogue that stores 0x5555 to the finisher; the
//             items start at a seed-dependent offset so that the page boundary at
//             BODY + 0x1000 falls inside the code (instructions straddle it)
//   DATA      8 KiB of random data (two pages; x9 points at the page boundary between them)
//   LOG       the handler's trap log: a counter, then 128 entries of mcause/mepc/mtval/mstatus
//   SEEDS     initial values of x1..x31 (edge values, random values, region pointers)
//
// Termination: control flow is forward only, except loops (bounded by s11, which nothing
// else writes), subroutine returns and the handler's mret (which always skips the
// faulting instruction, or resumes an interrupted one after disabling interrupts).
//
// Register conventions of the generated code:
//   x2 (sp)  = DATA + 0xf00, for c.lwsp/c.ldsp/c.swsp/c.sdsp; never written except by
//              balanced c.addi16sp pairs
//   x9 (s1)  = DATA + 0x1000 (a page boundary), the base of every data access
//   x27 (s11) loop counter; only loop nodes write it
//   x30, x31 (t5, t6) are the handler's scratch registers: body code may write them, but
//              never keeps a value in them across an instruction that could be interrupted
//
// Programs are trees of Nodes (see below) so that a failing program can be minimized by
// dropping nodes; generation draws from the PRNG in item order, so a program with fewer
// top-level items is a prefix of the same seed's longer program.
import fc from 'fast-check';
import { decode } from '../../src/isa/decode.js';
import { Op } from '../../src/isa/opcodes.js';

// ---------------------------------------------------------------------------------------
// Memory layout

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

// Registers
const SP = 2, DPTR = 9, LOOP = 27, T5 = 30, T6 = 31;
const RESERVED = new Set([0, SP, DPTR, LOOP]);
const ALL_WRITABLE: readonly number[] = range(1, 31).filter((r) => !RESERVED.has(r));
/** x8..x15 without x9: the compressed 3-bit register fields that body code may write. */
const C_WRITABLE: readonly number[] = [8, 10, 11, 12, 13, 14, 15];

// CSR numbers (privileged spec, table 2.2-2.5)
const CSR = {
  sstatus: 0x100, sie: 0x104, stvec: 0x105, scounteren: 0x106, senvcfg: 0x10a, sscratch: 0x140,
  sepc: 0x141, scause: 0x142, stval: 0x143, sip: 0x144, satp: 0x180,
  mstatus: 0x300, misa: 0x301, medeleg: 0x302, mideleg: 0x303, mie: 0x304, mtvec: 0x305,
  mcounteren: 0x306, menvcfg: 0x30a, mcountinhibit: 0x320, mhpmevent3: 0x323,
  mscratch: 0x340, mepc: 0x341, mcause: 0x342, mtval: 0x343, mip: 0x344,
  pmpcfg0: 0x3a0, pmpcfg2: 0x3a2, pmpaddr0: 0x3b0, pmpaddr1: 0x3b1,
  tselect: 0x7a0, tdata1: 0x7a1, tinfo: 0x7a4,
  mcycle: 0xb00, minstret: 0xb02, mhpmcounter3: 0xb03,
  cycle: 0xc00, time: 0xc01, instret: 0xc02, hpmcounter3: 0xc03,
  mvendorid: 0xf11, marchid: 0xf12, mimpid: 0xf13, mhartid: 0xf14, mconfigptr: 0xf15,
} as const;

// ---------------------------------------------------------------------------------------
// PRNG: xoshiro128** seeded through splitmix32. Deterministic across platforms.

export class Rng {
  private s = new Uint32Array(4);
  constructor(seed: number) {
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1;
  }
  u32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
    s[2] ^= t; s[3] = rotl(s[3], 11);
    return result;
  }
  /** 0 <= result < n (n <= 2^32). */
  int(n: number): number { return Math.floor((this.u32() / 4294967296) * n); }
  /** lo <= result <= hi. */
  range(lo: number, hi: number): number { return lo + this.int(hi - lo + 1); }
  bool(p = 0.5): boolean { return this.u32() / 4294967296 < p; }
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]; }
  u64(): bigint { return (BigInt(this.u32()) << 32n) | BigInt(this.u32()); }
  weighted<T>(table: readonly (readonly [number, T])[]): T {
    let total = 0;
    for (const [w] of table) total += w;
    let r = (this.u32() / 4294967296) * total;
    for (const [w, v] of table) { if (r < w) return v; r -= w; }
    return table[table.length - 1][1];
  }
}

function rotl(x: number, k: number): number { return ((x << k) | (x >>> (32 - k))) >>> 0; }
function range(lo: number, hi: number): number[] { const r: number[] = []; for (let i = lo; i <= hi; i++) r.push(i); return r; }
function sext12(n: number): number { return (n << 20) >> 20; }

// ---------------------------------------------------------------------------------------
// Encoders. Each returns the instruction as an unsigned number (16 bits for RVC).

const r5 = (x: number) => x & 31;
export const enc = {
  r: (opc: number, f3: number, f7: number, rd: number, rs1: number, rs2: number) =>
    ((f7 << 25) | (r5(rs2) << 20) | (r5(rs1) << 15) | (f3 << 12) | (r5(rd) << 7) | opc) >>> 0,
  i: (opc: number, f3: number, rd: number, rs1: number, imm: number) =>
    (((imm & 0xfff) << 20) | (r5(rs1) << 15) | (f3 << 12) | (r5(rd) << 7) | opc) >>> 0,
  s: (opc: number, f3: number, rs1: number, rs2: number, imm: number) =>
    ((((imm >> 5) & 0x7f) << 25) | (r5(rs2) << 20) | (r5(rs1) << 15) | (f3 << 12) | ((imm & 31) << 7) | opc) >>> 0,
  b: (f3: number, rs1: number, rs2: number, off: number) =>
    ((((off >> 12) & 1) << 31) | (((off >> 5) & 0x3f) << 25) | (r5(rs2) << 20) | (r5(rs1) << 15) | (f3 << 12)
      | (((off >> 1) & 0xf) << 8) | (((off >> 11) & 1) << 7) | 0x63) >>> 0,
  u: (opc: number, rd: number, imm20: number) => (((imm20 & 0xfffff) << 12) | (r5(rd) << 7) | opc) >>> 0,
  j: (rd: number, off: number) =>
    ((((off >> 20) & 1) << 31) | (((off >> 1) & 0x3ff) << 21) | (((off >> 11) & 1) << 20)
      | (((off >> 12) & 0xff) << 12) | (r5(rd) << 7) | 0x6f) >>> 0,
  csr: (f3: number, rd: number, rs1: number, csr: number) => enc.i(0x73, f3, rd, rs1, csr),
  amo: (f5: number, aq: number, rl: number, f3: number, rd: number, rs1: number, rs2: number) =>
    enc.r(0x2f, f3, (f5 << 2) | (aq << 1) | rl, rd, rs1, rs2),

  // RVC. rd'/rs1'/rs2' arguments are full register numbers in x8..x15.
  cr: (f4: number, rd: number, rs2: number, op: number) => (f4 << 12) | (r5(rd) << 7) | (r5(rs2) << 2) | op,
  ci: (f3: number, b12: number, rd: number, b6_2: number, op: number) =>
    (f3 << 13) | ((b12 & 1) << 12) | (r5(rd) << 7) | ((b6_2 & 31) << 2) | op,
  caddi4spn: (rd: number, imm: number) =>
    (((imm >> 4) & 3) << 11) | (((imm >> 6) & 0xf) << 7) | (((imm >> 2) & 1) << 6) | (((imm >> 3) & 1) << 5) | ((rd - 8) << 2),
  /** c.lw/c.sw (f3 2/6): uimm[5:3] at 12:10, uimm[2] at 6, uimm[6] at 5. */
  clsw: (f3: number, rs1: number, r: number, imm: number) =>
    (f3 << 13) | (((imm >> 3) & 7) << 10) | ((rs1 - 8) << 7) | (((imm >> 2) & 1) << 6) | (((imm >> 6) & 1) << 5) | ((r - 8) << 2),
  /** c.ld/c.sd (f3 3/7): uimm[5:3] at 12:10, uimm[7:6] at 6:5. */
  clsd: (f3: number, rs1: number, r: number, imm: number) =>
    (f3 << 13) | (((imm >> 3) & 7) << 10) | ((rs1 - 8) << 7) | (((imm >> 6) & 3) << 5) | ((r - 8) << 2),
  caddi16sp: (imm: number) =>
    (3 << 13) | (((imm >> 9) & 1) << 12) | (2 << 7) | (((imm >> 4) & 1) << 6) | (((imm >> 6) & 1) << 5)
      | (((imm >> 7) & 3) << 3) | (((imm >> 5) & 1) << 2) | 1,
  /** c.srli (f2 0), c.srai (1), c.andi (2): 100 b12 f2 rd' b6:2 01. */
  cshift: (f2: number, rd: number, imm6: number) =>
    (4 << 13) | (((imm6 >> 5) & 1) << 12) | (f2 << 10) | ((rd - 8) << 7) | ((imm6 & 31) << 2) | 1,
  /** c.sub/xor/or/and (w 0, f2 0-3), c.subw/addw (w 1, f2 0-1). */
  ca: (w: number, f2: number, rd: number, rs2: number) =>
    (4 << 13) | (w << 12) | (3 << 10) | ((rd - 8) << 7) | (f2 << 5) | ((rs2 - 8) << 2) | 1,
  cj: (off: number) =>
    (5 << 13) | (((off >> 11) & 1) << 12) | (((off >> 4) & 1) << 11) | (((off >> 8) & 3) << 9) | (((off >> 10) & 1) << 8)
      | (((off >> 6) & 1) << 7) | (((off >> 7) & 1) << 6) | (((off >> 1) & 7) << 3) | (((off >> 5) & 1) << 2) | 1,
  /** c.beqz (f3 6), c.bnez (7). */
  cb: (f3: number, rs1: number, off: number) =>
    (f3 << 13) | (((off >> 8) & 1) << 12) | (((off >> 3) & 3) << 10) | ((rs1 - 8) << 7) | (((off >> 6) & 3) << 5)
      | (((off >> 1) & 3) << 3) | (((off >> 5) & 1) << 2) | 1,
  clwsp: (rd: number, imm: number) => enc.ci(2, imm >> 5, rd, (((imm >> 2) & 7) << 2) | ((imm >> 6) & 3), 2),
  cldsp: (rd: number, imm: number) => enc.ci(3, imm >> 5, rd, (((imm >> 3) & 3) << 3) | ((imm >> 6) & 7), 2),
  cswsp: (rs2: number, imm: number) => (6 << 13) | (((imm >> 2) & 0xf) << 9) | (((imm >> 6) & 3) << 7) | (r5(rs2) << 2) | 2,
  csdsp: (rs2: number, imm: number) => (7 << 13) | (((imm >> 3) & 7) << 10) | (((imm >> 6) & 7) << 7) | (r5(rs2) << 2) | 2,
};

const OPC = { LOAD: 0x03, MISC_MEM: 0x0f, OP_IMM: 0x13, AUIPC: 0x17, OP_IMM_32: 0x1b, STORE: 0x23, OP: 0x33, LUI: 0x37, OP_32: 0x3b, JALR: 0x67 } as const;
export const I = {
  addi: (rd: number, rs1: number, imm: number) => enc.i(OPC.OP_IMM, 0, rd, rs1, imm),
  addiw: (rd: number, rs1: number, imm: number) => enc.i(OPC.OP_IMM_32, 0, rd, rs1, imm),
  slli: (rd: number, rs1: number, sh: number) => enc.i(OPC.OP_IMM, 1, rd, rs1, sh & 63),
  srli: (rd: number, rs1: number, sh: number) => enc.i(OPC.OP_IMM, 5, rd, rs1, sh & 63),
  andi: (rd: number, rs1: number, imm: number) => enc.i(OPC.OP_IMM, 7, rd, rs1, imm),
  sltiu: (rd: number, rs1: number, imm: number) => enc.i(OPC.OP_IMM, 3, rd, rs1, imm),
  add: (rd: number, rs1: number, rs2: number) => enc.r(OPC.OP, 0, 0, rd, rs1, rs2),
  lui: (rd: number, imm20: number) => enc.u(OPC.LUI, rd, imm20),
  auipc: (rd: number, imm20: number) => enc.u(OPC.AUIPC, rd, imm20),
  jalr: (rd: number, rs1: number, imm: number) => enc.i(OPC.JALR, 0, rd, rs1, imm),
  load: (f3: number, rd: number, rs1: number, imm: number) => enc.i(OPC.LOAD, f3, rd, rs1, imm),
  store: (f3: number, rs2: number, rs1: number, imm: number) => enc.s(OPC.STORE, f3, rs1, rs2, imm),
  ld: (rd: number, rs1: number, imm: number) => enc.i(OPC.LOAD, 3, rd, rs1, imm),
  lhu: (rd: number, rs1: number, imm: number) => enc.i(OPC.LOAD, 5, rd, rs1, imm),
  sd: (rs2: number, rs1: number, imm: number) => enc.s(OPC.STORE, 3, rs1, rs2, imm),
  sw: (rs2: number, rs1: number, imm: number) => enc.s(OPC.STORE, 2, rs1, rs2, imm),
  sh: (rs2: number, rs1: number, imm: number) => enc.s(OPC.STORE, 1, rs1, rs2, imm),
  csrrw: (rd: number, csr: number, rs1: number) => enc.csr(1, rd, rs1, csr),
  csrrs: (rd: number, csr: number, rs1: number) => enc.csr(2, rd, rs1, csr),
  csrrc: (rd: number, csr: number, rs1: number) => enc.csr(3, rd, rs1, csr),
  csrrwi: (rd: number, csr: number, u: number) => enc.csr(5, rd, u, csr),
  csrrsi: (rd: number, csr: number, u: number) => enc.csr(6, rd, u, csr),
  csrrci: (rd: number, csr: number, u: number) => enc.csr(7, rd, u, csr),
  fenceI: () => 0x0000100f,
  ecall: () => 0x00000073,
  ebreak: () => 0x00100073,
  mret: () => 0x30200073,
  wfi: () => 0x10500073,
  cnop: () => 0x0001,
};

/** The 32-bit words that put the 64-bit value `v` into `rd` (lui/addiw/slli/addi). */
export function li(rd: number, v: bigint): number[] {
  const s = BigInt.asIntN(64, v);
  if (s >= -2048n && s < 2048n) return [I.addi(rd, 0, Number(s))];
  if (s >= -(1n << 31n) && s < 1n << 31n) {
    const n = Number(s);
    const lo = sext12(n & 0xfff);
    const words = [I.lui(rd, ((n - lo) / 4096) & 0xfffff)];
    if (lo !== 0) words.push(I.addiw(rd, rd, lo));
    return words;
  }
  const lo = BigInt.asIntN(12, s);
  let hi = (s - lo) >> 12n;
  let shamt = 12;
  while ((hi & 1n) === 0n) { hi >>= 1n; shamt++; }
  const words = [...li(rd, hi), I.slli(rd, rd, shamt)];
  if (lo !== 0n) words.push(I.addi(rd, rd, Number(lo)));
  return words;
}

// ---------------------------------------------------------------------------------------
// The assembler: straight emission with labels, iterated until label addresses are
// stable (branch relaxation: c.b* -> b* -> inverted b* over a jal).

export type Label = number;

export interface ListingEntry {
  addr: number;
  len: number;
  /** Bytes that are never executed as written (jumped-over junk, padding). */
  data: boolean;
  note?: string;
}

const MAX_BYTES = IMAGE_SIZE;

export class Asm {
  readonly bytes = new Uint8Array(MAX_BYTES);
  pc: number;
  readonly labels = new Map<Label, number>();
  readonly listing: ListingEntry[] = [];
  /** False when this pass used a label address it did not know yet, or relaxed a branch. */
  settled = true;
  private nextLabel = 0;
  private relaxSeq = 0;
  private note: string | undefined;
  /** The trap log's label (its second doubleword holds the resume address after a fetch fault). */
  logLabel: Label = -1;

  constructor(readonly prev: Map<Label, number>, readonly levels: Map<number, number>) {
    this.pc = BASE;
  }

  newLabel(): Label { return this.nextLabel++; }
  bind(l: Label): void { this.labels.set(l, this.pc); }
  /** Annotates the next emitted instruction in the listing. */
  annotate(note: string): void { this.note = this.note === undefined ? note : `${this.note}; ${note}`; }

  /** A label's address: this pass's if bound already, else the previous pass's guess. */
  addr(l: Label): number {
    const a = this.labels.get(l) ?? this.prev.get(l);
    if (a === undefined) { this.settled = false; return this.pc; }
    return a;
  }

  private put(len: number, value: number, data: boolean): void {
    const off = this.pc - BASE;
    if (off + len > MAX_BYTES) throw new Error('program image overflow');
    for (let i = 0; i < len; i++) this.bytes[off + i] = (value >>> (8 * i)) & 0xff;
    const entry: ListingEntry = { addr: this.pc, len, data };
    if (this.note !== undefined && !data) { entry.note = this.note; this.note = undefined; }
    this.listing.push(entry);
    this.pc += len;
  }

  i32(w: number): void { this.put(4, w >>> 0, false); }
  i16(h: number): void { this.put(2, h & 0xffff, false); }
  words(ws: readonly number[]): void { for (const w of ws) this.i32(w); }
  /** Never-executed bytes (even count). */
  junk(bytes: readonly number[]): void {
    for (let i = 0; i + 1 < bytes.length; i += 2) this.put(2, bytes[i] | (bytes[i + 1] << 8), true);
  }
  /** Moves to `addr` (forward), filling with zero bytes. */
  org(addr: number): void {
    if (addr < this.pc) throw new Error(`org 0x${addr.toString(16)} is behind pc 0x${this.pc.toString(16)}`);
    this.pc = addr;
  }
  /** Pads with c.nop to a multiple of 4, then `extra` more c.nop parcels. */
  alignNop(extra = 0): void {
    if (this.pc & 2) this.i16(I.cnop());
    for (let i = 0; i < extra; i++) this.i16(I.cnop());
  }

  /** auipc rd, %hi; then `second(lo)` (an addi/jalr/load with the low 12 bits). */
  pcrel(rd: number, target: Label, second: (lo: number) => number, extra = 0): void {
    const d = this.addr(target) - this.pc + extra;
    const lo = sext12(d & 0xfff);
    this.i32(I.auipc(rd, ((d - lo) / 4096) & 0xfffff));
    this.i32(second(lo));
  }

  private level(initial: number): [number, number] {
    const id = this.relaxSeq++;
    return [id, this.levels.get(id) ?? initial];
  }
  private relax(id: number, level: number): void {
    this.levels.set(id, level + 1);
    this.settled = false;
  }

  /**
   * A conditional branch to `target`. f3: 0 beq, 1 bne, 4 blt, 5 bge, 6 bltu, 7 bgeu.
   * With `compressed`, beq/bne against x0 on x8..x15 start as c.beqz/c.bnez.
   */
  branch(f3: number, rs1: number, rs2: number, target: Label, compressed: boolean): void {
    const canC = compressed && rs2 === 0 && (f3 === 0 || f3 === 1) && rs1 >= 8 && rs1 <= 15;
    const [id, level] = this.level(canC ? 0 : 1);
    const off = this.addr(target) - this.pc;
    if (level === 0) {
      if (off < -256 || off > 254) this.relax(id, level);
      this.i16(enc.cb(f3 === 0 ? 6 : 7, rs1, off));
    } else if (level === 1) {
      if (off < -4096 || off > 4094) this.relax(id, level);
      this.i32(enc.b(f3, rs1, rs2, off));
    } else {
      this.i32(enc.b(f3 ^ 1, rs1, rs2, 8));
      this.i32(enc.j(0, this.addr(target) - this.pc));
    }
  }

  /** jal rd, target; c.j when rd = x0 and `compressed`. */
  jump(rd: number, target: Label, compressed: boolean): void {
    const [id, level] = this.level(compressed && rd === 0 ? 0 : 1);
    const off = this.addr(target) - this.pc;
    if (level === 0) {
      if (off < -2048 || off > 2046) this.relax(id, level);
      this.i16(enc.cj(off));
    } else {
      this.i32(enc.j(rd, off));
    }
  }

  emitList(nodes: readonly Node[]): void {
    for (const n of nodes) {
      this.annotate(n.kind);
      n.emit(this, n.lists);
    }
  }
}

// ---------------------------------------------------------------------------------------
// Program trees

export type ItemKind =
  | 'alu' | 'alu.c' | 'li' | 'mem' | 'mem.c' | 'mem.misaligned' | 'mem.fault' | 'mem.device'
  | 'amo' | 'lrsc' | 'fence' | 'csr' | 'trap' | 'branch' | 'jal' | 'jalr' | 'call' | 'loop'
  | 'smc' | 'timer' | 'softint' | 'wfi' | 'excursion' | 'code.read' | 'fetch.fault';

export interface Node {
  readonly kind: ItemKind;
  /** Nested item lists (skipped code, loop bodies, subroutines) that the minimizer may prune. */
  readonly lists: readonly (readonly Node[])[];
  emit(a: Asm, lists: readonly (readonly Node[])[]): void;
}

function leaf(kind: ItemKind, emit: (a: Asm) => void): Node {
  return { kind, lists: [], emit: (a) => emit(a) };
}

export interface GenOptions {
  /** Top-level items (default: random 60..240). */
  items?: number;
  /** Misaligned policy (default: random, 30% 'trap'). */
  misaligned?: 'allow' | 'trap';
  /** Zabha and Zacas AMOs (default true): the reference interpreter implements them. */
  zabhaZacas?: boolean;
  /** Item kinds to leave out. */
  exclude?: readonly ItemKind[];
}

export interface ProgramSpec {
  seed: number;
  misaligned: 'allow' | 'trap';
  /** mtvec mode the prologue sets: 0 direct, 1 vectored. */
  mtvecMode: number;
  /** Where the items start, from BODY (even; 2 mod 4 puts 32-bit instructions across pages). */
  bodyOffset: number;
  /** Initial x0..x31 (x0 ignored). */
  seeds: readonly bigint[];
  data: Uint8Array;
  items: readonly Node[];
}

export interface Program {
  spec: ProgramSpec;
  image: Uint8Array;
  listing: ListingEntry[];
  /** Machine options both engines must use. */
  machine: { memoryMiB: number; misaligned: 'allow' | 'trap' };
  /** Number of nodes in the tree (for minimization reports). */
  nodes: number;
  /** How fast-check prints a counterexample. */
  [fc.toStringMethod]?: () => string;
}

type Mode = 'M' | 'S' | 'U';

interface Ctx {
  /** Registers the item may write. */
  writable: readonly number[];
  /** Registers that may hold a value across several instructions (writable minus t5/t6). */
  temps: readonly number[];
  depth: number;
  inLoop: boolean;
  mode: Mode;
  /** Weight factor for items that mostly trap (loop bodies use less, or the handler dominates). */
  trapScale: number;
}

// Values that break arithmetic: zero, signs, 32-bit boundaries, shift amounts.
const EDGE: readonly bigint[] = [
  0n, 1n, 2n, 0xffff_ffff_ffff_ffffn, 0xffff_ffff_ffff_fffen, 0x8000_0000_0000_0000n, 0x7fff_ffff_ffff_ffffn,
  0xffff_ffff_8000_0000n, 0x7fff_ffffn, 0x8000_0000n, 0xffff_ffffn, 0x1_0000_0000n, 0xffff_ffff_0000_0000n,
  0x8000_0000_0000_0001n, 31n, 32n, 63n, 64n, 0x7ffn, 0x800n, 0xffff_ffff_ffff_f800n, 0xffffn, 0x8000n, 0xffn,
  0x80n, 0x5555_5555_5555_5555n, 0xaaaa_aaaa_aaaa_aaaan, 0x0000_0001_ffff_ffffn, 0xffff_ffff_7fff_ffffn,
];
const IMM_EDGE: readonly number[] = [0, 1, -1, 2047, -2048, 31, 32, 63, 0x7f, -0x80, 0x400, -0x400];

/** The generator: one PRNG plus the per-program choices that shape register use. */
class Gen {
  readonly rng: Rng;
  /** A few registers that sources and destinations prefer, so values flow between instructions. */
  readonly hot: number[];
  readonly zabhaZacas: boolean;
  readonly exclude: Set<ItemKind>;
  readonly misaligned: 'allow' | 'trap';

  constructor(seed: number, options: GenOptions) {
    this.rng = new Rng(seed);
    const rng = this.rng;
    this.misaligned = options.misaligned ?? (rng.bool(0.3) ? 'trap' : 'allow');
    this.zabhaZacas = options.zabhaZacas ?? true;
    this.exclude = new Set(options.exclude ?? []);
    this.hot = [];
    while (this.hot.length < 6) {
      const r = rng.pick(ALL_WRITABLE);
      if (!this.hot.includes(r)) this.hot.push(r);
    }
  }

  value(): bigint {
    const rng = this.rng;
    switch (rng.int(6)) {
      case 0: case 1: case 2: return rng.pick(EDGE);
      case 3: return rng.u64();
      case 4: return BigInt.asUintN(64, BigInt(rng.range(-5000, 5000)));
      default: return BigInt.asUintN(64, BigInt(rng.u32() | 0));
    }
  }
  imm12(): number { return this.rng.bool(0.4) ? this.rng.pick(IMM_EDGE) : this.rng.range(-2048, 2047); }
  src(): number {
    const rng = this.rng;
    if (rng.bool(0.45)) return rng.pick(this.hot);
    if (rng.bool(0.1)) return rng.pick([0, SP, DPTR, LOOP]);
    return rng.int(32);
  }
  rd(ctx: Ctx): number {
    const rng = this.rng;
    if (rng.bool(0.03)) return 0;
    if (rng.bool(0.5)) {
      const h = this.hot.filter((r) => ctx.writable.includes(r));
      if (h.length > 0) return rng.pick(h);
    }
    return rng.pick(ctx.writable);
  }
  temp(ctx: Ctx, avoid: readonly number[] = []): number {
    const ok = ctx.temps.filter((r) => !avoid.includes(r));
    return this.rng.pick(ok);
  }
  cTemp(ctx: Ctx, avoid: readonly number[] = []): number | undefined {
    const ok = C_WRITABLE.filter((r) => ctx.temps.includes(r) && !avoid.includes(r));
    return ok.length === 0 ? undefined : this.rng.pick(ok);
  }
}

// ---------------------------------------------------------------------------------------
// Item generators

type Weighted = readonly (readonly [number, ItemKind])[];

const TOP_WEIGHTS: Weighted = [
  [30, 'alu'], [12, 'alu.c'], [4, 'li'], [12, 'mem'], [5, 'mem.c'], [4, 'mem.misaligned'], [2, 'mem.fault'],
  [1.5, 'mem.device'], [4, 'amo'], [2, 'lrsc'], [2, 'fence'], [7, 'csr'], [4, 'trap'], [6, 'branch'], [2, 'jal'],
  [2, 'jalr'], [2, 'call'], [4, 'loop'], [1.2, 'smc'], [1, 'timer'], [0.8, 'softint'], [0.4, 'wfi'],
  [1, 'excursion'], [0.5, 'code.read'], [0.6, 'fetch.fault'],
];
/** Items that trap every time or most of the time they run. */
const TRAPPY: ReadonlySet<ItemKind> = new Set(['trap', 'mem.fault', 'fetch.fault', 'mem.misaligned', 'softint', 'timer']);
const NESTED_EXCLUDED: ReadonlySet<ItemKind> = new Set(['loop', 'excursion', 'wfi']);
/** Inside U/S excursions: no M-only fragments. */
const EXCURSION_EXCLUDED: ReadonlySet<ItemKind> = new Set(['loop', 'excursion', 'smc', 'timer', 'softint']);

function genItem(g: Gen, ctx: Ctx): Node {
  const table = TOP_WEIGHTS.filter(([, k]) => {
    if (g.exclude.has(k)) return false;
    if (ctx.mode !== 'M' && EXCURSION_EXCLUDED.has(k)) return false;
    if ((ctx.depth > 0 || ctx.inLoop) && NESTED_EXCLUDED.has(k)) return false;
    if (ctx.depth >= 3 && (k === 'branch' || k === 'call')) return false;
    return true;
  }).map(([w, k]) => [TRAPPY.has(k) ? w * ctx.trapScale : w, k] as const);
  const kind = g.rng.weighted(table);
  return GENERATORS[kind](g, ctx);
}

function genList(g: Gen, ctx: Ctx, n: number): Node[] {
  const out: Node[] = [];
  for (let i = 0; i < n; i++) out.push(genItem(g, ctx));
  return out;
}

const OP_RR: readonly [number, number, number][] = [ // opcode, f3, f7
  [0x33, 0, 0], [0x33, 0, 0x20], [0x33, 1, 0], [0x33, 2, 0], [0x33, 3, 0], [0x33, 4, 0], [0x33, 5, 0], [0x33, 5, 0x20],
  [0x33, 6, 0], [0x33, 7, 0],
  [0x33, 0, 1], [0x33, 1, 1], [0x33, 2, 1], [0x33, 3, 1], [0x33, 4, 1], [0x33, 5, 1], [0x33, 6, 1], [0x33, 7, 1],
  [0x3b, 0, 0], [0x3b, 0, 0x20], [0x3b, 1, 0], [0x3b, 5, 0], [0x3b, 5, 0x20],
  [0x3b, 0, 1], [0x3b, 4, 1], [0x3b, 5, 1], [0x3b, 6, 1], [0x3b, 7, 1],
];

function aluWord(g: Gen, rd: number): number {
  const rng = g.rng;
  switch (rng.int(10)) {
    case 0: case 1: case 2: case 3: {
      const [opc, f3, f7] = rng.pick(OP_RR);
      return enc.r(opc, f3, f7, rd, g.src(), rng.bool(0.1) ? rd : g.src());
    }
    case 4: case 5: { // addi slti sltiu xori ori andi
      const f3 = rng.pick([0, 0, 2, 3, 4, 6, 7]);
      return enc.i(0x13, f3, rd, g.src(), g.imm12());
    }
    case 6: { // slli srli srai (6-bit shamt)
      const sh = rng.bool(0.3) ? rng.pick([0, 1, 31, 32, 63]) : rng.int(64);
      const kind = rng.int(3);
      return enc.i(0x13, kind === 0 ? 1 : 5, rd, g.src(), (kind === 2 ? 0x400 : 0) | sh);
    }
    case 7: { // addiw slliw srliw sraiw
      const kind = rng.int(4);
      if (kind === 0) return enc.i(0x1b, 0, rd, g.src(), g.imm12());
      const sh = rng.bool(0.3) ? rng.pick([0, 1, 31]) : rng.int(32);
      return enc.i(0x1b, kind === 1 ? 1 : 5, rd, g.src(), (kind === 3 ? 0x400 : 0) | sh);
    }
    case 8: return I.lui(rd, rng.bool(0.4) ? rng.pick([0, 1, 0x7ffff, 0x80000, 0xfffff, 0x80001]) : rng.int(1 << 20));
    default: return I.auipc(rd, rng.bool(0.5) ? rng.pick([0, 1, 0xfffff, 0x80000]) : rng.int(1 << 20));
  }
}

function genAlu(g: Gen, ctx: Ctx): Node {
  const w = aluWord(g, g.rd(ctx));
  return leaf('alu', (a) => a.i32(w));
}

/** One random compressed ALU instruction (or a balanced c.addi16sp pair). */
function genAluC(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  const rd = g.rd(ctx);
  const rdC = g.cTemp(ctx) ?? 8;
  const cOk = ctx.writable.includes(rdC);
  const srcC = () => rng.range(8, 15);
  const nz6 = () => { let v = 0; while (v === 0) v = rng.range(-32, 31); return v; };
  let parcels: number[];
  switch (rng.int(13)) {
    case 0: { const v = rng.bool(0.1) ? 0 : rng.range(-32, 31); parcels = [enc.ci(0, v >> 5, rd, v, 1)]; break; } // c.addi (rd=0 / imm=0 are HINTs)
    case 1: { const r = rd === 0 ? rng.pick(ctx.writable) : rd; const v = rng.range(-32, 31); parcels = [enc.ci(1, v >> 5, r, v, 1)]; break; } // c.addiw
    case 2: { const v = rng.range(-32, 31); parcels = [enc.ci(2, v >> 5, rd, v, 1)]; break; } // c.li
    case 3: { // c.lui: rd != 0, 2; nzimm != 0
      const r = rd === 0 ? rng.pick(ctx.writable) : rd;
      const v = nz6();
      parcels = [enc.ci(3, v >> 5, r, v, 1)];
      break;
    }
    case 4: { // c.srli / c.srai / c.andi on x8..x15
      if (!cOk) return genAlu(g, ctx);
      const f2 = rng.int(3);
      const v = f2 === 2 ? rng.range(-32, 31) : rng.int(64);
      parcels = [enc.cshift(f2, rdC, v)];
      break;
    }
    case 5: { // c.sub c.xor c.or c.and c.subw c.addw
      if (!cOk) return genAlu(g, ctx);
      const w = rng.int(2);
      parcels = [enc.ca(w, rng.int(w ? 2 : 4), rdC, srcC())];
      break;
    }
    case 6: { const sh = rng.int(64); parcels = [enc.ci(0, sh >> 5, rd, sh, 2)]; break; } // c.slli
    case 7: { const s = g.src() || 1; parcels = [enc.cr(8, rd, s, 2)]; break; } // c.mv (rs2 != 0)
    case 8: { const s = g.src() || 1; parcels = [enc.cr(9, rd, s, 2)]; break; } // c.add
    case 9: { // c.addi4spn: rd' = sp + nzuimm (multiple of 4, 4..1020)
      if (!cOk) return genAlu(g, ctx);
      parcels = [enc.caddi4spn(rdC, rng.range(1, 255) * 4)];
      break;
    }
    case 10: { // c.addi16sp pair: sp returns to its value
      const v = rng.pick([16, 32, 48, 496, -16, -496, -32]);
      parcels = [enc.caddi16sp(v), enc.caddi16sp(-v)];
      break;
    }
    case 11: parcels = [I.cnop()]; break;
    default: { // HINTs: c.li/c.mv/c.add/c.slli with rd = 0
      const v = rng.range(1, 31);
      parcels = [rng.pick([enc.ci(2, 0, 0, v, 1), enc.cr(8, 0, v, 2), enc.cr(9, 0, v, 2), enc.ci(0, 0, 0, v, 2)])];
    }
  }
  return leaf('alu.c', (a) => { for (const p of parcels) a.i16(p); });
}

function genLi(g: Gen, ctx: Ctx): Node {
  const words = li(g.rd(ctx) || g.rng.pick(ctx.writable), g.value());
  return leaf('li', (a) => a.words(words));
}

// Loads: f3 0 lb, 1 lh, 2 lw, 3 ld, 4 lbu, 5 lhu, 6 lwu. Stores: 0 sb, 1 sh, 2 sw, 3 sd.
const LOAD_SIZE = [1, 2, 4, 8, 1, 2, 4];

/** A data-region access at x9 + off (off in [-0x1000, 0x1000 - size]); one or two instructions. */
function dataAccess(g: Gen, ctx: Ctx, off: number, store: boolean, f3: number): number[] {
  const rng = g.rng;
  const insn = (base: number, imm: number) =>
    store ? I.store(f3, g.src(), base, imm) : I.load(f3, rng.bool(0.03) ? 0 : g.rd(ctx), base, imm);
  if (off >= -2048 && off <= 2047 && rng.bool(0.6)) return [insn(DPTR, off)];
  const t = g.temp(ctx);
  const o1 = Math.max(-2048, Math.min(2047, off - rng.range(-2048, 2047)));
  const o2 = off - o1;
  if (o2 < -2048 || o2 > 2047) return [I.addi(t, DPTR, off >= 0 ? 2047 : -2048), insn(t, off - (off >= 0 ? 2047 : -2048))];
  return [I.addi(t, DPTR, o1), insn(t, o2)];
}

function genMem(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  const store = rng.bool(0.45);
  const f3 = store ? rng.int(4) : rng.int(7);
  const size = store ? 1 << f3 : LOAD_SIZE[f3];
  const off = Math.floor(rng.range(-0x1000, 0x1000 - size) / size) * size;
  const words = dataAccess(g, ctx, off, store, f3);
  return leaf('mem', (a) => a.words(words));
}

/** Misaligned and page-crossing accesses (complete under 'allow', trap under 'trap'). */
function genMemMisaligned(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  const store = rng.bool(0.45);
  const f3 = store ? rng.range(1, 3) : rng.pick([1, 2, 3, 5, 6]);
  const size = store ? 1 << f3 : LOAD_SIZE[f3];
  let off: number;
  if (rng.bool(0.5)) off = -rng.range(1, size - 1); // straddles the page boundary at x9
  else { do off = rng.range(-0x1000, 0x1000 - size); while (off % size === 0); }
  const words = dataAccess(g, ctx, off, store, f3);
  return leaf('mem.misaligned', (a) => a.words(words));
}

/** Compressed loads and stores: sp-relative, x9-relative, and through a temp in x8..x15. */
function genMemC(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  const parcels: number[] = [];
  const words: number[] = [];
  const wide = rng.bool();
  const store = rng.bool(0.45);
  const rdC = g.cTemp(ctx);
  const srcC = () => rng.range(8, 15);
  const kind = rng.int(3);
  if (kind === 0) { // sp-relative
    const rd = g.rd(ctx) || rng.pick(ctx.writable);
    if (wide) { const imm = rng.int(64) * 8; parcels.push(store ? enc.csdsp(g.src(), imm) : enc.cldsp(rd, imm)); }
    else { const imm = rng.int(64) * 4; parcels.push(store ? enc.cswsp(g.src(), imm) : enc.clwsp(rd, imm)); }
  } else {
    let base = DPTR;
    if (kind === 2 && rdC !== undefined) { // a temp base, sometimes misaligned or just below the page boundary
      base = rdC;
      words.push(I.addi(base, DPTR, rng.bool(0.5) ? -rng.range(1, 16) : rng.range(-2000, 1800)));
    }
    const dest = g.cTemp(ctx, base === DPTR ? [] : [base]);
    if (!store && dest === undefined) return genMem(g, ctx);
    const r = store ? srcC() : dest!;
    if (wide) parcels.push(enc.clsd(store ? 7 : 3, base, r, rng.int(32) * 8));
    else parcels.push(enc.clsw(store ? 6 : 2, base, r, rng.int(32) * 4));
  }
  return leaf('mem.c', (a) => { a.words(words); for (const p of parcels) a.i16(p); });
}

/** Accesses that fault: unmapped physical addresses, the end of RAM, misaligned device accesses. */
function genMemFault(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  const t = g.temp(ctx);
  const addr = rng.pick([0n, 0x1000n, 0x7fff_fff8n, BigInt(RAM_END), BigInt(RAM_END - 4), BigInt(RAM_END - 8),
    0xffff_ffff_8000_0000n, 0x4000_0000n, 0x0200_bff9n, 0x1_8000_0000n, 0x8000_0000_0000_0000n]);
  const store = rng.bool(0.45);
  const f3 = store ? rng.int(4) : rng.int(7);
  const w = store ? I.store(f3, g.src(), t, 0) : I.load(f3, g.rd(ctx), t, 0);
  const words = [...li(t, addr), w];
  return leaf('mem.fault', (a) => a.words(words));
}

/** Device registers whose behaviour is deterministic: CLINT mtime/mtimecmp/msip, UART THR/LSR/SCR. */
function genMemDevice(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  const t = g.temp(ctx);
  let words: number[];
  switch (rng.int(5)) {
    case 0: words = [I.lui(t, 0x200c), I.ld(g.rd(ctx), t, -8)]; break; // mtime
    case 1: words = [I.lui(t, 0x200c), I.load(rng.pick([2, 6]), g.rd(ctx), t, -8)]; break; // mtime low half
    case 2: words = [I.lui(t, 0x2004), I.ld(g.rd(ctx), t, 0)]; break; // mtimecmp
    case 3: { // UART: write a printable byte to THR, or the scratch register, and read LSR/SCR/MSR
      const v = g.temp(ctx, [t]);
      words = [I.lui(t, 0x10000), I.addi(v, 0, rng.range(0x20, 0x7e)), I.store(0, v, t, rng.pick([0, 7])),
        I.load(4, g.rd(ctx), t, rng.pick([5, 6, 7]))];
      break;
    }
    default: words = [I.lui(t, 0x2000), I.load(2, g.rd(ctx), t, 0)]; // msip
  }
  return leaf('mem.device', (a) => a.words(words));
}

/** Loads of the program's own instructions (code pages as data). */
function genCodeRead(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  const t = g.temp(ctx);
  const f3 = rng.int(7);
  const off = rng.range(-64, 64) & ~(rng.bool(0.7) ? LOAD_SIZE[f3] - 1 : 0);
  const words = [I.auipc(t, 0), I.load(f3, g.rd(ctx), t, off)];
  return leaf('code.read', (a) => a.words(words));
}

// AMO funct5 values (A extension, table 24.x); CAS is Zacas.
const AMO_F5 = { add: 0x00, swap: 0x01, lr: 0x02, sc: 0x03, xor: 0x04, cas: 0x05, or: 0x08, and: 0x0c, min: 0x10, max: 0x14, minu: 0x18, maxu: 0x1c } as const;
const AMO_KINDS = [AMO_F5.add, AMO_F5.swap, AMO_F5.xor, AMO_F5.or, AMO_F5.and, AMO_F5.min, AMO_F5.max, AMO_F5.minu, AMO_F5.maxu];
/** Even register pairs body code may write as a whole (amocas.q destinations). */
const PAIRS = [4, 6, 10, 12, 14, 16, 18, 20, 22, 24, 28];

function genAmo(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  const cas = g.zabhaZacas && rng.bool(0.2);
  let f3 = g.zabhaZacas && rng.bool(0.3) ? rng.int(2) : rng.range(2, 3); // 0 .b, 1 .h, 2 .w, 3 .d
  let rd = g.rd(ctx);
  let rs2 = g.src();
  if (cas && rng.bool(0.15)) { // amocas.q on even pairs
    const pairs = PAIRS.filter((p) => ctx.writable.includes(p) && ctx.writable.includes(p + 1));
    if (pairs.length > 0) { f3 = 4; rd = rng.pick(pairs); rs2 = rng.pick([0, ...PAIRS]); }
  }
  const size = f3 === 4 ? 16 : 1 << f3;
  const t = g.temp(ctx, [rd, rd + 1]);
  let pre: number[];
  const fault = rng.bool(0.05 * ctx.trapScale);
  if (fault) pre = li(t, rng.pick([0n, BigInt(RAM_END)]));
  else {
    let off = Math.floor(rng.range(-2048, 2047 - 16) / size) * size;
    if (size > 1 && rng.bool(0.12 * ctx.trapScale)) off += rng.range(1, size - 1); // misaligned: always a store/AMO fault
    pre = [I.addi(t, DPTR, off)];
  }
  const f5 = cas ? AMO_F5.cas : rng.pick(AMO_KINDS);
  const w = enc.amo(f5, rng.int(2), rng.int(2), f3, rd, t, rs2);
  return leaf('amo', (a) => { a.words(pre); a.i32(w); });
}

/** lr; a few ALU instructions; sc (same address, another address, or without lr). */
function genLrSc(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  const d = rng.bool() ? 3 : 2;
  const size = d === 3 ? 8 : 4;
  const a1 = g.temp(ctx);
  const a2 = g.temp(ctx, [a1]);
  let off = Math.floor(rng.range(-2048, 2040) / size) * size;
  if (rng.bool(0.1 * ctx.trapScale)) off += rng.range(1, size - 1);
  const words: number[] = [I.addi(a1, DPTR, off)];
  const variant = rng.int(6);
  if (variant !== 5) words.push(enc.amo(AMO_F5.lr, rng.int(2), rng.int(2), d, g.rd({ ...ctx, writable: ctx.writable.filter((r) => r !== a1) }), a1, 0));
  const between = rng.int(4);
  const inner: Ctx = { ...ctx, writable: ctx.writable.filter((r) => r !== a1 && r !== a2) };
  for (let i = 0; i < between; i++) words.push(aluWord(g, g.rd(inner) || inner.writable[0]));
  if (variant === 3) words.push(I.store(d, g.src(), a1, 0)); // a plain store to the reserved address
  let scAddr = a1;
  if (variant === 4) { scAddr = a2; words.push(I.addi(a2, DPTR, Math.floor(rng.range(-2048, 2040) / 8) * 8)); }
  const scD = rng.bool(0.15 * ctx.trapScale) ? 5 - d : d; // sometimes the other width
  words.push(enc.amo(AMO_F5.sc, rng.int(2), rng.int(2), scD, g.rd(ctx), scAddr, g.src()));
  return leaf('lrsc', (a) => a.words(words));
}

function genFence(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  const w = rng.weighted<() => number>([
    [4, () => enc.i(0x0f, 0, 0, 0, (rng.range(1, 15) << 4) | rng.range(1, 15))], // fence pred,succ
    [1, () => 0x8330000f], // fence.tso
    [1, () => 0x0100000f], // pause
    [3, () => I.fenceI()],
    [1, () => enc.i(0x0f, 1, rng.int(32), rng.int(32), rng.range(-2048, 2047))], // fence.i with ignored fields
    [2, () => enc.r(0x73, 0, 0x09, 0, g.src(), g.src())], // sfence.vma
  ])();
  void ctx;
  return leaf('fence', (a) => a.i32(w));
}

const RW_CSRS: readonly number[] = [
  CSR.mscratch, CSR.sscratch, CSR.mepc, CSR.mcause, CSR.mtval, CSR.sepc, CSR.scause, CSR.stval, CSR.stvec,
  CSR.mcounteren, CSR.scounteren, CSR.menvcfg, CSR.senvcfg, CSR.pmpcfg0, CSR.pmpcfg2, CSR.pmpaddr0, CSR.pmpaddr1,
  CSR.medeleg, CSR.mideleg, CSR.mcycle, CSR.minstret, CSR.mhpmcounter3, CSR.mhpmevent3, CSR.tselect, CSR.tdata1,
  CSR.mcountinhibit,
];
const READ_CSRS: readonly number[] = [
  CSR.misa, CSR.mvendorid, CSR.marchid, CSR.mimpid, CSR.mhartid, CSR.mconfigptr, CSR.cycle, CSR.time, CSR.instret,
  CSR.hpmcounter3, CSR.mstatus, CSR.sstatus, CSR.mie, CSR.sie, CSR.mip, CSR.sip, CSR.mtvec, CSR.tinfo, CSR.satp,
  CSR.mcycle, CSR.minstret,
];
/** mstatus bits that may flip: everything writable except MIE (interrupt fragments own it). */
const MSTATUS_FLIPS: readonly number[] = [1, 5, 7, 8, 11, 12, 17, 18, 19, 20, 21, 22, 0, 9, 13, 15, 32, 34, 36];
const SSTATUS_FLIPS: readonly number[] = [1, 5, 8, 18, 19, 0, 13];
/** CSRs that do not exist here, or that the access form makes illegal. */
const ILLEGAL_CSRS: readonly number[] = [0x001, 0x002, 0x003, 0x015, 0x7c0, 0x800, 0x5c0, 0xbc0, 0xfc0, 0x321, 0x7b0, 0x34a, 0x747];

function genCsr(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  const rd = rng.bool(0.2) ? 0 : g.rd(ctx);
  const t = g.temp(ctx);
  let words: number[];
  const form = rng.int(3); // rw, rs, rc
  switch (rng.weighted<number>([[6, 0], [6, 1], [3, 2], [1.5, 3], [1, 4], [1, 5], [1, 6], [1.5 * ctx.trapScale, 7]])) {
    case 0: { // read-write CSRs with arbitrary values
      const csr = rng.pick(RW_CSRS);
      if (rng.bool(0.35)) words = [enc.csr(5 + form, rd, rng.int(32), csr)];
      else words = [enc.csr(1 + form, rd, g.src(), csr)];
      break;
    }
    case 1: // reads (csrrs/csrrc with x0 do not write, so read-only CSRs are fine)
      words = [enc.csr(rng.pick([2, 3, 6, 7]), rd || g.rng.pick(ctx.writable), 0, rng.pick(READ_CSRS))];
      break;
    case 2: { // mstatus/sstatus: set or clear a few bits (never MIE)
      const s = rng.bool(0.7);
      let mask = 0n;
      for (let i = rng.range(1, 3); i > 0; i--) mask |= 1n << BigInt(rng.pick(s ? MSTATUS_FLIPS : SSTATUS_FLIPS));
      words = [...li(t, mask), enc.csr(rng.bool() ? 2 : 3, rd, t, s ? CSR.mstatus : CSR.sstatus)];
      break;
    }
    case 3: // mtvec: toggle vectored mode, or ask for a reserved mode (WARL -> direct)
      words = [enc.csr(rng.bool() ? 6 : 7, rd, rng.pick([1, 1, 2, 3]), CSR.mtvec)];
      break;
    case 4: // satp: bare, or modes this machine ignores (Sv48, Sv57, reserved)
      words = [...li(t, (BigInt(rng.pick([0, 9, 10, 3])) << 60n) | (rng.bool() ? 0n : BigInt(rng.u32()))), I.csrrw(rd, CSR.satp, t)];
      break;
    case 5: { // mip/sip/sie software-writable bits
      const csr = rng.pick([CSR.mip, CSR.mip, CSR.sip, CSR.sie]);
      words = [enc.csr(5 + rng.int(3), rd, rng.pick([2, 2, 0, 3, 16]), csr)];
      if (rng.bool()) words = [...li(t, rng.pick([0x2n, 0x20n, 0x200n, 0x222n, 0xaaan])), enc.csr(1 + form, rd, t, csr)];
      break;
    }
    case 6: // counters: write mcycle/minstret, freeze/unfreeze them
      words = [...li(t, g.value()), enc.csr(1 + form, rd, t, rng.pick([CSR.mcycle, CSR.minstret, CSR.mcountinhibit, CSR.mcountinhibit]))];
      if (rng.bool(0.5)) words = [enc.csr(5 + form, rd, rng.pick([1, 4, 5, 0]), CSR.mcountinhibit)];
      break;
    default: { // illegal: missing CSRs, writes to read-only CSRs
      if (rng.bool()) words = [enc.csr(rng.pick([1, 2, 3, 5, 6, 7]), rd, rng.range(1, 31), rng.pick(ILLEGAL_CSRS))];
      else words = [enc.csr(rng.pick([1, 5]), rd, rng.int(32), rng.pick([CSR.cycle, CSR.mhartid, CSR.mvendorid, CSR.time, CSR.instret]))];
    }
  }
  return leaf('csr', (a) => a.words(words));
}

const ILLEGAL16: readonly number[] = [
  0x0000, 0x0004, 0x0018, 0x2000, 0x2084, 0x8000, 0x9c00, 0x6101, 0x6081, 0x8002, 0x4002, 0x6002, 0x2002,
  0xa002, 0xa000, 0x9c41, 0x9c61, 0x2001,
];

function illegal32(g: Gen): number {
  const rng = g.rng;
  for (;;) {
    const w = rng.weighted<() => number>([
      [3, () => (rng.u32() | 3) >>> 0],
      [1, () => 0xffffffff],
      [1, () => enc.i(rng.pick([0x07, 0x27, 0x43, 0x47, 0x53, 0x0b, 0x2b, 0x5b, 0x7b, 0x57]), rng.int(8), rng.int(32), rng.int(32), rng.int(4096))],
      [1, () => enc.r(0x33, rng.int(8), rng.pick([0x02, 0x04, 0x40, 0x7f]), rng.int(32), rng.int(32), rng.int(32))],
      [1, () => enc.i(0x73, 4, rng.int(32), rng.int(32), rng.int(4096))],
      [1, () => enc.i(0x13, 1, rng.int(32), rng.int(32), 0x400 | rng.int(64))],
      [1, () => enc.r(0x2f, rng.range(5, 7), rng.int(128), rng.int(32), rng.int(32), rng.int(32))],
    ])();
    if (decode(w).op === Op.ILLEGAL) return w;
  }
}

function genTrap(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  void ctx;
  switch (rng.weighted<number>([[3, 0], [2, 1], [2, 2], [4, 3], [3, 4]])) {
    case 0: return leaf('trap', (a) => a.i32(I.ecall()));
    case 1: return leaf('trap', (a) => a.i32(I.ebreak()));
    case 2: return leaf('trap', (a) => a.i16(0x9002)); // c.ebreak
    case 3: { const w = illegal32(g); return leaf('trap', (a) => a.i32(w)); }
    default: { const h = rng.pick(ILLEGAL16); return leaf('trap', (a) => a.i16(h)); }
  }
}

const BRANCH_F3 = [0, 1, 4, 5, 6, 7];

function genBranch(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  const compressed = rng.bool(0.6);
  const cShape = compressed && rng.bool(0.4); // operands that fit c.beqz/c.bnez
  const f3 = cShape ? rng.int(2) : rng.pick(BRANCH_F3);
  const rs1 = cShape || rng.bool(0.3) ? rng.range(8, 15) : g.src();
  const rs2 = cShape || rng.bool(0.3) ? 0 : rng.bool(0.1) ? rs1 : g.src();
  const skipped = genList(g, { ...ctx, depth: ctx.depth + 1 }, rng.range(1, 5));
  return {
    kind: 'branch', lists: [skipped],
    emit: (a, lists) => {
      const over = a.newLabel();
      a.branch(f3, rs1, rs2, over, compressed);
      a.emitList(lists[0]);
      a.bind(over);
    },
  };
}

function junkBytes(g: Gen): number[] {
  const rng = g.rng;
  const n = rng.range(1, 8) * 2;
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(rng.int(256));
  return out;
}

/** jal (or c.j) forward over never-executed junk. */
function genJal(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  const rd = rng.bool(0.5) ? 0 : g.rd(ctx);
  const compressed = rd === 0 && rng.bool(0.6);
  const junk = junkBytes(g);
  return leaf('jal', (a) => {
    const over = a.newLabel();
    a.jump(rd, over, compressed);
    a.junk(junk);
    a.bind(over);
  });
}

/** jalr / c.jr / c.jalr forward to an address computed with auipc, over junk. */
function genJalr(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  const t = g.temp(ctx);
  const junk = junkBytes(g);
  const form = rng.int(ctx.writable.includes(1) ? 3 : 2); // c.jalr links ra
  const rd = rng.bool(0.3) ? t : rng.bool(0.3) ? 0 : g.rd(ctx); // rd = rs1 reads before it writes
  const odd = rng.bool(0.3) ? 1 : 0; // jalr clears bit 0 of the target
  return leaf('jalr', (a) => {
    const over = a.newLabel();
    if (form === 0) a.pcrel(t, over, (lo) => I.jalr(rd, t, lo + odd));
    else {
      a.pcrel(t, over, (lo) => I.addi(t, t, lo));
      a.i16(form === 1 ? enc.cr(8, t, 0, 2) : enc.cr(9, t, 0, 2)); // c.jr t / c.jalr t
    }
    a.junk(junk);
    a.bind(over);
  });
}

/** A subroutine: call it (jal or auipc + c.jalr), return with jalr/c.jr, then jump past it. */
function genCall(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  const viaC = rng.bool(0.35) && ctx.temps.includes(1);
  const link = viaC ? 1 : g.temp(ctx);
  const t = viaC ? g.temp(ctx, [1]) : 0;
  const inner: Ctx = {
    ...ctx, depth: ctx.depth + 1,
    writable: ctx.writable.filter((r) => r !== link), temps: ctx.temps.filter((r) => r !== link),
  };
  const body = genList(g, inner, rng.range(1, 6));
  const retC = rng.bool(0.5);
  const skipC = rng.bool(0.5);
  return {
    kind: 'call', lists: [body],
    emit: (a, lists) => {
      const sub = a.newLabel(), after = a.newLabel();
      if (viaC) {
        a.pcrel(t, sub, (lo) => I.addi(t, t, lo));
        a.i16(enc.cr(9, t, 0, 2)); // c.jalr t (links ra)
      } else {
        a.jump(link, sub, false);
      }
      a.jump(0, after, skipC);
      a.bind(sub);
      a.emitList(lists[0]);
      if (retC) a.i16(enc.cr(8, link, 0, 2)); // c.jr link
      else a.i32(I.jalr(0, link, 0));
      a.bind(after);
    },
  };
}

/** A bounded loop counted down in s11. Hot variants run small bodies many times. */
function genLoop(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  const hotLoop = rng.bool(0.15);
  const count = hotLoop ? rng.range(100, 600) : rng.range(1, 12);
  const inner: Ctx = { ...ctx, inLoop: true, depth: ctx.depth + 1, trapScale: hotLoop ? 0.04 : 0.3 };
  const body = genList(g, inner, hotLoop ? rng.range(2, 6) : rng.range(2, 12));
  const form = rng.int(4);
  return {
    kind: 'loop', lists: [body],
    emit: (a, lists) => {
      const top = a.newLabel();
      a.words(li(LOOP, BigInt(count)));
      a.bind(top);
      a.emitList(lists[0]);
      a.annotate('loop end');
      if (form === 1) a.i16(enc.ci(0, 1, LOOP, 31, 1)); // c.addi s11, -1
      else a.i32(I.addi(LOOP, LOOP, -1));
      if (form === 2) a.branch(4, 0, LOOP, top, false); // blt x0, s11
      else if (form === 3) a.branch(6, 0, LOOP, top, false); // bltu x0, s11
      else a.branch(1, LOOP, 0, top, false); // bne s11, x0
    },
  };
}

/** A simple instruction for a self-modifying-code slot. */
function smcWord(g: Gen, ctx: Ctx): number {
  const rng = g.rng;
  return rng.weighted<() => number>([
    [7, () => aluWord(g, g.rd(ctx) || ctx.writable[0])],
    [ctx.trapScale, () => illegal32(g)],
    [ctx.trapScale, () => rng.bool() ? I.ebreak() : I.ecall()],
    [1, () => I.load(rng.int(7), g.rd(ctx), DPTR, rng.range(-64, 64) & ~7)],
  ])();
}

function smcParcel(g: Gen, ctx: Ctx): number {
  const rng = g.rng;
  const rd = g.rd(ctx) || ctx.writable[0];
  const v = rng.range(-32, 31);
  return rng.pick([enc.ci(0, v >> 5, rd, v, 1), enc.ci(2, v >> 5, rd, v, 1), enc.cr(9, rd, g.src() || 1, 2), 0x9002, 0x0000]);
}

/**
 * Self-modifying code: store a new instruction into the program's own code and execute it
 * after fence.i. Forward: the slot follows the store (its first version never runs). In a
 * loop: the slot comes first, so iteration 1 runs the original and later ones the new word.
 */
function genSmc(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  const inLoopForm = !ctx.inLoop && rng.bool(0.5);
  const half = rng.bool(0.25); // a 16-bit slot, stored with sh
  const misalignedSlot = !half && rng.bool(0.25); // a 32-bit slot at 2 mod 4, stored with two sh
  const useAmo = !half && !misalignedSlot && rng.bool(0.15); // amoswap.w into code
  const vReg = g.temp(ctx);
  const addrReg = g.temp(ctx, [vReg]);
  const inner: Ctx = { ...ctx, writable: ctx.writable.filter((r) => r !== vReg && r !== addrReg), temps: ctx.temps.filter((r) => r !== vReg && r !== addrReg) };
  const original = half ? smcParcel(g, inner) : smcWord(g, inner);
  const replacement = half ? smcParcel(g, inner) : smcWord(g, inner);
  const between = genList(g, { ...inner, depth: ctx.depth + 1, inLoop: true }, rng.range(0, 3));
  const count = rng.range(2, 6);
  const amoRd = g.rd(inner) || inner.writable[0];
  const emitStore = (a: Asm, slot: Label) => {
    a.annotate('smc store');
    a.words(li(vReg, BigInt(replacement)));
    a.pcrel(addrReg, slot, (lo) => I.addi(addrReg, addrReg, lo));
    if (half) a.i32(I.sh(vReg, addrReg, 0));
    else if (misalignedSlot) a.words([I.sh(vReg, addrReg, 0), I.srli(vReg, vReg, 16), I.sh(vReg, addrReg, 2)]);
    else if (useAmo) a.i32(enc.amo(AMO_F5.swap, 0, 0, 2, amoRd, addrReg, vReg));
    else a.i32(I.sw(vReg, addrReg, 0));
    a.i32(I.fenceI());
  };
  const emitSlot = (a: Asm, slot: Label) => {
    a.alignNop(misalignedSlot ? 1 : 0);
    a.bind(slot);
    a.annotate('smc slot');
    if (half) a.i16(original); else a.i32(original);
  };
  return {
    kind: 'smc', lists: [between],
    emit: (a, lists) => {
      const slot = a.newLabel();
      if (inLoopForm) {
        const top = a.newLabel();
        a.words(li(LOOP, BigInt(count)));
        a.bind(top);
        emitSlot(a, slot);
        a.emitList(lists[0]);
        emitStore(a, slot);
        a.i32(I.addi(LOOP, LOOP, -1));
        a.branch(1, LOOP, 0, top, false);
      } else {
        emitStore(a, slot);
        a.emitList(lists[0]);
        emitSlot(a, slot);
      }
    },
  };
}

/** Arm the CLINT timer a little ahead of mtime, enable MTIE and (usually) MIE. */
function genTimer(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  const t = g.temp(ctx);
  const v = g.temp(ctx, [t]);
  const delta = rng.bool(0.1) ? rng.range(-2, 0) : rng.range(1, 40);
  const words = [
    I.lui(t, 0x200c), I.ld(v, t, -8), I.addi(v, v, delta), I.lui(t, 0x2004), I.sd(v, t, 0),
    I.addi(v, 0, 0x80), I.csrrs(0, CSR.mie, v),
  ];
  if (rng.bool(0.85)) words.push(I.csrrsi(0, CSR.mstatus, 8));
  return leaf('timer', (a) => a.words(words));
}

/** A software interrupt: mip.SSIP written by M-mode, or the CLINT's msip. */
function genSoftint(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  let words: number[];
  if (rng.bool()) {
    words = [I.csrrsi(0, CSR.mip, 2), I.csrrsi(0, CSR.mie, 2), I.csrrsi(0, CSR.mstatus, 8)];
    for (let i = words.length - 1; i > 0; i--) { const j = rng.int(i + 1); [words[i], words[j]] = [words[j], words[i]]; }
  } else {
    const t = g.temp(ctx);
    const v = g.temp(ctx, [t]);
    words = [I.lui(t, 0x2000), I.addi(v, 0, 1), I.sw(v, t, 0), I.csrrsi(0, CSR.mie, 8), I.csrrsi(0, CSR.mstatus, 8)];
  }
  return leaf('softint', (a) => a.words(words));
}

function genWfi(g: Gen, ctx: Ctx): Node {
  void g; void ctx;
  return leaf('wfi', (a) => a.i32(I.wfi()));
}

/** mret into U or S mode, run a few items there, and come back with ecall. */
function genExcursion(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  const mode: Mode = rng.bool() ? 'U' : 'S';
  const t = g.temp(ctx);
  const inner: Ctx = { ...ctx, mode, depth: ctx.depth + 1 };
  const body = genList(g, inner, rng.range(2, 10));
  const mpie = rng.int(3); // leave, set or clear MPIE (MIE after mret)
  return {
    kind: 'excursion', lists: [body],
    emit: (a, lists) => {
      const there = a.newLabel();
      a.words([
        I.csrrci(0, CSR.mstatus, 8), // no interrupt between the mepc write and mret
        I.csrrw(0, CSR.medeleg, 0), I.csrrw(0, CSR.mideleg, 0),
        I.lui(t, 2), I.addi(t, t, -2048), I.csrrc(0, CSR.mstatus, t), // MPP = U
      ]);
      if (mode === 'S') a.words([I.lui(t, 1), I.addi(t, t, -2048), I.csrrs(0, CSR.mstatus, t)]); // MPP = S
      if (mpie > 0) a.words([I.addi(t, 0, 0x80), mpie === 1 ? I.csrrs(0, CSR.mstatus, t) : I.csrrc(0, CSR.mstatus, t)]);
      a.pcrel(t, there, (lo) => I.addi(t, t, lo));
      a.i32(I.csrrw(0, CSR.mepc, t));
      a.i32(I.mret());
      a.bind(there);
      a.annotate(`${mode}-mode`);
      a.emitList(lists[0]);
      a.annotate('back to M');
      a.i32(I.ecall());
    },
  };
}

/**
 * A jump to where nothing can be fetched (unmapped addresses, a device, a 32-bit
 * instruction whose second half lies past the end of RAM). The resume address goes to
 * the log header first; the handler returns there.
 */
function genFetchFault(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  const t = g.temp(ctx);
  const u = g.temp(ctx, [t]);
  const straddle = rng.bool(0.3);
  const target = straddle ? BigInt(RAM_END - 2)
    : rng.pick([0n, 0x1000n, 0x0200_0000n, 0x1000_0000n, BigInt(RAM_END), 0x7fff_fffen, 0xffff_ffff_8000_0000n]);
  const form = rng.int(3);
  const rd = rng.bool(0.5) ? 0 : g.rd({ ...ctx, writable: ctx.writable.filter((r) => r !== 1 || form !== 2) });
  return leaf('fetch.fault', (a) => {
    const back = a.newLabel();
    a.pcrel(t, back, (lo) => I.addi(t, t, lo));
    a.pcrel(u, a.logLabel, (lo) => I.addi(u, u, lo));
    a.i32(I.sd(t, u, 8));
    a.words(li(t, target));
    if (straddle) a.words([I.addi(u, 0, 0x13), I.sh(u, t, 0)]); // the low half of an addi
    if (form === 2 && ctx.writable.includes(1)) a.i16(enc.cr(9, t, 0, 2)); // c.jalr
    else if (form === 1) a.i16(enc.cr(8, t, 0, 2)); // c.jr
    else a.i32(I.jalr(rd, t, 0));
    a.bind(back);
  });
}

const GENERATORS: Record<ItemKind, (g: Gen, ctx: Ctx) => Node> = {
  'alu': genAlu, 'alu.c': genAluC, 'li': genLi, 'mem': genMem, 'mem.c': genMemC, 'mem.misaligned': genMemMisaligned,
  'mem.fault': genMemFault, 'mem.device': genMemDevice, 'amo': genAmo, 'lrsc': genLrSc, 'fence': genFence,
  'csr': genCsr, 'trap': genTrap, 'branch': genBranch, 'jal': genJal, 'jalr': genJalr, 'call': genCall,
  'loop': genLoop, 'smc': genSmc, 'timer': genTimer, 'softint': genSoftint, 'wfi': genWfi,
  'excursion': genExcursion, 'code.read': genCodeRead, 'fetch.fault': genFetchFault,
};

// ---------------------------------------------------------------------------------------
// Whole programs

export function generateSpec(seed: number, options: GenOptions = {}): ProgramSpec {
  const g = new Gen(seed, options);
  const rng = g.rng;
  const mtvecMode = rng.int(2);
  const bodyOffset = rng.range(0xb00, 0xfff) & ~1;
  const seeds: bigint[] = [0n];
  for (let r = 1; r < 32; r++) seeds.push(g.value());
  seeds[SP] = BigInt(SP_VALUE);
  seeds[DPTR] = BigInt(DATA_PTR);
  seeds[LOOP] = 0n;
  const data = new Uint8Array(DATA_SIZE);
  const dv = new DataView(data.buffer);
  for (let off = 0; off < DATA_SIZE; off += 8) {
    if (rng.bool(0.5)) dv.setBigUint64(off, g.value(), true);
    else { dv.setUint32(off, rng.u32(), true); dv.setUint32(off + 4, rng.u32(), true); }
  }
  const n = options.items ?? rng.range(60, 240);
  const ctx: Ctx = {
    writable: ALL_WRITABLE, temps: ALL_WRITABLE.filter((r) => r !== T5 && r !== T6), depth: 0, inLoop: false, mode: 'M', trapScale: 1,
  };
  const items = genList(g, ctx, n);
  return { seed, misaligned: g.misaligned, mtvecMode, bodyOffset, seeds, data, items };
}

function emitPrologue(a: Asm, spec: ProgramSpec, labels: { vec: Label; seeds: Label; body: Label }): void {
  a.annotate('prologue: mtvec');
  a.pcrel(T6, labels.vec, (lo) => I.addi(T6, T6, lo + spec.mtvecMode));
  a.i32(I.csrrw(0, CSR.mtvec, T6));
  a.annotate('prologue: registers from the seed table');
  a.pcrel(T6, labels.seeds, (lo) => I.addi(T6, T6, lo));
  for (let r = 1; r < 32; r++) a.i32(I.ld(r, T6, 8 * r)); // x31 last: it is the base
  a.jump(0, labels.body, false);
}

/**
 * The trap handler (t5/t6 only). Logs mcause/mepc/mtval/mstatus; for an interrupt it
 * disables all interrupt sources (mie := 0, SSIP and msip cleared) and resumes; for an
 * exception it skips the instruction (2 or 4 bytes, from its low bits) and returns to M
 * after an ecall from U or S, else to the mode that trapped.
 */
function emitHandler(a: Asm, log: Label): void {
  const irq = a.newLabel(), keepMpp = a.newLabel(), set = a.newLabel(), fetch = a.newLabel();
  a.annotate('handler: log the trap');
  a.pcrel(T6, log, (lo) => I.addi(T6, T6, lo));
  a.words([
    I.ld(T5, T6, 0), I.addi(T5, T5, 1), I.sd(T5, T6, 0),
    I.andi(T5, T5, LOG_ENTRIES - 1), I.slli(T5, T5, 5), I.add(T6, T6, T5),
    I.csrrs(T5, CSR.mcause, 0), I.sd(T5, T6, 32),
    I.csrrs(T5, CSR.mepc, 0), I.sd(T5, T6, 40),
    I.csrrs(T5, CSR.mtval, 0), I.sd(T5, T6, 48),
    I.csrrs(T5, CSR.mstatus, 0), I.sd(T5, T6, 56),
    I.csrrs(T5, CSR.mcause, 0),
  ]);
  a.branch(4, T5, 0, irq, false); // blt t5, x0: interrupt
  a.i32(I.addi(T6, T5, -1));
  a.branch(0, T6, 0, fetch, false); // fetch access fault
  a.annotate('handler: ecall from U/S returns to M');
  a.words([I.addi(T5, T5, -8), I.sltiu(T5, T5, 2)]);
  a.branch(0, T5, 0, keepMpp, false);
  a.words([I.lui(T5, 2), I.addi(T5, T5, -2048), I.csrrs(0, CSR.mstatus, T5)]);
  a.bind(keepMpp);
  a.annotate('handler: skip the instruction');
  a.words([I.csrrs(T6, CSR.mepc, 0), I.lhu(T5, T6, 0), I.andi(T5, T5, 3), I.addi(T6, T6, 2), I.addi(T5, T5, -3)]);
  a.branch(1, T5, 0, set, false);
  a.i32(I.addi(T6, T6, 2));
  a.bind(set);
  a.words([I.csrrw(0, CSR.mepc, T6), I.mret()]);
  a.bind(irq);
  a.annotate('handler: interrupt: disable sources and resume');
  a.words([I.csrrw(0, CSR.mie, 0), I.csrrci(0, CSR.mip, 2), I.lui(T5, 0x2000), I.sw(0, T5, 0), I.mret()]);
  a.bind(fetch);
  a.annotate('handler: fetch fault: resume at the saved address');
  a.pcrel(T6, log, (lo) => I.addi(T6, T6, lo));
  a.words([I.ld(T6, T6, 8), I.csrrw(0, CSR.mepc, T6), I.mret()]);
}

function emitEpilogue(a: Asm): void {
  a.annotate('epilogue: finisher pass');
  a.words([I.csrrw(0, CSR.mie, 0), I.lui(5, 0x100), I.lui(6, 5), I.addiw(6, 6, 0x555), I.sw(6, 5, 0), enc.j(0, 0)]);
}

function countNodes(items: readonly Node[]): number {
  let n = 0;
  for (const it of items) { n++; for (const l of it.lists) n += countNodes(l); }
  return n;
}

/** Assembles a spec into an image (iterating until branch forms and label addresses settle). */
export function buildProgram(spec: ProgramSpec): Program {
  const seed = spec.seed;
  let prev = new Map<Label, number>();
  const levels = new Map<number, number>();
  for (let pass = 0; pass < 24; pass++) {
    const a = new Asm(prev, levels);
    const labels = { vec: a.newLabel(), seeds: a.newLabel(), body: a.newLabel(), log: a.newLabel(), handler: a.newLabel() };
    a.logLabel = labels.log;
    emitPrologue(a, spec, labels);
    a.org(VEC);
    a.bind(labels.vec);
    for (let i = 0; i < 16; i++) { a.annotate(`vector ${i}`); a.jump(0, labels.handler, false); }
    a.bind(labels.handler);
    emitHandler(a, labels.log);
    if (a.pc > BODY) throw new Error('handler overflows into the body');
    a.org(BODY + spec.bodyOffset);
    a.bind(labels.body);
    a.emitList(spec.items);
    emitEpilogue(a);
    if (a.pc > BODY_LIMIT) throw new Error(`program body too large (${a.pc - BODY} bytes)`);
    a.org(LOG);
    a.bind(labels.log);
    a.org(SEEDS);
    a.bind(labels.seeds);
    const same = a.settled && a.labels.size === prev.size && [...a.labels].every(([l, v]) => prev.get(l) === v);
    if (same) {
      const image = a.bytes.slice(0, IMAGE_SIZE);
      image.set(spec.data, DATA - BASE);
      const dv = new DataView(image.buffer);
      spec.seeds.forEach((v, r) => dv.setBigUint64(SEEDS - BASE + 8 * r, BigInt.asUintN(64, v), true));
      const nodes = countNodes(spec.items);
      return {
        spec, image, listing: a.listing,
        machine: { memoryMiB: MEMORY_MIB, misaligned: spec.misaligned },
        nodes,
        // How fast-check prints a counterexample: not the whole image.
        [fc.toStringMethod]: () => `Program(seed ${seed}, ${spec.items.length} items, ${nodes} nodes, misaligned=${spec.misaligned})`,
      };
    }
    prev = a.labels;
  }
  throw new Error(`program ${spec.seed} did not settle`);
}

export function generateProgram(seed: number, options: GenOptions = {}): Program {
  return buildProgram(generateSpec(seed, options));
}

/**
 * fast-check arbitrary of programs. It shrinks towards fewer top-level items: generation
 * is prefix-stable, so the shrunk program is the start of the original one.
 */
export function programArbitrary(options: Omit<GenOptions, 'items'> & { maxItems?: number } = {}): fc.Arbitrary<Program> {
  const { maxItems = 240, ...rest } = options;
  // noBias: fast-check would otherwise favour tiny item counts in early runs.
  return fc.noBias(fc.record({ seed: fc.integer({ min: 0, max: 0x7fff_ffff }), items: fc.integer({ min: 1, max: maxItems }) }))
    .map(({ seed, items }) => generateProgram(seed, { ...rest, items }));
}

// ---------------------------------------------------------------------------------------
// Tree editing, for the minimizer

/** Paths of every node: indices into lists, alternating node index and list index. */
export function nodePaths(items: readonly Node[], prefix: number[] = []): number[][] {
  const out: number[][] = [];
  items.forEach((n, i) => {
    const p = [...prefix, i];
    out.push(p);
    n.lists.forEach((l, j) => out.push(...nodePaths(l, [...p, j])));
  });
  return out;
}

/** A copy of the tree without the node at `path`. */
export function withoutNode(items: readonly Node[], path: readonly number[]): Node[] {
  const [i, j, ...rest] = path;
  if (path.length === 1) return items.filter((_, k) => k !== i);
  return items.map((n, k) => {
    if (k !== i) return n;
    const lists = n.lists.map((l, m) => (m === j ? withoutNode(l, rest) : l));
    return { kind: n.kind, lists, emit: n.emit };
  });
}
