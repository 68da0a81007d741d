// The software TLB that compiled code consults inline: direct-mapped tables in linear
// memory, one per privilege level (U, S, M) and access kind (fetch, load, store), each
// entry {tag: i64, addend: i64}. A load or store hit means
//   machine address = vaddr + addend   (wrapped to 32 bits)
// The tag is the virtual page; a lookup compares it with vaddr & ~(0xfff ^ (size - 1)),
// so a misaligned access never hits and takes the slow path (RVVM's trick). Pages that
// must not be accessed directly (devices, and for stores: pages holding translated code,
// write-protected guest page tables, the HTIF mailbox) are simply never entered.
//
// Fetch entries hold two 32-bit words instead of an addend: the low one is the machine
// addend for the fast interpreter's fetches (machine address = low 32 bits of vaddr +
// addend, wrapped), the high one the guest-physical page number, since the monitor finds
// code by guest-physical address (src/jit). Unlike loads and stores, fetches fill them
// with translation off too (the interpreter needs the machine address either way); the
// regime change that turns translation on or off flushes them all.
//
// Tables per privilege mean a trap or xRET needs no flush: code compiled for a privilege
// level uses that level's tables. The owner flushes everything when the translation
// regime changes (satp, MPRV/MPP, SUM, MXR) and one page per sfence.vma with an address.
import { TLB_ENTRY_BYTES, TLB_MAX_ENTRIES, TLB_OFFSET, TLB_TABLES } from '../machine/layout.js';
import { PRIV } from '../isa/csr-numbers.js';

/** A tag no lookup can produce: bit 11 is always cleared by the lookup mask. */
export const INVALID_TAG = 0x800n;
/**
 * Or-ed into the tag of a store entry for a shadowed guest page table: plain stores miss
 * it (they take the traced slow path), and only stores compiled with the in-TC
 * page-table-write form accept it (they log the write; codegen/memory.ts).
 */
export const PT_TLB_TAG = 0x400n;
export const PAGE_MASK = ~0xfffn;

export enum TlbKind { Fetch, Load, Store }
const KINDS = 3;
const MAX_SUPERPAGES = 8;
/** The table set of each privilege level (U, S, -, M). */
const SET_OF_PRIV = [0, 1, -1, 2];

export class Tlb {
  readonly mask: number;
  private readonly words: BigUint64Array;
  /** The same tables as 32-bit words, and an image of them all invalid: a flush copies it. */
  private readonly words32: Uint32Array;
  private readonly invalid: Uint32Array;
  private readonly tableWords: number;
  /**
   * The superpages entries were cut from since the last full flush, as [first address,
   * mask of the offset bits]: an sfence.vma for an address inside one must drop every
   * slice of it, which only a full flush finds. Past a few, any page flush is a full one.
   */
  private readonly superpages: [bigint, bigint][] = [];
  private superpagesOverflowed = false;
  /** Counters for --stats. */
  misses = 0;
  fills = 0;
  flushes = 0;
  pageFlushes = 0;

  constructor(memory: WebAssembly.Memory, readonly entries: number) {
    if (!Number.isInteger(entries) || entries < 1 || entries > TLB_MAX_ENTRIES || (entries & (entries - 1)) !== 0) {
      throw new RangeError(`TLB size must be a power of two from 1 to ${TLB_MAX_ENTRIES}, got ${entries}`);
    }
    this.mask = entries - 1;
    this.tableWords = (entries * TLB_ENTRY_BYTES) / 8;
    const bytes = TLB_TABLES * entries * TLB_ENTRY_BYTES;
    this.words = new BigUint64Array(memory.buffer, TLB_OFFSET, bytes / 8);
    this.words32 = new Uint32Array(memory.buffer, TLB_OFFSET, bytes / 4);
    // Flushes follow every satp write, so they must be cheap: one block copy, not a
    // BigInt store per entry.
    this.invalid = new Uint32Array(this.words32.length);
    new BigUint64Array(this.invalid.buffer).fill(INVALID_TAG);
    this.flush();
  }

  /** Byte offset in linear memory of the table for `kind` at privilege `priv` (what code is compiled with). */
  base(priv: number, kind: TlbKind): number {
    return TLB_OFFSET + this.table(priv, kind) * this.entries * TLB_ENTRY_BYTES;
  }

  private table(priv: number, kind: TlbKind): number {
    return SET_OF_PRIV[priv] * KINDS + kind;
  }

  flush(): void {
    this.words32.set(this.invalid);
    this.superpages.length = 0;
    this.superpagesOverflowed = false;
    this.flushes++;
  }

  /** Drops every store entry: a page just became one whose stores must take the slow path. */
  flushStores(): void {
    const tableWords32 = this.tableWords * 2;
    for (const priv of [PRIV.U, PRIV.S, PRIV.M]) {
      const at = this.table(priv, TlbKind.Store) * tableWords32;
      this.words32.set(this.invalid.subarray(at, at + tableWords32), at);
    }
    this.flushes++;
  }

  /** sfence.vma with an address: drops the entries for the page holding `vaddr`. */
  flushPage(vaddr: bigint): void {
    if (this.superpagesOverflowed || this.superpages.some(([first, mask]) => (vaddr & ~mask) === first)) {
      this.flush();
      return;
    }
    const vpage = vaddr & PAGE_MASK;
    const index = Number((vaddr >> 12n) & BigInt(this.mask));
    for (let table = 0; table < TLB_TABLES; table++) {
      const word = table * this.tableWords + 2 * index;
      if ((this.words[word] & PAGE_MASK) === vpage) this.words[word] = INVALID_TAG; // (with a page-table tag too)
    }
    this.pageFlushes++;
  }

  /**
   * Enters a page for loads or stores at `priv`: `vaddr` (any address in the page) maps
   * to the machine page at byte offset `machinePage`. `leafLevel`: the level of the leaf
   * the translation came from (above 0: a superpage). `tag`: PT_TLB_TAG for a shadowed
   * page table's store entry.
   */
  fill(priv: number, kind: TlbKind.Load | TlbKind.Store, vaddr: bigint, machinePage: number, leafLevel: number, tag = 0n): void {
    const vpage = vaddr & PAGE_MASK;
    this.set(priv, kind, vpage | tag, BigInt.asUintN(64, BigInt(machinePage) - vpage));
    if (leafLevel > 0) this.noteSuperpage(vaddr, leafLevel);
  }

  /**
   * Enters a page for fetches at `priv`: `vaddr`'s page is the guest-physical page at
   * `guestPage` (an address), backed by the machine page at byte offset `machinePage`.
   */
  fillFetch(priv: number, vaddr: bigint, guestPage: number, leafLevel: number, machinePage: number): void {
    const vpage = vaddr & PAGE_MASK;
    const addend = (machinePage - Number(vpage & 0xffff_f000n)) >>> 0;
    this.set(priv, TlbKind.Fetch, vpage, (BigInt(Math.floor(guestPage / 4096)) << 32n) | BigInt(addend));
    if (leafLevel > 0) this.noteSuperpage(vaddr, leafLevel);
  }

  private noteSuperpage(vaddr: bigint, leafLevel: number): void {
    const mask = (1n << BigInt(12 + 9 * leafLevel)) - 1n;
    const first = vaddr & ~mask;
    if (this.superpages.some(([f]) => f === first)) return;
    if (this.superpages.length >= MAX_SUPERPAGES) this.superpagesOverflowed = true;
    else this.superpages.push([first, mask]);
  }

  /** The guest-physical address of a fetch from `vaddr` at `priv` if the TLB holds it, else -1. */
  lookupFetch(priv: number, vaddr: bigint): number {
    const index = Number((vaddr >> 12n) & BigInt(this.mask));
    const word = this.table(priv, TlbKind.Fetch) * this.tableWords + 2 * index;
    if (this.words[word] !== (vaddr & PAGE_MASK)) return -1;
    return Number(this.words[word + 1] >> 32n) * 4096 + Number(vaddr & 0xfffn);
  }

  private set(priv: number, kind: TlbKind, tag: bigint, value: bigint): void {
    const index = Number((tag >> 12n) & BigInt(this.mask));
    const word = this.table(priv, kind) * this.tableWords + 2 * index;
    this.words[word] = tag;
    this.words[word + 1] = value;
    this.fills++;
  }
}
