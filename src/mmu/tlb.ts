// The software TLB that compiled code consults inline: direct-mapped, one table for loads
// and one for stores, each entry {tag: i64, addend: i64} in linear memory. A hit means
//   machine address = vaddr + addend   (wrapped to 32 bits)
// The tag is the virtual page; a lookup compares it with vaddr & ~(0xfff ^ (size - 1)),
// so a misaligned access never hits and takes the slow path (RVVM's trick). Pages that
// must not be accessed directly (devices, pages holding translated code for stores, the
// HTIF mailbox) are simply never entered. Every entry is valid for the current
// translation regime only: the owner flushes it whenever hart.translationEpoch moves.
import { DRAM_BASE, RAM_OFFSET, TLB_ENTRY_BYTES, TLB_MAX_ENTRIES, TLB_OFFSET } from '../machine/layout.js';

/** A tag no lookup can produce: bit 11 is always cleared by the lookup mask. */
export const INVALID_TAG = 0x800n;
export const PAGE_MASK = ~0xfffn;

export enum TlbKind { Load, Store }

export class Tlb {
  /** Byte offsets of the two tables in linear memory. */
  readonly loadBase = TLB_OFFSET;
  readonly storeBase: number;
  readonly mask: number;
  private readonly words: BigUint64Array;
  /** The same tables as 32-bit words, and an image of both tables all invalid: a flush copies it. */
  private readonly words32: Uint32Array;
  private readonly invalid: Uint32Array;
  /** Counters for --stats. */
  fills = 0;
  flushes = 0;

  constructor(memory: WebAssembly.Memory, readonly entries: number) {
    if (entries < 1 || entries > TLB_MAX_ENTRIES || (entries & (entries - 1)) !== 0) {
      throw new RangeError(`TLB size must be a power of two from 1 to ${TLB_MAX_ENTRIES}, got ${entries}`);
    }
    this.mask = entries - 1;
    this.storeBase = TLB_OFFSET + entries * TLB_ENTRY_BYTES;
    this.words = new BigUint64Array(memory.buffer, TLB_OFFSET, (2 * entries * TLB_ENTRY_BYTES) / 8);
    this.words32 = new Uint32Array(memory.buffer, TLB_OFFSET, (2 * entries * TLB_ENTRY_BYTES) / 4);
    // Flushes follow every privilege change, so they must be cheap: one block copy, not a
    // BigInt store per entry (that was most of a syscall round trip's time).
    this.invalid = new Uint32Array(this.words32.length);
    new BigUint64Array(this.invalid.buffer).fill(INVALID_TAG);
    this.flush();
  }

  flush(): void {
    this.words32.set(this.invalid);
    this.flushes++;
  }

  flushStores(): void {
    const half = this.words32.length / 2;
    this.words32.set(this.invalid.subarray(half), half);
    this.flushes++;
  }

  /** Enters a RAM page: `vaddr` (any address in the page) maps to guest-physical `paddr`'s page. */
  fill(kind: TlbKind, vaddr: bigint, paddr: number): void {
    const vpage = vaddr & PAGE_MASK;
    const machinePage = BigInt(RAM_OFFSET + ((paddr - DRAM_BASE) & ~0xfff));
    const index = Number((vaddr >> 12n) & BigInt(this.mask));
    const word = 2 * (kind === TlbKind.Store ? this.entries + index : index);
    this.words[word] = vpage;
    this.words[word + 1] = BigInt.asUintN(64, machinePage - vpage);
    this.fills++;
  }
}
