// Loads and stores with memarg offsets against an imported WebAssembly.Memory, checked
// through a DataView on the same buffer.

import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CodeBuilder, I32, I64, ModuleBuilder } from '../../../src/jit/wasm/index.js';
import { instantiate, type Exports } from './helpers.js';

type LoadOp = 'i32Load' | 'i64Load' | 'i32Load8S' | 'i32Load8U' | 'i32Load16S' | 'i32Load16U' | 'i64Load8S' | 'i64Load8U' | 'i64Load16S' | 'i64Load16U' | 'i64Load32S' | 'i64Load32U';
type StoreOp = 'i32Store' | 'i64Store' | 'i32Store8' | 'i32Store16' | 'i64Store8' | 'i64Store16' | 'i64Store32';

/** What each load should read at a byte address, through DataView. */
const LOADS: [LoadOp, 'i32' | 'i64', (dv: DataView, a: number) => number | bigint][] = [
  ['i32Load', 'i32', (dv, a) => dv.getInt32(a, true)],
  ['i64Load', 'i64', (dv, a) => dv.getBigInt64(a, true)],
  ['i32Load8S', 'i32', (dv, a) => dv.getInt8(a)],
  ['i32Load8U', 'i32', (dv, a) => dv.getUint8(a)],
  ['i32Load16S', 'i32', (dv, a) => dv.getInt16(a, true)],
  ['i32Load16U', 'i32', (dv, a) => dv.getUint16(a, true)],
  ['i64Load8S', 'i64', (dv, a) => BigInt(dv.getInt8(a))],
  ['i64Load8U', 'i64', (dv, a) => BigInt(dv.getUint8(a))],
  ['i64Load16S', 'i64', (dv, a) => BigInt(dv.getInt16(a, true))],
  ['i64Load16U', 'i64', (dv, a) => BigInt(dv.getUint16(a, true))],
  ['i64Load32S', 'i64', (dv, a) => BigInt(dv.getInt32(a, true))],
  ['i64Load32U', 'i64', (dv, a) => BigInt(dv.getUint32(a, true))],
];
const STORES: [StoreOp, 'i32' | 'i64', number][] = [
  ['i32Store', 'i32', 4],
  ['i64Store', 'i64', 8],
  ['i32Store8', 'i32', 1],
  ['i32Store16', 'i32', 2],
  ['i64Store8', 'i64', 1],
  ['i64Store16', 'i64', 2],
  ['i64Store32', 'i64', 4],
];
const OFFSETS = [0, 16, 0x1_0003]; // the last one reaches into the second page

let memory: WebAssembly.Memory;
let ex: Exports;

beforeAll(async () => {
  memory = new WebAssembly.Memory({ initial: 2, maximum: 4 });
  const mb = new ModuleBuilder();
  mb.importMemory('env', 'mem', 2, 4);
  for (const [op, ty] of LOADS) {
    const t = mb.addType([I32], [ty === 'i32' ? I32 : I64]);
    for (const off of OFFSETS) {
      const cb = new CodeBuilder([I32]).localGet(0)[op](off);
      mb.exportFunction(`${op}@${off}`, mb.addFunction(t, cb.finish()));
    }
    // Alignment hint 0 (byte aligned) must give the same results.
    mb.exportFunction(`${op}@a0`, mb.addFunction(t, new CodeBuilder([I32]).localGet(0)[op](16, 0).finish()));
  }
  for (const [op, ty] of STORES) {
    const t = mb.addType([I32, ty === 'i32' ? I32 : I64], []);
    for (const off of OFFSETS) {
      const cb = new CodeBuilder([I32, ty === 'i32' ? I32 : I64]).localGet(0).localGet(1)[op](off);
      mb.exportFunction(`${op}@${off}`, mb.addFunction(t, cb.finish()));
    }
  }
  mb.exportFunction('size', mb.addFunction(mb.addType([], [I32]), new CodeBuilder().memorySize().finish()));
  mb.exportFunction('grow', mb.addFunction(mb.addType([I32], [I32]), new CodeBuilder([I32]).localGet(0).memoryGrow().finish()));
  ex = await instantiate(mb, { env: { mem: memory } });
});

/** A recognisable pattern with both high-bit and low-bit bytes, so sign extension shows. */
function fill(): void {
  const u8 = new Uint8Array(memory.buffer);
  for (let i = 0; i < u8.length; i++) u8[i] = (i * 0x9d + 0x47) & 0xff;
}

describe('loads', () => {
  beforeEach(fill);
  for (const [op, , ref] of LOADS) {
    it(op, () => {
      const dv = new DataView(memory.buffer);
      for (const off of OFFSETS) {
        for (const addr of [0, 1, 3, 8, 255, 1000, 0x8000 - 1]) {
          expect(ex[`${op}@${off}`]!(addr), `${op} ${addr}+${off}`).toEqual(ref(dv, addr + off));
        }
      }
      expect(ex[`${op}@a0`]!(5)).toEqual(ref(dv, 21));
    });
  }

  it('traps past the end of memory, offset included', () => {
    const end = memory.buffer.byteLength;
    expect(ex['i32Load@16']!(end - 20)).toBe(new DataView(memory.buffer).getInt32(end - 4, true));
    expect(() => ex['i32Load@16']!(end - 19)).toThrow(WebAssembly.RuntimeError);
    expect(() => ex['i64Load@65539']!(end - 0x1_0003 - 7)).toThrow(WebAssembly.RuntimeError);
    // The offset is added without wrapping: a huge address plus offset is out of bounds.
    expect(() => ex['i32Load8U@16']!(-1)).toThrow(WebAssembly.RuntimeError);
  });
});

describe('stores', () => {
  const values32 = [0, 1, -1, 0x1234_5678, -0x7654_3210, 0x80, 0x8000];
  const values64 = [0n, 1n, -1n, 0x0123_4567_89ab_cdefn, -0x7654_3210_fedc_ba98n, 0x80n, 0x8000_0000n];
  for (const [op, ty, size] of STORES) {
    it(op, () => {
      for (const off of OFFSETS) {
        for (const addr of [0, 3, 100, 4097]) {
          for (let k = 0; k < values32.length; k++) {
            new Uint8Array(memory.buffer).fill(0xee);
            const v = ty === 'i32' ? values32[k]! : values64[k]!;
            ex[`${op}@${off}`]!(addr, v);
            const u8 = new Uint8Array(memory.buffer);
            const a = addr + off;
            // Expected bytes: the low `size` bytes of v, little-endian.
            const big = BigInt.asUintN(64, BigInt(v));
            for (let i = 0; i < size; i++) expect(u8[a + i], `${op} ${addr}+${off} byte ${i}`).toBe(Number((big >> BigInt(8 * i)) & 0xffn));
            expect(u8[a - 1] ?? 0xee).toBe(0xee);
            expect(u8[a + size]).toBe(0xee);
          }
        }
      }
    });
  }

  it('store then load round-trips through Wasm', () => {
    ex['i64Store@16']!(40, -0x0123_4567_89ab_cdefn);
    expect(ex['i64Load@16']!(40)).toBe(-0x0123_4567_89ab_cdefn);
    expect(ex['i64Load32U@16']!(44)).toBe(BigInt.asUintN(32, -0x0123_4567_89ab_cdefn >> 32n));
  });
});

describe('memory.size and memory.grow', () => {
  it('reports and grows the imported memory', () => {
    expect(ex.size!()).toBe(memory.buffer.byteLength / 65536);
    const before = ex.size!();
    expect(ex.grow!(1)).toBe(before);
    expect(ex.size!()).toBe(before + 1);
    expect(memory.buffer.byteLength).toBe((before + 1) * 65536);
    expect(ex.grow!(100)).toBe(-1); // beyond the maximum of 4 pages
  });
});
