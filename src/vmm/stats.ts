// The run summary behind --stats and --stats-json: exact event counts plus host timing.
import { SLOT } from '../machine/hart-state.js';
import { EXIT_NAMES } from '../jit/exits.js';
import { describePolicy } from '../jit/lowering.js';
import type { VirtualMachine } from './vm.js';

const EXCEPTION_NAMES: Record<number, string> = {
  0: 'misaligned-fetch', 1: 'fetch-access', 2: 'illegal-instruction', 3: 'breakpoint',
  4: 'misaligned-load', 5: 'load-access', 6: 'misaligned-store', 7: 'store-access',
  8: 'ecall-u', 9: 'ecall-s', 11: 'ecall-m', 12: 'fetch-page-fault', 13: 'load-page-fault',
  15: 'store-page-fault',
};
const INTERRUPT_NAMES: Record<number, string> = {
  1: 'supervisor-software', 3: 'machine-software', 5: 'supervisor-timer', 7: 'machine-timer',
  9: 'supervisor-external', 11: 'machine-external',
};

export function exceptionName(cause: number): string {
  return EXCEPTION_NAMES[cause] ?? `cause-${cause}`;
}

export interface JitRunStats {
  /** Instructions each executor ran: the fast interpreter, tier-1 fragments, tier-2 regions, the monitor's interpreter. */
  executors: { fastInterpreter: number; tier1: number; tier2: number; monitor: number };
  /** The fast interpreter: sensitive instructions the monitor executed for it, by class; decode-cache fills. */
  fastInterpreter: { system: Record<string, number>; decodeFills: number };
  translations: number;
  liveFragments: number;
  modules: number;
  bytesEmitted: number;
  compileMillis: number;
  instantiateMillis: number;
  tcLookups: number;
  tcHits: number;
  tcMisses: number;
  jumpCacheFills: number;
  /** Whole jump-cache flushes (sfence.vma of everything; a TC flush). */
  jumpCacheFlushes: number;
  exits: Record<string, number>;
  /** Instructions generated code left to the monitor's interpreter (trapped and emulated), by sensitive class or reason. */
  monitorExits: Record<string, number>;
  /** The lowering policy of sensitive instructions, as --sensitive would write it. */
  sensitivePolicy: string;
  /** Callouts to the monitor, by sensitive class. */
  callouts: Record<string, number>;
  /** In-TC emulations by class; null unless counted (--stats counts them). */
  inTc: Record<string, number> | null;
  /** Adaptive retranslation; null when off. */
  adaptive: { threshold: number; trapsBeforeAdaptation: number; sitesAdapted: number; retranslations: number } | null;
  /** Exits that went straight to the next fragment (tail call or jump-cache hit); null unless counted. */
  chainedExits: number | null;
  invalidations: number;
  flushes: number;
  /** Misses are slow-path lookups (loads, stores, and the monitor's fetch translations); page flushes come from sfence.vma with an address. */
  tlb: { entries: number; misses: number; fills: number; flushes: number; pageFlushes: number };
  /** The MMU mode and its counters (src/mmu/shadow.ts, src/mmu/nested.ts). */
  mmu: { mode: string; counts: Record<string, number>; histograms: Record<string, number[]> };
  /** sfence.vma applied: for one address, or for everything. */
  fences: { page: number; all: number };
  tier2: { promotions: number; rejected: number; demotions: number; regionUnits: number; optimizeMillis: number };
}

export interface RunStats {
  engine: string;
  jit?: JitRunStats;
  instructions: { executed: number; retired: number };
  exceptions: Record<string, number>;
  interrupts: Record<string, number>;
  /** SBI calls the monitor served, by extension.function; null when firmware (or nothing) serves them. */
  sbi: Record<string, number> | null;
  hostSeconds: number;
  mips: number;
}

export function collectStats(vm: VirtualMachine): RunStats {
  const s = vm.board.hart.state;
  const executed = Number(s[SLOT.executed]);
  const seconds = vm.wallMillis / 1000;
  const jit = vm.jit;
  return {
    engine: jit ? 'jit' : 'interp',
    jit: jit ? {
      executors: jit.executorCounts(),
      fastInterpreter: { system: Object.fromEntries(jit.coldSystem), decodeFills: jit.decodeCache.fills },
      translations: jit.stats.translations,
      liveFragments: jit.tc.liveFragments,
      modules: jit.stats.modules,
      bytesEmitted: jit.stats.bytesEmitted,
      compileMillis: jit.stats.compileMillis,
      instantiateMillis: jit.stats.instantiateMillis,
      tcLookups: jit.tc.lookups,
      tcHits: jit.tc.hits,
      tcMisses: jit.tc.lookups - jit.tc.hits,
      jumpCacheFills: jit.jumpCache.fills,
      jumpCacheFlushes: jit.jumpCache.flushes,
      exits: Object.fromEntries(EXIT_NAMES.map((n, i) => [n, jit.stats.exits[i]])),
      monitorExits: Object.fromEntries(jit.stats.monitorExits),
      sensitivePolicy: describePolicy(jit.options.sensitive),
      callouts: Object.fromEntries(jit.stats.callouts),
      inTc: nonZero(jit.intcCounts()),
      adaptive: jit.adaptive ? {
        threshold: jit.adaptive.threshold, trapsBeforeAdaptation: jit.adaptive.trapsBeforeAdaptation,
        sitesAdapted: jit.adaptive.sitesAdapted, retranslations: jit.adaptive.retranslations,
      } : null,
      chainedExits: jit.options.countChains ? Number(vm.board.hart.state[SLOT.chainedExits]) : null,
      invalidations: jit.tc.invalidations,
      flushes: jit.tc.flushes,
      tlb: { entries: jit.tlb.entries, misses: jit.tlb.misses, fills: jit.tlb.fills, flushes: jit.tlb.flushes, pageFlushes: jit.tlb.pageFlushes },
      mmu: { mode: jit.mmu.mode, ...jit.mmu.counters() },
      fences: { page: jit.space.pageFences, all: jit.space.fullFences },
      tier2: {
        promotions: jit.stats.promotions, rejected: jit.stats.rejectedPromotions, demotions: jit.stats.demotions,
        regionUnits: jit.stats.regionUnits, optimizeMillis: jit.stats.optimizeMillis,
      },
    } : undefined,
    instructions: { executed, retired: Number(s[SLOT.retired]) },
    exceptions: named(vm.board.hart.exceptionCounts, EXCEPTION_NAMES),
    interrupts: named(vm.board.hart.interruptCounts, INTERRUPT_NAMES),
    sbi: vm.sbi ? Object.fromEntries([...vm.sbi.counts].sort(([a], [b]) => a.localeCompare(b))) : null,
    hostSeconds: seconds,
    mips: seconds > 0 ? executed / seconds / 1e6 : 0,
  };
}

function nonZero(counts: Map<string, number> | null): Record<string, number> | null {
  return counts && Object.fromEntries([...counts].filter(([, n]) => n > 0));
}

function named(counts: number[], names: Record<number, string>): Record<string, number> {
  const out: Record<string, number> = {};
  counts.forEach((n, i) => { if (n > 0) out[names[i] ?? `cause-${i}`] = n; });
  return out;
}

export function formatStats(st: RunStats): string {
  const lines = [
    `engine               ${st.engine}`,
    `instructions         ${st.instructions.executed} executed, ${st.instructions.retired} retired`,
    `host time            ${st.hostSeconds.toFixed(3)} s (${st.mips.toFixed(2)} MIPS)`,
  ];
  const list = (title: string, r: Record<string, number>) => {
    const entries = Object.entries(r);
    lines.push(`${title.padEnd(21)}${entries.length === 0 ? 'none' : entries.map(([k, v]) => `${k} ${v}`).join(', ')}`);
  };
  list('exceptions', st.exceptions);
  list('interrupts', st.interrupts);
  if (st.sbi) list('SBI calls (monitor)', st.sbi);
  const j = st.jit;
  if (j) {
    const e = j.executors;
    const share = (n: number) => `${n} (${(100 * n / Math.max(1, st.instructions.executed)).toFixed(1)}%)`;
    lines.push(`executors            fast interpreter ${share(e.fastInterpreter)}, tier 1 ${share(e.tier1)}, ` +
      `tier 2 ${share(e.tier2)}, monitor ${share(e.monitor)}`);
    list('cold system insns', j.fastInterpreter.system);
    lines.push(`decode cache         ${j.fastInterpreter.decodeFills} fills`);
    lines.push(`translations         ${j.translations} units in ${j.modules} modules, ${j.liveFragments} live, ${j.bytesEmitted} bytes of Wasm`);
    lines.push(`compile time         ${j.compileMillis.toFixed(1)} ms compile, ${j.instantiateMillis.toFixed(1)} ms instantiate`);
    lines.push(`TC                   ${j.tcLookups} lookups, ${j.tcHits} hits, ${j.tcMisses} misses, ${j.invalidations} invalidations, ${j.flushes} flushes`);
    list('exits to monitor', j.exits);
    lines.push(`chained exits        ${j.chainedExits ?? 'not counted (--stats counts them)'}`);
    lines.push(`sensitive policy     ${j.sensitivePolicy}`);
    list('trapped, by class', j.monitorExits);
    list('callouts, by class', j.callouts);
    if (j.inTc) list('in-TC, by class', j.inTc);
    else lines.push('in-TC, by class      not counted (--stats counts them)');
    if (j.adaptive) {
      lines.push(`adaptive             threshold ${j.adaptive.threshold}: ${j.adaptive.trapsBeforeAdaptation} traps before adaptation, ` +
        `${j.adaptive.sitesAdapted} sites adapted, ${j.adaptive.retranslations} retranslations`);
    }
    lines.push(`jump cache           ${j.jumpCacheFills} fills (misses), ${j.jumpCacheFlushes} flushes`);
    lines.push(`TLB                  ${j.tlb.entries} entries per table, ${j.tlb.misses} misses, ${j.tlb.fills} fills, ` +
      `${j.tlb.flushes} flushes, ${j.tlb.pageFlushes} page flushes`);
    lines.push(`sfence.vma           ${j.fences.page} for one address, ${j.fences.all} for all`);
    list(`MMU (${j.mmu.mode})`.padEnd(20), j.mmu.counts);
    for (const [name, buckets] of Object.entries(j.mmu.histograms)) {
      const used = buckets.map((n, i) => [i, n]).filter(([, n]) => n > 0).map(([i, n]) => `${i === buckets.length - 1 ? `${i}+` : i}: ${n}`);
      lines.push(`${`  ${name}`.padEnd(20)} ${used.length === 0 ? 'none' : used.join(', ')}`);
    }
    lines.push(`tier 2               ${j.tier2.promotions} promotions (${j.tier2.regionUnits} units in regions), ` +
      `${j.tier2.rejected} hot units without a loop, ${j.tier2.demotions} back to tier 1, ${j.tier2.optimizeMillis.toFixed(1)} ms in binaryen`);
  }
  return lines.join('\n');
}
