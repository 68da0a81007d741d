// The jump cache: where compiled code finds the table slot of a jump target that is not
// linked directly (indirect jumps, and under paging jumps to another page) from Wasm,
// without leaving compiled code. Entries are {tag: i64 target, context: i32, slot: i32}:
// the context (privilege and satp) makes an entry mean "this virtual address, in this
// address space, runs the code in this slot", so it caches a translation, and an
// sfence.vma must drop it. As in QEMU's tb_jmp_cache, the index keeps the entries of one
// page together (64 per page, by the page number's low bits), so an sfence.vma with an
// address clears one block instead of searching the whole cache.
import { JUMP_CACHE_ENTRIES, JUMP_CACHE_ENTRY_BYTES, JUMP_CACHE_OFFSET } from '../machine/layout.js';

/** A target address no jump can have: jalr clears bit 0. */
const INVALID_TAG = 1n;
/** Entries per page block: the index is (page low bits) << PAGE_BLOCK_BITS | (offset >> 1) low bits. */
export const PAGE_BLOCK_BITS = 6;
const BLOCK = 1 << PAGE_BLOCK_BITS;

/** The entry index of `target` (codegen/fragment.ts computes the same in Wasm). */
export function jumpCacheIndex(target: number): number {
  return ((target >>> (12 - PAGE_BLOCK_BITS)) & (JUMP_CACHE_ENTRIES - BLOCK)) | ((target >>> 1) & (BLOCK - 1));
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

  /** Drops every entry for targets in the page of `vaddr` (with those of pages sharing its block). */
  flushPage(vaddr: bigint): void {
    const first = jumpCacheIndex(Number(vaddr & 0xffff_f000n)) * 4;
    this.words.set(this.invalid.subarray(first, first + BLOCK * 4), first);
  }
}
