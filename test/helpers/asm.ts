// A few RV64 encodings by hand, for tests that need tiny guest programs without a cross
// compiler. Each returns the 32-bit instruction word.
const r = (n: number) => n & 31;

export const lui = (rd: number, imm20: number) => (((imm20 & 0xfffff) << 12) | (r(rd) << 7) | 0x37) >>> 0;
export const addi = (rd: number, rs1: number, imm: number) => (((imm & 0xfff) << 20) | (r(rs1) << 15) | (r(rd) << 7) | 0x13) >>> 0;
export const sw = (rs2: number, rs1: number, imm: number) =>
  ((((imm >> 5) & 0x7f) << 25) | (r(rs2) << 20) | (r(rs1) << 15) | (2 << 12) | ((imm & 31) << 7) | 0x23) >>> 0;
export const sd = (rs2: number, rs1: number, imm: number) =>
  ((((imm >> 5) & 0x7f) << 25) | (r(rs2) << 20) | (r(rs1) << 15) | (3 << 12) | ((imm & 31) << 7) | 0x23) >>> 0;
/** jal x0, 0: an infinite loop. */
export const spin = () => 0x0000006f;
export const auipc = (rd: number, imm20: number) => (((imm20 & 0xfffff) << 12) | (r(rd) << 7) | 0x17) >>> 0;

export function words(...ws: number[]): Uint8Array {
  const out = new Uint8Array(ws.length * 4);
  const dv = new DataView(out.buffer);
  ws.forEach((w, i) => dv.setUint32(i * 4, w, true));
  return out;
}

/** Code that stores `value` (32 bits) to the syscon finisher at 0x100000, then spins. */
export function finisher(value: number): Uint8Array {
  const hi = (value + 0x800) >>> 12;
  const lo = value & 0xfff;
  return words(lui(5, 0x100), lui(6, hi), addi(6, 6, lo), sw(6, 5, 0), spin());
}
