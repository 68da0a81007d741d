// The jump cache: where indirect jumps (jalr) find their target's table slot from Wasm,
// without leaving compiled code. Direct-mapped on the target address, each entry is
// {tag: i64 target, context: i32, slot: i32}; see codegen/control.ts for the lookup.
import { JUMP_CACHE_ENTRIES, JUMP_CACHE_ENTRY_BYTES, JUMP_CACHE_OFFSET } from '../machine/layout.js';

/** A target address no jump can have: jalr clears bit 0. */
const INVALID_TAG = 1n;

export class JumpCache {
  readonly mask = JUMP_CACHE_ENTRIES - 1;
  private readonly tags: BigUint64Array;
  private readonly words: Int32Array;
  /** The whole cache with every tag invalid: a flush (after every sfence.vma) is one block copy. */
  private readonly invalid: Int32Array;
  fills = 0;

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
    const index = Number((target >> 1n) & BigInt(this.mask));
    this.tags[index * 2] = target;
    this.words[index * 4 + 2] = context;
    this.words[index * 4 + 3] = slot;
    this.fills++;
  }

  flush(): void {
    this.words.set(this.invalid);
  }
}
