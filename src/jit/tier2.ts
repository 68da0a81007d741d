// Tier 2: units that run hot are recompiled, with the units reachable from them by
// direct jumps within the same page, as one function (a region) whose internal jumps are
// Wasm branches (optionally optimized by binaryen). A region must loop to pay for itself
// (entering one loads, and leaving one stores, every register it uses), so a new region
// first runs on trial, counting its entries and the jumps back to its head; at the end
// of the trial it stays only if it looped often enough, and otherwise goes back to tier 1.
import { HOT_COUNTERS, HOT_COUNTERS_OFFSET } from '../machine/layout.js';
import { TrapSignal } from '../machine/trap.js';
import type { HotCounter } from './codegen/compile.js';
import type { JitStats } from './jit-stats.js';
import type { ModuleItem } from './module.js';
import type { FragmentEntry, TranslationCache } from './translation-cache.js';
import { successors, type Tu } from './tu.js';

/** Entries a new region runs on trial, and the loop trips per entry it must average to stay. */
const REGION_TRIAL_ENTRIES = 256;
const REGION_MIN_TRIPS = 16;

/** What tier 2 needs from the engine. */
export interface Tier2Host {
  readonly tc: TranslationCache;
  readonly stats: JitStats;
  /** The slot of `pc` in the current address space (its fetch translated), or -1 if it has none. */
  slotAt(pc: bigint): number;
  /** The unit at `pc`, on the guest-physical page at `pageBase` (the page `pc` is in). */
  formUnit(pc: bigint, pageBase: number): Tu;
  instantiate(items: ModuleItem[], tus: Tu[]): FragmentEntry[];
  keyOf(tu: Tu): string;
}

export class Tier2 {
  private nextHotCounter = 0;
  private readonly hotCounters: Int32Array;
  /** Regions on trial, by slot: the region's fragment and its loop counter's index. */
  private readonly regionTrials = new Map<number, { entry: FragmentEntry; iterations: number }>();

  constructor(memory: WebAssembly.Memory, private readonly host: Tier2Host, private readonly enabled: boolean,
    private readonly hotThreshold: number, private readonly regionUnits: number) {
    this.hotCounters = new Int32Array(memory.buffer, HOT_COUNTERS_OFFSET, HOT_COUNTERS);
  }

  /** A fresh counter (by default a tier-1 unit's entry counter), while tier 2 is on and counters last. */
  counter(threshold = this.hotThreshold): HotCounter | undefined {
    if (!this.enabled || this.nextHotCounter >= HOT_COUNTERS) return undefined;
    const index = this.nextHotCounter++;
    this.hotCounters[index] = 0;
    return { address: HOT_COUNTERS_OFFSET + 4 * index, threshold };
  }

  /** The TC was flushed: counters and trials start over. */
  reset(): void {
    this.nextHotCounter = 0;
    this.regionTrials.clear();
  }

  /** The unit at pc became hot (EXIT.HOT), or a region on trial finished its trial. */
  promote(pc: bigint): void {
    const host = this.host;
    const slot = host.slotAt(pc);
    if (slot < 0) return; // no longer mapped: nothing to promote
    const trial = this.regionTrials.get(slot);
    this.regionTrials.delete(slot);
    const head = host.tc.linked(slot);
    if (!head) return;
    const tus = this.formRegion(pc, head.paddr - (head.paddr & 0xfff));
    if (tus.length === 0) return;
    if (trial && head === trial.entry) {
      const loops = this.hotCounters[trial.iterations] >= REGION_MIN_TRIPS * REGION_TRIAL_ENTRIES;
      if (loops) host.instantiate([{ kind: 'region', tus }], tus);
      else this.demote(tus[0]);
      return;
    }
    // A loop must run through the head for a region to help at all. The unit stays as it
    // is: its counter is past the threshold, so it will not ask again.
    if (!tus.some((tu) => successors(tu).includes(pc))) {
      host.stats.rejectedPromotions++;
      return;
    }
    const entries = this.counter(REGION_TRIAL_ENTRIES);
    const iterations = this.counter(0);
    const probe = entries && iterations ? { entries, iterationsAddress: iterations.address } : undefined;
    const [entry] = host.instantiate([{ kind: 'region', tus, probe }], tus);
    if (probe) this.regionTrials.set(slot, { entry, iterations: (iterations!.address - HOT_COUNTERS_OFFSET) / 4 });
    host.stats.promotions++;
    host.stats.regionUnits += tus.length;
  }

  /**
   * Back to tier 1 for good: relink the unit's tier-1 fragment, whose counter is past the
   * threshold. Reusing it matters: a unit recompiled alone would sit in a module of its
   * own, and V8 makes every call between instances markedly dearer than one within an
   * instance (bench: the same code runs 35% slower with one unit per module).
   */
  private demote(tu: Tu): void {
    const host = this.host;
    host.stats.demotions++;
    const tier1 = host.tc.find(host.keyOf(tu));
    if (tier1) host.tc.link(host.slotAt(tu.pc), tier1);
    else host.instantiate([{ kind: 'unit', tu }], [tu]);
  }

  /** The units reachable from pc by direct jumps within its page (breadth first, bounded). */
  private formRegion(pc: bigint, pageBase: number): Tu[] {
    const tus: Tu[] = [];
    const seen = new Set<bigint>();
    const queue = [pc];
    const page = pc >> 12n;
    while (queue.length > 0 && tus.length < this.regionUnits) {
      const at = queue.shift()!;
      if (seen.has(at) || at >> 12n !== page) continue;
      seen.add(at);
      try {
        const tu = this.host.formUnit(at, pageBase);
        if (tu.insns.length === 0) continue;
        tus.push(tu);
        queue.push(...successors(tu));
      } catch (e) {
        if (!(e instanceof TrapSignal)) throw e;
      }
    }
    return tus.length > 0 && tus[0].pc === pc ? tus : [];
  }
}
