// A small translation cache in front of an MMU mode's translate(), for the monitor's own
// accesses: the interpreter that runs cold code and emulates trapped instructions. Without
// it every load, store and fetch it makes is a full page walk (a two-dimensional one under
// ept): a Linux boot made millions of walks for 12,000 TLB misses in compiled code.
//
// It keeps successful translations only (faults are raised afresh every time), by
// privilege, access kind and virtual page, and forgets them all whenever the hart's
// translation epoch moves: a privilege change, a satp or status change, an sfence.vma.
// That is the TLB's own contract: a page-table update takes effect at the next sfence.vma.
import type { Hart } from '../machine/hart.js';
import { PAGE_SHIFT, PAGE_SIZE } from '../machine/layout.js';
import type { Translator } from './guest-memory.js';

/** Entries per privilege level and access kind (direct-mapped by virtual page). */
const ENTRIES = 64;
/** Privilege levels (U, S, reserved, M) times access kinds (fetch, load, store). */
const TABLES = 4 * 3;
const SHIFT = BigInt(PAGE_SHIFT);
const OFFSET_MASK = BigInt(PAGE_SIZE - 1);

export class TranslationMemo {
  /** Virtual page number + 1 of each entry (0 = empty): exact in a double up to 2^53. */
  private readonly tags = new Float64Array(ENTRIES * TABLES);
  /** Guest-physical address of the page each entry maps. */
  private readonly pages = new Float64Array(ENTRIES * TABLES);
  private epoch = -1;
  hits = 0;

  constructor(private readonly hart: Hart, private readonly walk: Translator) {}

  readonly translate: Translator = (vaddr, access, priv, satp, mstatus) => {
    if (this.hart.translationEpoch !== this.epoch) {
      this.tags.fill(0);
      this.epoch = this.hart.translationEpoch;
    }
    const vpn = Number(vaddr >> SHIFT);
    const index = (priv * 3 + access) * ENTRIES + (vpn & (ENTRIES - 1));
    const offset = Number(vaddr & OFFSET_MASK);
    if (this.tags[index] === vpn + 1) {
      this.hits++;
      return this.pages[index] + offset;
    }
    const gpa = this.walk(vaddr, access, priv, satp, mstatus);
    this.tags[index] = vpn + 1;
    this.pages[index] = gpa - offset;
    return gpa;
  };
}
