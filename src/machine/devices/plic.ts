// The platform-level interrupt controller, laid out as on QEMU's virt board: sources
// 1..95, context 0 = hart 0 M-mode (drives mip.MEIP), context 1 = hart 0 S-mode (drives
// the external half of mip.SEIP). Sources are level-triggered: a claimed source stays
// quiet until completed, then fires again if its line is still high.
import { IRQ } from '../../isa/csr-numbers.js';
import type { AccessSize, MmioDevice } from '../bus.js';
import type { Hart } from '../hart.js';

export const PLIC_BASE = 0x0c00_0000;
export const PLIC_SOURCES = 96;
const CONTEXTS = 2;
const PRIORITY_MAX = 7;
const PENDING = 0x1000;
const ENABLE = 0x2000;
const ENABLE_STRIDE = 0x80;
const CONTEXT_BASE = 0x20_0000;
const CONTEXT_STRIDE = 0x1000;
const WORDS = PLIC_SOURCES / 32;

export class Plic implements MmioDevice {
  readonly name = 'plic';
  readonly base = PLIC_BASE;
  readonly size = 0x400_0000;
  private readonly priority = new Uint32Array(PLIC_SOURCES);
  private readonly level = new Uint8Array(PLIC_SOURCES);
  private readonly pending = new Uint8Array(PLIC_SOURCES);
  private readonly claimed = new Uint8Array(PLIC_SOURCES);
  private readonly enable = Array.from({ length: CONTEXTS }, () => new Uint32Array(WORDS));
  private readonly threshold = new Uint32Array(CONTEXTS);

  constructor(private readonly hart: Hart) {}

  /** A device's interrupt line (source 1..95). */
  setLevel(source: number, high: boolean): void {
    this.level[source] = high ? 1 : 0;
    if (high && !this.claimed[source]) this.pending[source] = 1;
    if (!high) this.pending[source] = 0;
    this.update();
  }

  read(offset: number, size: AccessSize): bigint {
    if (size !== 4 || offset & 3) return 0n;
    return BigInt(this.readWord(offset) >>> 0);
  }

  write(offset: number, size: AccessSize, value: bigint): void {
    if (size !== 4 || offset & 3) return;
    this.writeWord(offset, Number(value & 0xffff_ffffn));
    this.update();
  }

  private readWord(offset: number): number {
    if (offset < PENDING) {
      const src = offset >> 2;
      return src < PLIC_SOURCES ? this.priority[src] : 0;
    }
    if (offset < PENDING + WORDS * 4 && offset >= PENDING) return this.packed(this.pending, (offset - PENDING) >> 2);
    if (offset >= ENABLE && offset < ENABLE + CONTEXTS * ENABLE_STRIDE) {
      const ctx = (offset - ENABLE) / ENABLE_STRIDE | 0;
      const word = ((offset - ENABLE) % ENABLE_STRIDE) >> 2;
      return word < WORDS ? this.enable[ctx][word] : 0;
    }
    if (offset >= CONTEXT_BASE && offset < CONTEXT_BASE + CONTEXTS * CONTEXT_STRIDE) {
      const ctx = (offset - CONTEXT_BASE) / CONTEXT_STRIDE | 0;
      const reg = (offset - CONTEXT_BASE) % CONTEXT_STRIDE;
      if (reg === 0) return this.threshold[ctx];
      if (reg === 4) return this.claim(ctx);
    }
    return 0;
  }

  private writeWord(offset: number, v: number): void {
    if (offset < PENDING) {
      const src = offset >> 2;
      if (src > 0 && src < PLIC_SOURCES) this.priority[src] = Math.min(v >>> 0, PRIORITY_MAX);
      return;
    }
    if (offset >= ENABLE && offset < ENABLE + CONTEXTS * ENABLE_STRIDE) {
      const ctx = (offset - ENABLE) / ENABLE_STRIDE | 0;
      const word = ((offset - ENABLE) % ENABLE_STRIDE) >> 2;
      // Source 0 does not exist, so its enable bit is hard-wired to zero.
      if (word < WORDS) this.enable[ctx][word] = (word === 0 ? v & ~1 : v) >>> 0;
      return;
    }
    if (offset >= CONTEXT_BASE && offset < CONTEXT_BASE + CONTEXTS * CONTEXT_STRIDE) {
      const ctx = (offset - CONTEXT_BASE) / CONTEXT_STRIDE | 0;
      const reg = (offset - CONTEXT_BASE) % CONTEXT_STRIDE;
      if (reg === 0) this.threshold[ctx] = Math.min(v >>> 0, PRIORITY_MAX);
      else if (reg === 4) this.complete(ctx, v >>> 0);
    }
  }

  private packed(bits: Uint8Array, word: number): number {
    let v = 0;
    for (let i = 0; i < 32; i++) if (bits[word * 32 + i]) v |= 1 << i;
    return v >>> 0;
  }

  private enabled(ctx: number, src: number): boolean {
    return ((this.enable[ctx][src >> 5] >>> (src & 31)) & 1) === 1;
  }

  /** The highest-priority pending, enabled source above the threshold (lowest id wins ties), or 0. */
  private best(ctx: number): number {
    let best = 0;
    let bestPriority = this.threshold[ctx];
    for (let src = 1; src < PLIC_SOURCES; src++) {
      if (this.pending[src] && this.enabled(ctx, src) && this.priority[src] > bestPriority) {
        best = src;
        bestPriority = this.priority[src];
      }
    }
    return best;
  }

  private claim(ctx: number): number {
    const src = this.best(ctx);
    if (src !== 0) {
      this.pending[src] = 0;
      this.claimed[src] = 1;
    }
    this.update();
    return src;
  }

  private complete(ctx: number, src: number): void {
    if (src === 0 || src >= PLIC_SOURCES || !this.enabled(ctx, src)) return;
    this.claimed[src] = 0;
    if (this.level[src]) this.pending[src] = 1;
  }

  private update(): void {
    this.hart.setInterruptLine(IRQ.MEI, this.best(0) !== 0);
    this.hart.setExternalSupervisorInterrupt(this.best(1) !== 0);
  }
}
