// The jump cache: where generated code (compiled fragments and the fast interpreter)
// finds the table slot of a jump target that is not linked directly (indirect jumps, and
// under paging jumps to another page) from Wasm, without leaving it. Entries are {tag:
// i64 target, context: i32, slot: i32}: the context (privilege and satp) makes an entry
// mean "this virtual address, in this address space, runs the code in this slot", so it
// caches a translation, and an sfence.vma must drop it.
//
// The index is the target's halfword number with higher bits folded in: every target in
// an aligned 8 KiB region has an entry of its own. (It once kept a page's entries in one
// block of 64, as QEMU's tb_jmp_cache does, so that a page flush cleared one block; but
// then targets 128 bytes apart collided, and an interpreter's dispatch loop, whose
// handlers sit in one page, missed on most of its jumps: bytecode ran at a third of its
// speed.) A page flush searches the whole cache instead; it comes with an sfence.vma,
// which is rare next to jumps.
import { JUMP_CACHE_ENTRIES, JUMP_CACHE_ENTRY_BYTES, JUMP_CACHE_OFFSET } from '../machine/layout.js';

/** A target address no jump can have: jalr clears bit 0. */
const INVALID_TAG = 1n;
/** The index is ((target >>> 1) ^ (target >>> JUMP_CACHE_FOLD)) masked. */
export const JUMP_CACHE_FOLD = 13;

/** The entry index of `target`'s low 32 bits (codegen/fragment.ts computes the same in Wasm). */
export function jumpCacheIndex(target: number): number {
  return ((target >>> 1) ^ (target >>> JUMP_CACHE_FOLD)) & (JUMP_CACHE_ENTRIES - 1);
}

export class JumpCache {
  private readonly tags: BigUint64Array;
  private readonly words: Int32Array;
  /** The whole cache with every tag invalid: a full flush is one block copy. */
  private readonly invalid: Int32Array;
  fills = 0;
  flushes = 0;

  constructor(memory: WebAssembly.Memory) {
    const bytes = JUMP_CACHE_ENTRIES * JUMP_CACHE_ENTRY_BYTES;
    this.tags = new BigUint64Array(memory.buffer, JUMP_CACHE_OFFSET, bytes / 8);
    this.words = new Int32Array(memory.buffer, JUMP_CACHE_OFFSET, bytes / 4);
    this.invalid = new Int32Array(bytes / 4);
    const tags = new BigUint64Array(this.invalid.buffer);
    for (let i = 0; i < tags.length; i += 2) tags[i] = INVALID_TAG;
    this.flush();
  }

  set(target: bigint, context: number, slot: number): void {
    const index = jumpCacheIndex(Number(target & 0xffff_ffffn));
    this.tags[index * 2] = target;
    this.words[index * 4 + 2] = context;
    this.words[index * 4 + 3] = slot;
    this.fills++;
  }

  flush(): void {
    this.words.set(this.invalid);
    this.flushes++;
  }

  /** Drops every entry for targets in the page of `vaddr`. */
  flushPage(vaddr: bigint): void {
    const words = this.words;
    const lo = Number(vaddr & 0xffff_f000n) | 0;
    const hi = Number((vaddr >> 32n) & 0xffff_ffffn) | 0;
    for (let w = 0; w < words.length; w += 4) {
      if ((words[w] & ~0xfff) === lo && words[w + 1] === hi) {
        words[w] = 1; // INVALID_TAG
        words[w + 1] = 0;
      }
    }
  }
}
