// A growable byte sink for the Wasm emitter. The JIT emits modules at run time, so this
// is the hot path of translation: every write goes straight into one Uint8Array that
// doubles when full, nothing is allocated per byte or per instruction, and LEB128 is
// encoded with 32-bit integer arithmetic (BigInt only at the edge of s64leb, and not at
// all for values that fit in 32 bits).

const scratch = new DataView(new ArrayBuffer(8));
const utf8 = new TextEncoder();

/** Bytes a u32 takes as unsigned LEB128 (1..5). */
export function u32lebSize(v: number): number {
  v >>>= 0;
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x20_0000 ? 3 : v < 0x1000_0000 ? 4 : 5;
}

export class ByteBuffer {
  private buf: Uint8Array<ArrayBuffer>;
  private len = 0;

  constructor(initialCapacity = 1024) {
    this.buf = new Uint8Array(Math.max(16, initialCapacity));
  }

  get length(): number {
    return this.len;
  }

  /** Makes room for `n` more bytes. Callers reserve once for a multi-byte write. */
  ensure(n: number): void {
    const need = this.len + n;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  byte(b: number): void {
    if (this.len === this.buf.length) this.ensure(1);
    this.buf[this.len++] = b;
  }

  /** Two bytes at once: an opcode and a one-byte immediate are the commonest pair. */
  byte2(a: number, b: number): void {
    if (this.len + 2 > this.buf.length) this.ensure(2);
    const buf = this.buf;
    buf[this.len] = a;
    buf[this.len + 1] = b;
    this.len += 2;
  }

  bytes(u8: Uint8Array): void {
    this.ensure(u8.length);
    this.buf.set(u8, this.len);
    this.len += u8.length;
  }

  /** Unsigned LEB128 of a u32 (the argument is taken modulo 2^32). */
  u32leb(v: number): void {
    if (this.len + 5 > this.buf.length) this.ensure(5);
    this.len = writeU32leb(this.buf, this.len, v);
  }

  /**
   * An opcode and its u32 LEB immediate with one capacity check: local.get/set/tee,
   * call and br are most of what the JIT emits.
   */
  byteU32leb(b: number, v: number): void {
    if (this.len + 6 > this.buf.length) this.ensure(6);
    this.buf[this.len] = b;
    this.len = writeU32leb(this.buf, this.len + 1, v);
  }

  /** Signed LEB128 of an i32 (the argument is taken modulo 2^32 as a signed value). */
  s32leb(v: number): void {
    if (this.len + 5 > this.buf.length) this.ensure(5);
    const buf = this.buf;
    let p = this.len;
    v |= 0;
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      // Done when the rest is pure sign extension of the bit 6 we are about to write.
      if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
        buf[p++] = b;
        break;
      }
      buf[p++] = b | 0x80;
    }
    this.len = p;
  }

  /**
   * Signed LEB128 of an i64. Accepts signed or unsigned 64-bit patterns
   * (0xffff_ffff_ffff_ffffn and -1n encode the same); other bits above 64 are dropped.
   */
  s64leb(v: bigint): void {
    if (v >= -0x8000_0000n && v <= 0x7fff_ffffn) {
      this.s32leb(Number(v));
      return;
    }
    const s = BigInt.asIntN(64, v);
    this.s64lebHiLo(Number(s >> 32n), Number(BigInt.asUintN(32, s)));
  }

  /** Signed LEB128 of a safe-integer Number (|v| < 2^53), without touching BigInt. */
  s64lebNumber(v: number): void {
    if (v === (v | 0)) {
      this.s32leb(v);
      return;
    }
    if (!Number.isSafeInteger(v)) throw new RangeError(`s64lebNumber: ${v} is not a safe integer`);
    const hi = Math.floor(v / 0x1_0000_0000);
    this.s64lebHiLo(hi, v - hi * 0x1_0000_0000);
  }

  /** Signed LEB128 of the i64 whose high 32 bits are `hi` and low 32 bits are `lo`. */
  s64lebHiLo(hi: number, lo: number): void {
    if (this.len + 10 > this.buf.length) this.ensure(10);
    const buf = this.buf;
    let p = this.len;
    hi |= 0;
    lo >>>= 0;
    for (;;) {
      const b = lo & 0x7f;
      // 64-bit arithmetic shift right by 7 across the two halves.
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>= 7;
      if ((hi === 0 && lo === 0 && (b & 0x40) === 0) || (hi === -1 && lo === 0xffff_ffff && (b & 0x40) !== 0)) {
        buf[p++] = b;
        break;
      }
      buf[p++] = b | 0x80;
    }
    this.len = p;
  }

  /** IEEE 754 binary32, little-endian (f32.const immediates). */
  f32(v: number): void {
    scratch.setFloat32(0, v, true);
    this.ensure(4);
    for (let i = 0; i < 4; i++) this.buf[this.len++] = scratch.getUint8(i);
  }

  /** IEEE 754 binary64, little-endian (f64.const immediates). */
  f64(v: number): void {
    scratch.setFloat64(0, v, true);
    this.ensure(8);
    for (let i = 0; i < 8; i++) this.buf[this.len++] = scratch.getUint8(i);
  }

  /** A Wasm `name`: u32 length in bytes, then UTF-8. ASCII (the usual case) skips the encoder. */
  name(s: string): void {
    const n = s.length;
    let ascii = true;
    for (let i = 0; i < n; i++) {
      if (s.charCodeAt(i) >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (!ascii) {
      const u8 = utf8.encode(s);
      this.u32leb(u8.length);
      this.bytes(u8);
      return;
    }
    this.u32leb(n);
    this.ensure(n);
    const buf = this.buf;
    let p = this.len;
    for (let i = 0; i < n; i++) buf[p++] = s.charCodeAt(i);
    this.len = p;
  }

  /**
   * Starts a region with a u32 byte-length prefix (a section, a function body) whose
   * size is not known yet: reserves the widest LEB (5 bytes) and returns the mark to
   * pass to endSized().
   */
  beginSized(): number {
    this.ensure(5);
    const mark = this.len;
    this.len += 5;
    return mark;
  }

  /**
   * Ends a region begun by beginSized(): writes its length as a minimal LEB and slides
   * the contents down over the unused reserved bytes, so the output stays canonical.
   */
  endSized(mark: number): void {
    const start = mark + 5;
    const size = this.len - start;
    const n = u32lebSize(size);
    if (n < 5) {
      this.buf.copyWithin(mark + n, start, this.len);
      this.len -= 5 - n;
    }
    const end = this.len;
    this.len = mark;
    this.u32leb(size);
    this.len = end;
  }

  /** A copy of exactly the written bytes; the buffer stays usable (and reusable after reset()). */
  finish(): Uint8Array<ArrayBuffer> {
    return this.buf.slice(0, this.len);
  }

  /** The written bytes without copying; only valid until the next write or reset(). */
  view(): Uint8Array<ArrayBuffer> {
    return this.buf.subarray(0, this.len);
  }

  /** Forgets the contents but keeps the capacity, so a long-lived buffer stops allocating. */
  reset(): void {
    this.len = 0;
  }
}

/** Writes v (mod 2^32) as unsigned LEB128 at buf[p]; returns the offset after it. Capacity is the caller's. */
function writeU32leb(buf: Uint8Array, p: number, v: number): number {
  v >>>= 0;
  while (v >= 0x80) {
    buf[p++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[p++] = v;
  return p;
}
