// How the one WebAssembly.Memory is laid out. Guest RAM is backed by machine memory that
// starts after a reserved area for the hart state and the engines' tables (TLBs, jump
// cache), so those never move when RAM size changes.
import { STATE_BYTES } from './hart-state.js';

export const WASM_PAGE = 65536;
/** Guest pages and machine frames are 4 KiB. */
export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;
/** Byte offset of the hart state block. */
export const STATE_OFFSET = 0;
/** The JIT's jump cache for indirect jumps (src/jit/jump-cache.ts). */
export const JUMP_CACHE_OFFSET = 0x1_0000;
export const JUMP_CACHE_ENTRIES = 4096;
export const JUMP_CACHE_ENTRY_BYTES = 16;
/** Entry counters of tier-1 fragments, for hot-region detection (i32 each). */
export const HOT_COUNTERS_OFFSET = 0x2_0000;
export const HOT_COUNTERS = 65536;
/** Page-table writes compiled code made inline under shadow paging, for the monitor to resync (src/mmu/shadow.ts). */
export const PT_WRITE_LOG_OFFSET = 0x6_0000;
export const PT_WRITE_LOG_ENTRIES = 1024;
/**
 * The fast interpreter's heat counters (i32 each), indexed by a hash of the guest pc of
 * a block it entered: when one reaches the compile threshold the block is compiled.
 */
export const HEAT_OFFSET = 0x7_0000;
export const HEAT_BITS = 14;
export const HEAT_ENTRIES = 1 << HEAT_BITS;
/**
 * The software TLB (src/mmu/tlb.ts): one table per privilege level (U, S, M) and access
 * kind (fetch, load, store).
 */
export const TLB_OFFSET = 0x10_0000;
export const TLB_MAX_ENTRIES = 4096;
export const TLB_ENTRY_BYTES = 16;
export const TLB_TABLES = 9;
/**
 * The fast interpreter's decoded-instruction cache (src/jit/fast-interp/decode-cache.ts),
 * keyed by the instruction's bits: decoding depends on nothing else, so every VM and
 * every address can share it.
 */
export const DECODE_CACHE_OFFSET = 0x20_0000;
export const DECODE_CACHE_BITS = 18;
export const DECODE_CACHE_ENTRIES = 1 << DECODE_CACHE_BITS;
export const DECODE_CACHE_ENTRY_BYTES = 16;
/** Byte offset where machine frames start: guest RAM's, then the monitor's own (G-stage tables). */
export const RAM_OFFSET = 16 * 1024 * 1024;
/** Guest-physical base of DRAM on the virt board. */
export const DRAM_BASE = 0x8000_0000;
export const DEFAULT_RAM_MIB = 128;
/**
 * wasm32 linear memory is at most 4 GiB; the reserved area and the monitor's frames
 * (at most 1/512 of RAM for the G-stage table, see monitorFrames) come out of it.
 */
export const MAX_RAM_MIB = 4096 - RAM_OFFSET / (1024 * 1024) - 16;

/** Machine frames the monitor keeps beyond guest RAM: a G-stage (Sv39x4) table for `ramPages` pages, with room to spare. */
export function monitorFrames(ramPages: number): number {
  return Math.ceil(ramPages / 512) + 16;
}

// The regions must not overlap; checked once at load time.
const REGIONS: [string, number, number][] = [
  ['hart state', STATE_OFFSET, STATE_BYTES],
  ['jump cache', JUMP_CACHE_OFFSET, JUMP_CACHE_ENTRIES * JUMP_CACHE_ENTRY_BYTES],
  ['hot counters', HOT_COUNTERS_OFFSET, HOT_COUNTERS * 4],
  ['page-table write log', PT_WRITE_LOG_OFFSET, 8 + PT_WRITE_LOG_ENTRIES * 4],
  ['heat counters', HEAT_OFFSET, HEAT_ENTRIES * 4],
  ['TLB', TLB_OFFSET, TLB_TABLES * TLB_MAX_ENTRIES * TLB_ENTRY_BYTES],
  ['decode cache', DECODE_CACHE_OFFSET, DECODE_CACHE_ENTRIES * DECODE_CACHE_ENTRY_BYTES],
  ['RAM', RAM_OFFSET, 1],
];
for (let i = 1; i < REGIONS.length; i++) {
  const [name, start] = REGIONS[i];
  const [prev, prevStart, prevSize] = REGIONS[i - 1];
  if (prevStart + prevSize > start) throw new Error(`memory layout: ${prev} overlaps ${name}`);
}
