// The fast interpreter's decoded-instruction cache: a direct-mapped table in linear memory,
// keyed by an instruction's bits (its 16 bits for a compressed one, else its 32), filled
// by src/isa's decoder, so decoding has one home and the interpreter reads fields already
// pulled apart. Decoding depends on the bits alone, so the cache never needs invalidating:
// self-modifying code simply fetches other bits.
//
// Entry (16 bytes):
//   +0  u32  the instruction bits (the tag)
//   +4  u8   Op
//   +5  u8   rd * 8      (for reads of rd: a CAS compare value)
//   +6  u16  rd * 8, or SLOT.sink * 8 when rd is x0 (where results are written)
//   +8  u8   rs1 * 8
//   +9  u8   rs2 * 8
//   +12 i32  the immediate
// Op.ILLEGAL is 0 and the bits 0 (c.unimp) decode as illegal, so the zero-filled table is
// already correct: every empty entry is the entry for bits 0.
import { decode } from '../../isa/decode.js';
import { Op } from '../../isa/opcodes.js';
import { SLOT } from '../../machine/hart-state.js';
import { DECODE_CACHE_BITS, DECODE_CACHE_ENTRIES, DECODE_CACHE_ENTRY_BYTES, DECODE_CACHE_OFFSET } from '../../machine/layout.js';

export const DECODED = { raw: 0, op: 4, rdRead: 5, rdWrite: 6, rs1: 8, rs2: 9, imm: 12 } as const;

/** The multiplier of the cache's hash (Knuth's, 2^32 / golden ratio). */
export const DECODE_HASH = 0x9e37_79b1;

if (Op.ILLEGAL !== 0 || decode(0).op !== Op.ILLEGAL) throw new Error('decode cache: an empty entry must read as illegal');

/** The byte address of the entry for `raw` (the interpreter computes the same in Wasm). */
export function decodeEntryAddress(raw: number): number {
  const index = Math.imul(raw, DECODE_HASH) >>> (32 - DECODE_CACHE_BITS);
  return DECODE_CACHE_OFFSET + index * DECODE_CACHE_ENTRY_BYTES;
}

export class DecodeCache {
  private readonly view: DataView;
  /** Entries filled (cache misses of the interpreter). */
  fills = 0;

  constructor(memory: WebAssembly.Memory) {
    this.view = new DataView(memory.buffer, DECODE_CACHE_OFFSET, DECODE_CACHE_ENTRIES * DECODE_CACHE_ENTRY_BYTES);
  }

  /** Decodes `raw` into the entry at `address` (what the interpreter asks on a miss). */
  fill(raw: number, address: number): void {
    const insn = decode(raw >>> 0);
    const v = this.view;
    const at = address - DECODE_CACHE_OFFSET;
    v.setUint32(at + DECODED.raw, raw >>> 0, true);
    v.setUint8(at + DECODED.op, insn.op);
    v.setUint8(at + DECODED.rdRead, insn.rd * 8);
    v.setUint16(at + DECODED.rdWrite, (insn.rd === 0 ? SLOT.sink : insn.rd) * 8, true);
    v.setUint8(at + DECODED.rs1, insn.rs1 * 8);
    v.setUint8(at + DECODED.rs2, insn.rs2 * 8);
    v.setInt32(at + DECODED.imm, insn.imm, true);
    this.fills++;
  }
}
