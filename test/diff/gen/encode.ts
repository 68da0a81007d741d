// Instruction encoders, from the instruction formats of the unprivileged spec.
import { sext12 } from './rng.js';

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
