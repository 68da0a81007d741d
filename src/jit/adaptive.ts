// The adaptive retranslator's bookkeeping: traps counted per site (code context and
// address), the sites that crossed the threshold and how they are lowered now, and which
// fragments end at a site (they stop short of it, so they must be retranslated to
// include it). The engine does the retranslating and relinking.
import type { FragmentEntry } from './translation-cache.js';
import type { Lowering } from './lowering.js';

/** What an adapted site becomes: inline where an inline form exists, else the callout. */
export const ADAPTED_LOWERING: Lowering = 'intc';

export class AdaptiveSites {
  /** Traps counted at sites before they were adapted. */
  trapsBeforeAdaptation = 0;
  sitesAdapted = 0;
  /** Fragments recompiled because a site in or at the end of them was adapted. */
  retranslations = 0;
  private readonly traps = new Map<string, number>();
  private readonly adapted = new Set<string>();
  private readonly endingAt = new Map<string, Set<FragmentEntry>>();

  constructor(readonly threshold: number) {
    if (!Number.isInteger(threshold) || threshold < 1) throw new RangeError(`adaptive threshold must be a positive integer, not ${threshold}`);
  }

  /** The lowering of an adapted site, or undefined for one that follows the policy. */
  loweringOf(context: number, pc: bigint): Lowering | undefined {
    return this.adapted.size > 0 && this.adapted.has(key(context, pc)) ? ADAPTED_LOWERING : undefined;
  }

  /** Counts one trap at a site; true when this trap adapts it. */
  noteTrap(context: number, pc: bigint): boolean {
    const k = key(context, pc);
    if (this.adapted.has(k)) return false; // stale code still trapping: it is being replaced
    const n = (this.traps.get(k) ?? 0) + 1;
    this.trapsBeforeAdaptation++;
    if (n < this.threshold) {
      this.traps.set(k, n);
      return false;
    }
    this.traps.delete(k);
    this.adapted.add(k);
    this.sitesAdapted++;
    return true;
  }

  /** A fragment that ends before the site at `pc` (its unit leaves the instruction to the monitor). */
  noteEndsAt(context: number, pc: bigint, entry: FragmentEntry): void {
    const k = key(context, pc);
    let set = this.endingAt.get(k);
    if (!set) {
      set = new Set();
      this.endingAt.set(k, set);
    }
    set.add(entry);
  }

  /** The fragments ending at the site, forgotten (they are about to be replaced). */
  takeEndingAt(context: number, pc: bigint): FragmentEntry[] {
    const k = key(context, pc);
    const set = this.endingAt.get(k);
    this.endingAt.delete(k);
    return set ? [...set] : [];
  }

  /** The TC was flushed: no fragment is left to track (adapted sites stay adapted). */
  forgetFragments(): void {
    this.endingAt.clear();
  }
}

function key(context: number, pc: bigint): string {
  return `${context}:${pc.toString(16)}`;
}
