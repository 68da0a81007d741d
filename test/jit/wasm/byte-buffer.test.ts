import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ByteBuffer, u32lebSize } from '../../../src/jit/wasm/index.js';

// An independent LEB128 decoder, written straight from the spec's definition (5.2.2)
// with BigInt, so it shares no code or tricks with the encoder under test.
function decodeUnsigned(bytes: Uint8Array, pos = 0): { value: bigint; next: number } {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    if (pos >= bytes.length) throw new Error('truncated LEB');
    const b = BigInt(bytes[pos++]!);
    result |= (b & 0x7fn) << shift;
    shift += 7n;
    if ((b & 0x80n) === 0n) return { value: result, next: pos };
  }
}

function decodeSigned(bytes: Uint8Array, pos = 0): { value: bigint; next: number } {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    if (pos >= bytes.length) throw new Error('truncated LEB');
    const b = BigInt(bytes[pos++]!);
    result |= (b & 0x7fn) << shift;
    shift += 7n;
    if ((b & 0x80n) === 0n) {
      if ((b & 0x40n) !== 0n) result -= 1n << shift; // sign-extend from the last bit written
      return { value: result, next: pos };
    }
  }
}

/** Smallest number of 7-bit groups that holds v as an unsigned / two's-complement value. */
function minUnsignedLen(v: bigint): number {
  let n = 1;
  while (v >= 1n << BigInt(7 * n)) n++;
  return n;
}
function minSignedLen(v: bigint): number {
  let n = 1;
  while (v < -(1n << BigInt(7 * n - 1)) || v >= 1n << BigInt(7 * n - 1)) n++;
  return n;
}

function enc(f: (b: ByteBuffer) => void): Uint8Array {
  const b = new ByteBuffer(16);
  f(b);
  return b.finish();
}

const U32_EDGES = [0, 1, 63, 64, 127, 128, 255, 256, 16383, 16384, 0x1f_ffff, 0x20_0000, 0x0fff_ffff, 0x1000_0000, 0x7fff_ffff, 0x8000_0000, 0xffff_fffe, 0xffff_ffff];
const S32_EDGES = [0, 1, -1, 63, 64, -64, -65, 127, 128, -128, -129, 8191, 8192, -8192, -8193, 0x7fff_ffff, -0x8000_0000, -0x7fff_ffff, 123456, -123456];
const S64_EDGES = [
  0n, 1n, -1n, 63n, 64n, -64n, -65n, 127n, 128n, -128n, -129n,
  0x7fff_ffffn, 0x8000_0000n, -0x8000_0000n, -0x8000_0001n, 0xffff_ffffn, 0x1_0000_0000n, -0x1_0000_0000n,
  (1n << 53n) - 1n, 1n << 53n, -(1n << 53n), (1n << 56n) - 1n, 1n << 62n, -(1n << 62n), -(1n << 62n) - 1n,
  0x7fff_ffff_ffff_ffffn, -0x8000_0000_0000_0000n, 0x0123_4567_89ab_cdefn, -0x0123_4567_89ab_cdefn,
];

describe('ByteBuffer LEB128', () => {
  it('matches the spec examples byte for byte', () => {
    expect([...enc((b) => b.u32leb(0))]).toEqual([0x00]);
    expect([...enc((b) => b.u32leb(127))]).toEqual([0x7f]);
    expect([...enc((b) => b.u32leb(128))]).toEqual([0x80, 0x01]);
    expect([...enc((b) => b.u32leb(624485))]).toEqual([0xe5, 0x8e, 0x26]);
    expect([...enc((b) => b.u32leb(0xffff_ffff))]).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect([...enc((b) => b.s32leb(-1))]).toEqual([0x7f]);
    expect([...enc((b) => b.s32leb(63))]).toEqual([0x3f]);
    expect([...enc((b) => b.s32leb(64))]).toEqual([0xc0, 0x00]);
    expect([...enc((b) => b.s32leb(-64))]).toEqual([0x40]);
    expect([...enc((b) => b.s32leb(-65))]).toEqual([0xbf, 0x7f]);
    expect([...enc((b) => b.s32leb(-123456))]).toEqual([0xc0, 0xbb, 0x78]);
    expect([...enc((b) => b.s32leb(-0x8000_0000))]).toEqual([0x80, 0x80, 0x80, 0x80, 0x78]);
    expect([...enc((b) => b.s64leb(-0x8000_0000_0000_0000n))]).toEqual([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f]);
    expect([...enc((b) => b.s64leb(0x7fff_ffff_ffff_ffffn))]).toEqual([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00]);
  });

  it('byteU32leb writes the byte then the same LEB as u32leb', () => {
    for (const v of U32_EDGES) {
      const bytes = enc((b) => b.byteU32leb(0x20, v));
      expect(bytes[0]).toBe(0x20);
      expect(bytes.subarray(1)).toEqual(enc((b) => b.u32leb(v)));
    }
  });

  it('u32leb round-trips the edges in the minimal length', () => {
    for (const v of U32_EDGES) {
      const bytes = enc((b) => b.u32leb(v));
      const d = decodeUnsigned(bytes);
      expect(d.value).toBe(BigInt(v));
      expect(d.next).toBe(bytes.length);
      expect(bytes.length).toBe(minUnsignedLen(BigInt(v)));
      expect(u32lebSize(v)).toBe(bytes.length);
    }
  });

  it('s32leb round-trips the edges in the minimal length, and takes unsigned patterns', () => {
    for (const v of S32_EDGES) {
      const bytes = enc((b) => b.s32leb(v));
      const d = decodeSigned(bytes);
      expect(d.value).toBe(BigInt(v));
      expect(d.next).toBe(bytes.length);
      expect(bytes.length).toBe(minSignedLen(BigInt(v)));
    }
    expect(decodeSigned(enc((b) => b.s32leb(0xffff_ffff))).value).toBe(-1n);
    expect(decodeSigned(enc((b) => b.s32leb(0x8000_0000))).value).toBe(-0x8000_0000n);
  });

  it('s64leb, s64lebHiLo and s64lebNumber agree with the decoder on the edges', () => {
    for (const v of S64_EDGES) {
      const bytes = enc((b) => b.s64leb(v));
      const d = decodeSigned(bytes);
      expect(d.value, `s64leb ${v}`).toBe(v);
      expect(d.next).toBe(bytes.length);
      expect(bytes.length).toBe(minSignedLen(v));
      const hi = Number(BigInt.asIntN(32, v >> 32n));
      const lo = Number(BigInt.asUintN(32, v));
      expect(enc((b) => b.s64lebHiLo(hi, lo)), `hi/lo ${v}`).toEqual(bytes);
      if (v >= -(1n << 53n) + 1n && v <= (1n << 53n) - 1n) {
        expect(enc((b) => b.s64lebNumber(Number(v))), `number ${v}`).toEqual(bytes);
      }
    }
  });

  it('s64leb takes unsigned 64-bit patterns as their signed value', () => {
    expect(decodeSigned(enc((b) => b.s64leb(0xffff_ffff_ffff_ffffn))).value).toBe(-1n);
    expect(decodeSigned(enc((b) => b.s64leb(0x8000_0000_0000_0000n))).value).toBe(-0x8000_0000_0000_0000n);
    expect(() => enc((b) => b.s64lebNumber(2 ** 60))).toThrow(RangeError);
  });

  it('round-trips random values (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff_ffff }), fc.integer({ min: -0x8000_0000, max: 0x7fff_ffff }), fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), (u, s, big) => {
        const bytes = enc((b) => {
          b.u32leb(u);
          b.s32leb(s);
          b.s64leb(big);
          b.s64lebHiLo(Number(BigInt.asIntN(32, big >> 32n)), Number(BigInt.asUintN(32, big)));
        });
        let d = decodeUnsigned(bytes, 0);
        expect(d.value).toBe(BigInt(u));
        d = decodeSigned(bytes, d.next);
        expect(d.value).toBe(BigInt(s));
        d = decodeSigned(bytes, d.next);
        expect(d.value).toBe(big);
        d = decodeSigned(bytes, d.next);
        expect(d.value).toBe(big);
        expect(d.next).toBe(bytes.length);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('ByteBuffer storage', () => {
  it('grows from a tiny capacity without losing bytes', () => {
    const b = new ByteBuffer(16);
    const n = 5000;
    for (let i = 0; i < n; i++) {
      b.byte(i & 0xff);
      b.u32leb(i * 977);
      b.s64leb(BigInt(i) * -0x1_0000_0001n);
    }
    const bytes = b.finish();
    expect(bytes.length).toBe(b.length);
    let pos = 0;
    for (let i = 0; i < n; i++) {
      expect(bytes[pos++]).toBe(i & 0xff);
      const u = decodeUnsigned(bytes, pos);
      expect(u.value).toBe(BigInt((i * 977) >>> 0));
      const s = decodeSigned(bytes, u.next);
      expect(s.value).toBe(BigInt(i) * -0x1_0000_0001n);
      pos = s.next;
    }
    expect(pos).toBe(bytes.length);
  });

  it('finish() returns an independent copy of exactly the written bytes; reset() empties', () => {
    const b = new ByteBuffer(16);
    b.bytes(new Uint8Array([1, 2, 3]));
    b.byte2(4, 5);
    const out = b.finish();
    expect([...out]).toEqual([1, 2, 3, 4, 5]);
    b.reset();
    expect(b.length).toBe(0);
    b.byte(9);
    expect([...out]).toEqual([1, 2, 3, 4, 5]);
    expect([...b.finish()]).toEqual([9]);
  });

  it('writes names as length-prefixed UTF-8', () => {
    expect([...enc((b) => b.name('env'))]).toEqual([3, 0x65, 0x6e, 0x76]);
    expect([...enc((b) => b.name(''))]).toEqual([0]);
    expect([...enc((b) => b.name('é€'))]).toEqual([5, 0xc3, 0xa9, 0xe2, 0x82, 0xac]);
  });

  it('writes floats little-endian', () => {
    expect([...enc((b) => b.f64(1.5))]).toEqual([0, 0, 0, 0, 0, 0, 0xf8, 0x3f]);
    expect([...enc((b) => b.f32(-2))]).toEqual([0, 0, 0, 0xc0]);
  });

  it('beginSized/endSized write a minimal size prefix and keep the contents', () => {
    for (const size of [0, 1, 127, 128, 16383, 16384, 70000]) {
      const b = new ByteBuffer(16);
      b.byte(0xaa);
      const mark = b.beginSized();
      for (let i = 0; i < size; i++) b.byte(i & 0xff);
      b.endSized(mark);
      b.byte(0xbb);
      const bytes = b.finish();
      expect(bytes[0]).toBe(0xaa);
      const d = decodeUnsigned(bytes, 1);
      expect(d.value).toBe(BigInt(size));
      expect(d.next).toBe(1 + u32lebSize(size));
      for (let i = 0; i < size; i++) if (bytes[d.next + i] !== (i & 0xff)) throw new Error(`byte ${i} of ${size}`);
      expect(bytes[d.next + size]).toBe(0xbb);
      expect(bytes.length).toBe(d.next + size + 1);
    }
  });
});
