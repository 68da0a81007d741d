// The JIT engine: finds or compiles the fragment for the current pc, runs fragments (they
// chain among themselves) until one leaves, and serves their slow-path helpers and
// callouts. It never executes an instruction itself: what compiled code leaves to the
// monitor (EXIT.MONITOR, EXIT.BUDGET remainders) is for the monitor's interpreter, and
// callouts go to the monitor through its port (monitor-port.ts), both in src/vmm.
import { decode } from '../isa/decode.js';
import type { Insn } from '../isa/insn.js';
import { Op } from '../isa/opcodes.js';
import { classifySensitive, SENSITIVE_CLASSES, SensitiveClass } from '../isa/sensitive.js';
import type { Board } from '../machine/board.js';
import { STATUS_WRITE } from '../machine/csr-file.js';
import { readCount, SLOT, writeCount } from '../machine/hart-state.js';
import { HOT_COUNTERS, HOT_COUNTERS_OFFSET, JUMP_CACHE_OFFSET, WASM_PAGE } from '../machine/layout.js';
import { pendingInterrupt, TrapSignal } from '../machine/trap.js';
import { GuestMemory, type MisalignedPolicy } from '../mmu/guest-memory.js';
import { Access, isTranslated, translate } from '../mmu/sv39.js';
import { Tlb } from '../mmu/tlb.js';
import { AdaptiveSites } from './adaptive.js';
import { EXIT } from './exits.js';
import { DEVICE_ACCESS_TRAPPED, SlowPath } from './slow-path.js';
import { JumpCache } from './jump-cache.js';
import type { HotCounter } from './codegen/compile.js';
import { buildModule, type ModuleItem, type ModuleLayout } from './module.js';
import { optimizeModule } from './optimize.js';
import { TranslationCache, type FragmentEntry } from './translation-cache.js';
import { DEFAULT_POLICY, type Lowering, type SensitivePolicy } from './lowering.js';
import { CalloutOutcome, type MonitorPort } from './monitor-port.js';
import { formTu, isLoadOrStore, type Tu } from './tu.js';

export interface JitOptions {
  /** Entries in each software TLB (a power of two). */
  tlbEntries: number;
  /** Most translation units compiled into one Wasm module. */
  batch: number;
  /** The TC is flushed when it holds this many fragments. */
  maxFragments: number;
  /** Tier 2: recompile hot code into regions. */
  tier2: boolean;
  /**
   * Also run binaryen over each region (it must be loaded: loadOptimizer()). Off by
   * default: it costs tens of milliseconds per region, on the guest's time, and V8's own
   * optimizing tier leaves it little to gain (see bench/exec).
   */
  binaryen: boolean;
  /** Entries of a unit after which its region is compiled. */
  hotThreshold: number;
  /** Most units in a region. */
  regionUnits: number;
  /** Count chained exits in compiled code (costs a memory increment per chained jump). */
  countChains: boolean;
  /** How each class of sensitive instruction is lowered (src/jit/lowering.ts). */
  sensitive: SensitivePolicy;
  /** Traps at one site after which it is retranslated as in-TC (0: no adaptive retranslation). */
  adaptive: number;
  /** Count in-TC emulations by class in compiled code (a memory increment each). */
  countIntc: boolean;
  /** Called with each module's bytes (for --dump-wasm). */
  dump?: (bytes: Uint8Array, index: number) => void;
}

/** Entries a new region runs on trial, and the loop trips per entry it must average to stay. */
const REGION_TRIAL_ENTRIES = 256;
const REGION_MIN_TRIPS = 16;

export const DEFAULT_JIT_OPTIONS: JitOptions = {
  tlbEntries: 256, batch: 16, maxFragments: 1 << 16, tier2: true, binaryen: false, hotThreshold: 5000, regionUnits: 32, countChains: false,
  sensitive: DEFAULT_POLICY, adaptive: 0, countIntc: false,
};

/** How a run of compiled code ended. */
export interface JitRun {
  exit: number;
  /** The guest exception a helper raised (state.pc is the faulting instruction). */
  exception: TrapSignal | null;
  /** Instructions executed (including a faulting one). */
  executed: number;
  /** A callout found WFI with nothing pending: the monitor may idle (state.pc is next). */
  idle: boolean;
  /** A callout delivered an exception that put the hart in a trap loop. */
  trapLoop: boolean;
}

/** A sensitive instruction compiled as a callout: the pre-decoded instruction and where it is. */
interface CalloutSite {
  readonly insn: Insn;
  readonly pc: bigint;
  readonly nextPc: bigint;
  readonly cls: SensitiveClass;
}

export class JitStats {
  translations = 0;
  modules = 0;
  bytesEmitted = 0;
  compileMillis = 0;
  instantiateMillis = 0;
  exits = [0, 0, 0, 0, 0, 0, 0];
  promotions = 0;
  /** Hot units left at tier 1 because no loop runs through them. */
  rejectedPromotions = 0;
  /** Regions returned to tier 1 after their trial (they did not loop enough). */
  demotions = 0;
  /** Instructions left to the monitor (trap-and-emulate), by sensitive class or reason. */
  readonly monitorExits = new Map<string, number>();
  /** Callouts made, by sensitive class. */
  readonly callouts = new Map<string, number>();
  regionUnits = 0;
  optimizeMillis = 0;
}

export class JitEngine {
  readonly tc: TranslationCache;
  readonly tlb: Tlb;
  readonly jumpCache: JumpCache;
  readonly stats = new JitStats();
  private readonly s: BigUint64Array;
  private readonly i32: Int32Array;
  private readonly u32: Uint32Array;
  private readonly imports: WebAssembly.Imports;
  private readonly layoutBase: Omit<ModuleLayout, 'tableSize' | 'priv'>;
  private epoch = -1;
  private fenceEpoch = 0;
  private readonly contexts = new Map<string, number>();
  private readonly translatedContexts = new Set<number>();
  private context = 0;
  /** The privilege level of the current code context, and the mstatus bits its data translation used. */
  private contextPriv = 0;
  private contextStatus = 0n;
  /** Counter values when the current run started, for helpers that need them exact. */
  private runStartBudget = 0;
  private runStartExecuted = 0;
  private runStartRetired = 0;
  private nextHotCounter = 0;
  /** Regions on trial, by slot: the region's fragment and its loop counter's index. */
  private readonly regionTrials = new Map<number, { entry: FragmentEntry; iterations: number }>();
  private readonly hotCounters: Int32Array;
  private readonly mem: GuestMemory;
  /** Callout sites by id (the argument compiled code passes); cleared with the TC. */
  private sites: CalloutSite[] = [];
  /** Set by a callout during a run: it delivered an exception / found the hart idle / in a trap loop. */
  private calloutFaulted = false;
  private calloutIdle = false;
  private calloutTrapLoop = false;
  readonly adaptive: AdaptiveSites | null;

  constructor(private readonly board: Board, misaligned: MisalignedPolicy, readonly options: JitOptions,
    private readonly monitor: MonitorPort) {
    this.adaptive = options.adaptive > 0 ? new AdaptiveSites(options.adaptive) : null;
    // Devices read mtime from the instruction count: make it exact before any device access.
    this.mem = new GuestMemory(board.bus, board.hart.state, () => this.syncCountersForHelper(), misaligned);
    const memory = board.memory;
    this.s = board.hart.state;
    this.i32 = new Int32Array(memory.buffer, 0, this.s.length * 2);
    this.u32 = new Uint32Array(memory.buffer, 0, this.s.length * 2);
    this.tlb = new Tlb(memory, options.tlbEntries);
    this.jumpCache = new JumpCache(memory);
    this.tc = new TranslationCache(options.maxFragments);
    this.hotCounters = new Int32Array(memory.buffer, HOT_COUNTERS_OFFSET, HOT_COUNTERS);
    this.layoutBase = {
      memoryPages: memory.buffer.byteLength / WASM_PAGE,
      tlbLoadBase: this.tlb.loadBase, tlbStoreBase: this.tlb.storeBase, tlbMask: this.tlb.mask,
      jumpCacheBase: JUMP_CACHE_OFFSET, jumpCacheMask: this.jumpCache.mask, countChains: options.countChains,
      realtime: board.clock.realtime, countIntc: options.countIntc,
    };
    const slow = new SlowPath(board.bus, this.mem, this.s, this.tlb, () => this.needsMonitor());
    this.imports = {
      env: {
        memory, table: this.tc.table,
        // Wasm hands i64 values to JS as signed BigInts; guest addresses are unsigned.
        load: (vaddr: bigint, size: number) => slow.load(BigInt.asUintN(64, vaddr), size),
        store: (vaddr: bigint, value: bigint, size: number) =>
          slow.store(BigInt.asUintN(64, vaddr), BigInt.asUintN(64, value), size),
        atomic: (op: number, vaddr: bigint, src: bigint, compare: bigint) =>
          slow.atomic(op, BigInt.asUintN(64, vaddr), BigInt.asUintN(64, src), BigInt.asUintN(64, compare)),
        callout: (site: number) => this.callout(site),
      },
    };
    board.bus.onCodeWrite((paddr, size) => this.codeWritten(paddr, size));
  }

  /** Runs compiled code for at most `budget` instructions. */
  run(budget: number): JitRun {
    const s = this.s;
    this.syncTranslationState();
    this.i32[SLOT.budget * 2] = budget;
    this.i32[SLOT.refund * 2] = 0;
    this.i32[SLOT.attention * 2] = 0;
    this.runStartBudget = budget;
    const u32 = this.u32;
    this.runStartExecuted = readCount(u32, SLOT.executed);
    this.runStartRetired = readCount(u32, SLOT.retired);
    writeCount(u32, SLOT.runBaseExecuted, this.runStartExecuted + budget);
    writeCount(u32, SLOT.runBaseRetired, this.runStartRetired + budget);
    this.calloutFaulted = this.calloutIdle = this.calloutTrapLoop = false;
    let exit: number = EXIT.UNCHAINED;
    let exception: TrapSignal | null = null;
    let deviceTrap = false;
    try {
      while (exit === EXIT.UNCHAINED || exit === EXIT.JUMP_CACHE_MISS || exit === EXIT.HOT) {
        const pc = s[SLOT.pc];
        if (exit === EXIT.HOT) this.promote(pc);
        let slot = this.tc.slotFor(this.context, pc);
        if (!this.tc.linked(slot)) {
          if (!this.compile(pc, slot)) { exit = EXIT.MONITOR; break; }
          slot = this.tc.slotFor(this.context, pc); // compiling may have flushed the TC and renumbered slots
        }
        if (exit === EXIT.JUMP_CACHE_MISS) this.jumpCache.set(pc, this.context, slot);
        exit = this.tc.enter(slot);
        this.stats.exits[exit]++;
      }
    } catch (e) {
      if (e === DEVICE_ACCESS_TRAPPED) {
        deviceTrap = true;
        exit = EXIT.MONITOR;
        this.stats.exits[exit]++;
      } else {
        if (!(e instanceof TrapSignal)) throw e;
        exception = e;
      }
    }
    // A fragment that left early (fault, attention) was charged for instructions after it;
    // one that left a device access to the monitor, for that instruction too.
    if (exception || exit === EXIT.ATTENTION || exit === EXIT.RECHECK) this.i32[SLOT.budget * 2] += this.i32[SLOT.refund * 2];
    if (deviceTrap) this.i32[SLOT.budget * 2] += this.i32[SLOT.refund * 2] + 1;
    if (exit === EXIT.RECHECK) this.recheck();
    const executed = budget - this.i32[SLOT.budget * 2];
    const faulted = exception !== null || this.calloutFaulted;
    writeCount(u32, SLOT.executed, this.runStartExecuted + executed);
    writeCount(u32, SLOT.retired, this.runStartRetired + (faulted ? executed - 1 : executed));
    return { exit, exception, executed, idle: this.calloutIdle, trapLoop: this.calloutTrapLoop };
  }

  /** In-TC code changed an interrupt enable (or the privilege level): let the monitor look. */
  private recheck(): void {
    const hart = this.board.hart;
    hart.interruptsDirty = true;
    const status = this.s[SLOT.mstatus] & STATUS_WRITE.translationBits;
    if (Number(this.s[SLOT.priv]) !== this.contextPriv || status !== this.contextStatus) hart.privilegeChanged();
  }

  /** A sensitive instruction compiled as a callout: the monitor emulates it. Non-zero: leave. */
  private callout(id: number): number {
    const site = this.sites[id];
    this.syncCountersForHelper();
    const m = this.stats.callouts;
    m.set(site.cls, (m.get(site.cls) ?? 0) + 1);
    switch (this.monitor.emulate(site.insn, site.pc, site.nextPc)) {
      case CalloutOutcome.Continue: {
        const hart = this.board.hart;
        // An enable that changed with nothing to deliver needs no exit (cli/sti).
        if (hart.interruptsDirty && pendingInterrupt(this.s) < 0) hart.interruptsDirty = false;
        if (!hart.stopRequested && !hart.interruptsDirty && hart.translationEpoch === this.epoch) return 0;
        this.s[SLOT.pc] = site.nextPc;
        return 1;
      }
      case CalloutOutcome.Leave: return 1;
      case CalloutOutcome.Idle: this.calloutIdle = true; return 1;
      case CalloutOutcome.TrapLoop: this.calloutTrapLoop = true; this.calloutFaulted = true; return 1;
      case CalloutOutcome.Fault: this.calloutFaulted = true; return 1;
    }
  }

  /** Registers a callout site for code being compiled; its id is what the code passes. */
  private siteFor(insn: Insn, pc: bigint, nextPc: bigint): number {
    const cls = classifySensitive(insn);
    if (cls === null) throw new Error(`callout site for a non-sensitive instruction at 0x${pc.toString(16)}`);
    this.sites.push({ insn, pc, nextPc, cls });
    return this.sites.length - 1;
  }

  /** The lowering of an instruction's sensitive case in the current context (tu.ts LowerFor). */
  private lowerFor = (insn: Insn, pc: bigint): Lowering | null => {
    const cls = classifySensitive(insn) ?? (isLoadOrStore(insn.op) ? SensitiveClass.Mmio : null);
    if (cls === null) return null;
    return this.adaptive?.loweringOf(this.context, pc) ?? this.options.sensitive[cls];
  };

  /** In-TC emulations by class, when compiled code counts them. */
  intcCounts(): Map<string, number> | null {
    if (!this.options.countIntc) return null;
    return new Map(SENSITIVE_CLASSES.map((c, i) => [c, Number(this.s[SLOT.intcCounts + i])]));
  }

  /**
   * Records why compiled code left the instruction at state.pc to the monitor: its
   * sensitive class, or 'illegal', 'amocas.q', 'fetch-fault' or 'page-straddle'.
   */
  noteMonitorExit(): void {
    const pc = this.s[SLOT.pc];
    let why: string;
    try {
      const insn = decode(this.mem.fetch(pc));
      const straddles = insn.len === 4 && (pc & 0xfffn) === 0xffen;
      why = straddles ? 'page-straddle' : classifySensitive(insn) ?? (insn.op === Op.ILLEGAL ? 'illegal'
        : insn.op === Op.AMOCAS_Q ? 'amocas.q' : isLoadOrStore(insn.op) ? SensitiveClass.Mmio : 'other');
    } catch (e) {
      if (!(e instanceof TrapSignal)) throw e;
      why = 'fetch-fault';
    }
    const m = this.stats.monitorExits;
    m.set(why, (m.get(why) ?? 0) + 1);
    if (this.adaptive && (SENSITIVE_CLASSES as readonly string[]).includes(why) && this.adaptive.noteTrap(this.context, pc)) {
      this.adaptSite(pc);
    }
  }

  /**
   * A site crossed the adaptive threshold (it is now lowered as in-TC): retranslate the
   * fragments that contain it or stop just before it, and relink their slots, so chains
   * and jump-cache entries into those slots reach the new code.
   */
  private adaptSite(pc: bigint): void {
    const adaptive = this.adaptive!;
    const stale = adaptive.takeEndingAt(this.context, pc);
    let paddr: number;
    try {
      paddr = this.fetchPaddr(pc);
    } catch (e) {
      if (!(e instanceof TrapSignal)) throw e;
      return;
    }
    const bus = this.board.bus;
    const ramPage = (paddr - bus.ramBase) >>> 12;
    stale.push(...this.tc.covering(ramPage, paddr, 4));
    const slots = new Set<number>();
    for (const entry of stale) for (const slot of entry.slots) slots.add(slot);
    const { pageEmpty } = this.tc.invalidate(ramPage, paddr, 4);
    if (pageEmpty) bus.unmarkCode(ramPage);
    for (const slot of slots) {
      this.tc.unlink(slot);
      const at = this.tc.slotAddress(slot);
      if (at.context !== this.context) continue; // recompiled when next entered there
      adaptive.retranslations++;
      this.compile(at.pc, slot);
    }
  }

  /** Follows privilege, satp and sfence changes: TLB flushes, code context, unlinking. */
  private syncTranslationState(): void {
    const hart = this.board.hart;
    if (hart.translationEpoch === this.epoch) return;
    this.epoch = hart.translationEpoch;
    this.tlb.flush();
    if (hart.fenceEpoch !== this.fenceEpoch) {
      this.fenceEpoch = hart.fenceEpoch;
      const translated = this.translatedContexts;
      this.tc.unlinkContexts((c) => translated.has(c));
      this.jumpCache.flush();
    }
    const priv = Number(this.s[SLOT.priv]);
    this.contextPriv = priv;
    this.contextStatus = this.s[SLOT.mstatus] & STATUS_WRITE.translationBits;
    const satp = this.s[SLOT.satp];
    const paged = isTranslated(satp, priv);
    const key = paged ? `${priv}:${satp}` : `bare:${priv}`;
    let id = this.contexts.get(key);
    if (id === undefined) {
      id = this.contexts.size;
      this.contexts.set(key, id);
      if (paged) this.translatedContexts.add(id);
    }
    this.context = id;
    this.i32[SLOT.context * 2] = id;
  }

  private fetchPaddr = (pc: bigint): number =>
    translate(this.board.bus, pc, Access.Fetch, Number(this.s[SLOT.priv]), this.s[SLOT.satp], this.s[SLOT.mstatus]);

  /** Compiles the unit at pc (with a batch of its direct successors) and links `slot`. */
  private compile(pc: bigint, slot: number): boolean {
    let first: Tu;
    try {
      first = formTu(this.mem, pc, this.fetchPaddr, this.lowerFor);
    } catch (e) {
      if (e instanceof TrapSignal) return false; // the monitor raises the fetch fault
      throw e;
    }
    const firstKey = this.keyOf(first);
    const cached = this.tc.find(firstKey);
    if (cached) {
      this.tc.link(slot, cached);
      return true;
    }
    if (this.tc.full) this.flushAll();
    const batch = this.gatherBatch(first);
    this.instantiate(batch.map((tu) => ({ kind: 'unit', tu, hot: this.hotCounterFor() })), batch);
    return this.tc.linked(this.tc.slotFor(this.context, pc)) !== null;
  }

  /** A fresh counter (by default a tier-1 unit's entry counter), while tier 2 is on and counters last. */
  private hotCounterFor(threshold = this.options.hotThreshold): HotCounter | undefined {
    if (!this.options.tier2 || this.nextHotCounter >= HOT_COUNTERS) return undefined;
    const index = this.nextHotCounter++;
    this.hotCounters[index] = 0;
    return { address: HOT_COUNTERS_OFFSET + 4 * index, threshold };
  }

  /**
   * Tier 2: the unit at pc became hot. Its region is the units reachable from it by direct
   * jumps within the same page (breadth first, bounded); compiled as one function whose
   * internal jumps are Wasm branches (optionally optimized by binaryen) and linked into
   * pc's slot. A region must loop to pay for itself (entering one loads, and leaving one
   * stores, every register it uses), so a new region first runs on trial, counting its
   * entries and the jumps back to its head; at the end of the trial it stays only if it
   * looped at least REGION_MIN_TRIPS times per entry, and otherwise goes back to tier 1.
   */
  private promote(pc: bigint): void {
    const slot = this.tc.slotFor(this.context, pc);
    const trial = this.regionTrials.get(slot);
    this.regionTrials.delete(slot);
    const tus = this.formRegion(pc);
    if (tus.length === 0) return;
    if (trial && this.tc.linked(slot) === trial.entry) {
      const loops = this.hotCounters[trial.iterations] >= REGION_MIN_TRIPS * REGION_TRIAL_ENTRIES;
      if (loops) this.instantiate([{ kind: 'region', tus }], tus);
      else this.demote(tus[0]);
      return;
    }
    // A loop must run through the head for a region to help at all. The unit stays as it
    // is: its counter is past the threshold, so it will not ask again.
    if (!tus.some((tu) => successors(tu).includes(pc))) {
      this.stats.rejectedPromotions++;
      return;
    }
    const entries = this.hotCounterFor(REGION_TRIAL_ENTRIES);
    const iterations = this.hotCounterFor(0);
    const probe = entries && iterations ? { entries, iterationsAddress: iterations.address } : undefined;
    const [entry] = this.instantiate([{ kind: 'region', tus, probe }], tus);
    if (probe) this.regionTrials.set(slot, { entry, iterations: (iterations!.address - HOT_COUNTERS_OFFSET) / 4 });
    this.stats.promotions++;
    this.stats.regionUnits += tus.length;
  }

  /**
   * Back to tier 1 for good: relink the unit's tier-1 fragment, whose counter is past the
   * threshold. Reusing it matters: a unit recompiled alone would sit in a module of its
   * own, and V8 makes every call between instances markedly dearer than one within an
   * instance (bench: the same code runs 35% slower with one unit per module).
   */
  private demote(tu: Tu): void {
    this.stats.demotions++;
    const tier1 = this.tc.find(this.keyOf(tu));
    if (tier1) this.tc.link(this.tc.slotFor(this.context, tu.pc), tier1);
    else this.instantiate([{ kind: 'unit', tu }], [tu]);
  }

  private formRegion(pc: bigint): Tu[] {
    const tus: Tu[] = [];
    const seen = new Set<bigint>();
    const queue = [pc];
    const page = pc >> 12n;
    while (queue.length > 0 && tus.length < this.options.regionUnits) {
      const at = queue.shift()!;
      if (seen.has(at) || at >> 12n !== page) continue;
      seen.add(at);
      try {
        const tu = formTu(this.mem, at, this.fetchPaddr, this.lowerFor);
        if (tu.insns.length === 0) continue;
        tus.push(tu);
        queue.push(...successors(tu));
      } catch (e) {
        if (!(e instanceof TrapSignal)) throw e;
      }
    }
    return tus.length > 0 && tus[0].pc === pc ? tus : [];
  }

  /** The first unit plus direct successors not yet compiled, breadth first. */
  private gatherBatch(first: Tu): Tu[] {
    const batch = [first];
    const seen = new Set<bigint>([first.pc]);
    for (let i = 0; i < batch.length && batch.length < this.options.batch; i++) {
      for (const next of successors(batch[i])) {
        if (batch.length >= this.options.batch) break;
        if (seen.has(next)) continue;
        seen.add(next);
        if (this.tc.linked(this.tc.slotFor(this.context, next))) continue;
        try {
          const tu = formTu(this.mem, next, this.fetchPaddr, this.lowerFor);
          if (!this.tc.find(this.keyOf(tu))) batch.push(tu);
        } catch (e) {
          if (!(e instanceof TrapSignal)) throw e; // not mapped yet: compile it when reached
        }
      }
    }
    return batch;
  }

  /** Compiles `items` (made from `tus`) into one module and links each item's first unit's slot. */
  private instantiate(items: ModuleItem[], tus: Tu[]): FragmentEntry[] {
    const t0 = performance.now();
    const context = this.context;
    const built = buildModule(items, { ...this.layoutBase, tableSize: this.tc.table.length, priv: this.contextPriv }, {
      slotFor: (pc) => this.tc.slotFor(context, pc),
      siteFor: (insn, pc, nextPc) => this.siteFor(insn, pc, nextPc),
    });
    let bytes = built.bytes;
    if (this.options.binaryen && items.some((item) => item.kind === 'region')) {
      const optimized = optimizeModule(bytes);
      if (optimized) bytes = optimized;
      this.stats.optimizeMillis += performance.now() - t0;
    }
    const module = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
    const t1 = performance.now();
    // Slots allocated while emitting may have grown the table; the import's minimum
    // was taken before, which is fine: a table may be larger than a module asks for.
    const instance = new WebAssembly.Instance(module, this.imports);
    const t2 = performance.now();
    this.options.dump?.(bytes, this.stats.modules);
    this.stats.modules++;
    this.stats.bytesEmitted += bytes.length;
    this.stats.compileMillis += t1 - t0;
    this.stats.instantiateMillis += t2 - t1;
    const bus = this.board.bus;
    for (const tu of tus) {
      const ramPage = (tu.paddr - bus.ramBase) >>> 12;
      const wasCode = bus.codePages[ramPage] !== 0;
      bus.markCode(tu.paddr);
      // Stores to a page that now holds code must take the slow path.
      if (!wasCode) this.tlb.flushStores();
    }
    return items.map((item, i) => {
      const fn = instance.exports[built.names[i]] as () => number;
      const head = item.kind === 'unit' ? item.tu : item.tus[0];
      const ramPage = (head.paddr - bus.ramBase) >>> 12;
      let entry;
      if (item.kind === 'unit') {
        this.stats.translations++;
        entry = this.tc.add(this.keyOf(head), fn, ramPage, head.paddr, Number(head.nextPc - head.pc));
      } else {
        // A region depends on every byte of its units: its range spans them (one page).
        const start = Math.min(...item.tus.map((t) => t.paddr));
        const end = Math.max(...item.tus.map((t) => t.paddr + Number(t.nextPc - t.pc)));
        entry = this.tc.add(`region|${this.keyOf(head)}`, fn, ramPage, start, end - start);
      }
      this.tc.link(this.tc.slotFor(context, head.pc), entry);
      const units = item.kind === 'unit' ? [item.tu] : item.tus;
      for (const tu of units) if (tu.end === 'monitor') this.adaptive?.noteEndsAt(context, tu.nextPc, entry);
      return entry;
    });
  }

  /**
   * What a fragment depends on: context, addresses, the code bytes, where the unit ends,
   * and how each of its sensitive instructions is lowered (the policy, and adaptation).
   */
  private keyOf(tu: Tu): string {
    let raws = '';
    for (const insn of tu.insns) raws += `${insn.raw.toString(16)},`;
    let lowerings = '';
    for (const l of tu.lowerings) lowerings += l === null ? '-' : l[0];
    return `${this.context}|${tu.pc.toString(16)}|${tu.paddr.toString(16)}|${raws}|${lowerings}|${tu.end}|${tu.nextPc.toString(16)}`;
  }

  private flushAll(): void {
    this.tc.flush();
    this.sites = [];
    this.adaptive?.forgetFragments();
    this.nextHotCounter = 0;
    this.regionTrials.clear();
    this.jumpCache.flush();
    for (let page = 0; page < this.board.bus.codePages.length; page++) this.board.bus.unmarkCode(page);
  }

  /** A write touched a page with code: drop what it overwrote (self-modifying code, loaders). */
  private codeWritten(paddr: number, size: number): void {
    const bus = this.board.bus;
    const first = (paddr - bus.ramBase) >>> 12;
    const last = (paddr + size - 1 - bus.ramBase) >>> 12;
    for (let page = first; page <= last; page++) {
      const { dropped, pageEmpty } = this.tc.invalidate(page, paddr, size);
      if (pageEmpty) bus.unmarkCode(page);
      // The running fragment may be one of the stale ones: leave after this store.
      if (dropped > 0) this.i32[SLOT.attention * 2] = 1;
    }
  }

  /** The exact counters at the instruction a helper serves (devices read mtime from them). */
  private syncCountersForHelper(): void {
    const used = this.runStartBudget - this.i32[SLOT.budget * 2] - this.i32[SLOT.refund * 2] - 1;
    writeCount(this.u32, SLOT.executed, this.runStartExecuted + used);
    writeCount(this.u32, SLOT.retired, this.runStartRetired + used);
  }

  private needsMonitor(): void {
    const hart = this.board.hart;
    if (hart.stopRequested || hart.interruptsDirty || hart.translationEpoch !== this.epoch) this.i32[SLOT.attention * 2] = 1;
  }
}

/** Addresses a unit continues at through direct chaining. */
function successors(tu: Tu): bigint[] {
  if (tu.end === 'page' || tu.end === 'cap') return [tu.nextPc];
  if (tu.end !== 'branch') return [];
  const last = tu.insns[tu.insns.length - 1];
  if (last.op === Op.JALR) return [];
  const target = BigInt.asUintN(64, tu.pcs[tu.pcs.length - 1] + BigInt(last.imm));
  return last.op === Op.JAL ? [target] : [target, tu.nextPc];
}
