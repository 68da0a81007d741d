// How the one WebAssembly.Memory is laid out. Guest RAM is backed by machine memory that
// starts after a reserved area for the hart state and the engines' tables (TLBs, jump
// cache), so those never move when RAM size changes.
import { STATE_BYTES } from './hart-state.js';

export const WASM_PAGE = 65536;
/** Byte offset of the hart state block. */
export const STATE_OFFSET = 0;
/** Byte offset where guest RAM's machine frames start. */
export const RAM_OFFSET = 16 * 1024 * 1024;
/** Guest-physical base of DRAM on the virt board. */
export const DRAM_BASE = 0x8000_0000;
export const DEFAULT_RAM_MIB = 128;
/** wasm32 linear memory is at most 4 GiB; the reserved area comes out of it. */
export const MAX_RAM_MIB = 4096 - RAM_OFFSET / (1024 * 1024) - 1;

if (STATE_OFFSET + STATE_BYTES > RAM_OFFSET) throw new Error('hart state overlaps RAM');
