// What the JIT knows of the guest's current address space: the privilege level and the
// translation regime it runs code under, the TLB and jump-cache flushes that follow
// their changes, and fetch translation (through the fetch TLB, then the MMU mode).
//
// Two identities come out of it:
//   code class  privilege level + paging on/off. Compiled code depends on it (privilege
//               checks, which TLB tables it reads), and a slot is a (code class, virtual
//               address, guest-physical address) triple, so a fragment is shared by
//               every address space that maps its code at the same place: a forked
//               child or a second process runs its parent's code without a recompile,
//               and an sfence.vma or satp write never unlinks anything.
//   context     privilege level + satp: the jump cache's tag, since its entries cache a
//               translation (this virtual address runs the code in this slot).
import type { Bus } from '../machine/bus.js';
import type { Hart } from '../machine/hart.js';
import { MSTATUS } from '../isa/csr-numbers.js';
import { SLOT } from '../machine/hart-state.js';
import { STATUS_WRITE } from '../machine/csr-file.js';
import type { Mmu } from '../mmu/mmu.js';
import { Access, isTranslated } from '../mmu/sv39.js';
import type { Tlb } from '../mmu/tlb.js';
import type { JumpCache } from './jump-cache.js';

export class AddressSpace {
  /** Privilege level, code class and jump-cache context of the code running now. */
  priv = 0;
  paged = false;
  codeClass = 0;
  context = 0;
  /** The mstatus bits data translation used when these were taken (MPRV, MPP, SUM, MXR). */
  status = 0n;
  private epoch = -1;
  private regimeEpoch = -1;
  /** The mstatus bits data translation depends on, as the TLB's entries were filled under. */
  private dataRegime = -1n;
  private readonly contexts = new Map<string, number>();
  private readonly s: BigUint64Array;
  /** Counters for --stats. */
  pageFences = 0;
  fullFences = 0;

  constructor(private readonly hart: Hart, private readonly bus: Bus, private readonly tlb: Tlb, private readonly jumpCache: JumpCache,
    private readonly mmu: Mmu, private readonly i32: Int32Array) {
    this.s = hart.state;
  }

  /** True while nothing changed since the last sync(). */
  get current(): boolean {
    return this.hart.translationEpoch === this.epoch;
  }

  /** Follows privilege, regime and sfence.vma changes: flushes, then the current identities. */
  sync(): void {
    const hart = this.hart;
    if (hart.translationEpoch === this.epoch) return;
    this.epoch = hart.translationEpoch;
    const regime = dataRegime(this.s[SLOT.mstatus]);
    if (hart.regimeEpoch !== this.regimeEpoch || regime !== this.dataRegime) {
      // A CSR write flags a change itself; a trap or xRET can change MPP or clear MPRV
      // without one (an M-mode trap taken with MPRV set changes what M's loads translate).
      this.regimeEpoch = hart.regimeEpoch;
      this.dataRegime = regime;
      this.tlb.flush();
    }
    const fences = hart.pendingFences;
    for (const vaddr of fences) {
      if (vaddr === null) {
        this.tlb.flush();
        this.jumpCache.flush();
        this.fullFences++;
      } else {
        this.tlb.flushPage(vaddr);
        this.jumpCache.flushPage(vaddr);
        this.pageFences++;
      }
      this.mmu.fence(vaddr);
    }
    fences.length = 0;
    const s = this.s;
    const priv = Number(s[SLOT.priv]);
    const satp = s[SLOT.satp];
    this.priv = priv;
    this.status = s[SLOT.mstatus] & STATUS_WRITE.translationBits;
    this.paged = isTranslated(satp, priv);
    this.codeClass = priv * 2 + (this.paged ? 1 : 0);
    const key = this.paged ? `${priv}:${satp}` : `bare:${priv}`;
    let id = this.contexts.get(key);
    if (id === undefined) {
      id = this.contexts.size;
      this.contexts.set(key, id);
    }
    this.context = id;
    this.i32[SLOT.context * 2] = id;
  }

  /**
   * True when all that changed since sync() is sfence.vma of addresses outside the page
   * of `pc`: code running in that page may carry on (after a sync()), since its own
   * mapping is untouched.
   */
  onlyFencedElsewhere(pc: bigint): boolean {
    const hart = this.hart;
    const fences = hart.pendingFences;
    if (hart.regimeEpoch !== this.regimeEpoch || fences.length === 0) return false;
    const s = this.s;
    if (Number(s[SLOT.priv]) !== this.priv || (s[SLOT.mstatus] & STATUS_WRITE.translationBits) !== this.status) return false;
    const page = pc >> 12n;
    return fences.every((vaddr) => vaddr !== null && vaddr >> 12n !== page);
  }

  /**
   * The guest-physical address of a fetch at `pc` in the current address space, or -1
   * when it is not RAM (nothing to compile: the monitor's fetch raises the fault). Throws
   * the fetch's page fault as a TrapSignal.
   */
  fetchAddress(pc: bigint): number {
    if (!this.paged) {
      const gpa = pc < 2n ** 53n ? Number(pc) : -1;
      return gpa >= 0 && this.bus.ramOffset(gpa, 2) >= 0 ? gpa : -1;
    }
    const hit = this.tlb.lookupFetch(this.priv, pc);
    if (hit >= 0) return hit;
    this.tlb.misses++;
    const s = this.s;
    const gpa = this.mmu.translate(pc, Access.Fetch, this.priv, s[SLOT.satp], s[SLOT.mstatus]);
    if (this.mmu.machinePage < 0) return -1;
    this.tlb.fillFetch(this.priv, pc, gpa - (gpa & 0xfff), this.mmu.leafLevel, this.mmu.machinePage);
    return gpa;
  }
}

/** SUM, MXR, and MPP while MPRV is set: what data translation depends on beyond satp and the privilege level. */
function dataRegime(mstatus: bigint): bigint {
  const mprv = mstatus & MSTATUS.MPRV;
  return (mstatus & (MSTATUS.SUM | MSTATUS.MXR)) | (mprv !== 0n ? mprv | (mstatus & MSTATUS.MPP) : 0n);
}
