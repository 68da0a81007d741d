// The JIT engine: runs guest code on generated Wasm, the fast interpreter for cold code
// and compiled fragments for code that has proven hot (they move between each other by
// tail calls, without leaving Wasm), compiles what the interpreter asks for, and serves
// their slow-path helpers and callouts. It never executes an instruction itself: what
// they leave to the monitor (EXIT.MONITOR) is for the monitor's interpreter, and callouts
// go to the monitor through its port (monitor-port.ts), both in src/vmm.
import { TranslationMemo } from '../mmu/translation-memo.js';
import { decode } from '../isa/decode.js';
import type { Insn } from '../isa/insn.js';
import { Op } from '../isa/opcodes.js';
import { classifySensitive, SENSITIVE_CLASSES, SensitiveClass } from '../isa/sensitive.js';
import type { Board } from '../machine/board.js';
import { PageWatch } from '../machine/bus.js';
import { STATUS_WRITE } from '../machine/csr-file.js';
import { readCount, SLOT, writeCount } from '../machine/hart-state.js';
import { JUMP_CACHE_OFFSET, STATE_OFFSET, WASM_PAGE } from '../machine/layout.js';
import { pendingInterrupt, TrapSignal } from '../machine/trap.js';
import { GuestMemory, type MisalignedPolicy, type Translator } from '../mmu/guest-memory.js';
import type { Mmu, MmuMode } from '../mmu/mmu.js';
import { NestedMmu } from '../mmu/nested.js';
import { ShadowMmu } from '../mmu/shadow.js';
import { Tlb, TlbKind } from '../mmu/tlb.js';
import { AddressSpace } from './address-space.js';
import { AdaptiveSites } from './adaptive.js';
import { EXIT } from './exits.js';
import { JitStats } from './jit-stats.js';
import { DEVICE_ACCESS_TRAPPED, PT_WRITE_TRAPPED, SlowPath } from './slow-path.js';
import { JumpCache } from './jump-cache.js';
import { buildModule, type ModuleItem, type ModuleLayout } from './module.js';
import { optimizeModule } from './optimize.js';
import { TranslationCache, type FragmentEntry } from './translation-cache.js';
import { DEFAULT_POLICY, type Lowering, type SensitivePolicy } from './lowering.js';
import { CalloutOutcome, type MonitorPort } from './monitor-port.js';
import { Tier2 } from './tier2.js';
import { DecodeCache } from './fast-interp/decode-cache.js';
import { instantiateInterpreter, interpreterModule } from './fast-interp/fast-interpreter.js';
import { SPAN, spanCountSlot } from './codegen/spans.js';
import { formTu, isLoadOrStore, successors, type Tu } from './tu.js';

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
  /**
   * Entries of a block the fast interpreter runs before asking for it to be compiled (0:
   * compile on first use). Compiling and instantiating a unit costs V8 about as much as
   * interpreting it some thousands of times, and most of a kernel's boot code runs only
   * a few times.
   */
  compileThreshold: number;
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
  /**
   * Compiled code reads the VM's base from its parameter, so that it could serve a VM at
   * any base, instead of having it baked in (which is faster: codegen/emitter.ts).
   */
  sharedCode: boolean;
  /** How TLB misses are served: shadow page tables or nested (EPT) walks (src/mmu/mmu.ts). */
  mmu: MmuMode;
  /** Called with each module's bytes (for --dump-wasm). */
  dump?: (bytes: Uint8Array, index: number) => void;
}

/** The largest compile threshold: the interpreter's heat counters are i32 (this one is never reached). */
export const MAX_COMPILE_THRESHOLD = 0x7fff_ffff;

export const DEFAULT_JIT_OPTIONS: JitOptions = {
  tlbEntries: 256, batch: 16, maxFragments: 1 << 16, tier2: true, binaryen: false, hotThreshold: 5000, compileThreshold: 50_000, regionUnits: 32, countChains: false,
  sensitive: DEFAULT_POLICY, adaptive: 0, countIntc: false, sharedCode: false, mmu: 'shadow',
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

/** Which executor ran how many instructions (the monitor's interpreter counts its own). */
export interface ExecutorCounts {
  fastInterpreter: number;
  tier1: number;
  tier2: number;
  /** The monitor's interpreter: instructions left to it (trapped, illegal, faulting fetches). */
  monitor: number;
}

/** A sensitive instruction compiled as a callout: the pre-decoded instruction and where it is. */
interface CalloutSite {
  readonly insn: Insn;
  readonly pc: bigint;
  readonly nextPc: bigint;
  readonly cls: SensitiveClass;
}

export class JitEngine {
  readonly tc: TranslationCache;
  readonly tlb: Tlb;
  readonly jumpCache: JumpCache;
  readonly mmu: Mmu;
  readonly space: AddressSpace;
  readonly stats = new JitStats();
  /** How the helpers of compiled code translate guest addresses: through the MMU mode. */
  private readonly translator: Translator;
  /**
   * The monitor's translations (its interpreter's), cached until the translation epoch
   * moves. Not for the helpers of compiled code: a TLB refill reads the MMU's last walk.
   */
  readonly translationMemo: TranslationMemo;
  private readonly s: BigUint64Array;
  private readonly i32: Int32Array;
  private readonly u32: Uint32Array;
  private readonly imports: WebAssembly.Imports;
  private readonly layoutBase: Omit<ModuleLayout, 'tableSize' | 'priv' | 'tlbLoadBase' | 'tlbStoreBase'>;
  /** Counter values when the current run started, for helpers that need them exact. */
  private runStartBudget = 0;
  private runStartExecuted = 0;
  private runStartRetired = 0;
  private readonly tier2: Tier2;
  /** The class of the load or store a helper last left to the monitor (device or page-table write). */
  private trappedAccess: SensitiveClass | null = null;
  private readonly mem: GuestMemory;
  /** Callout sites by id (the argument compiled code passes); cleared with the TC. */
  private sites: CalloutSite[] = [];
  /** Set by a callout during a run: it delivered an exception / found the hart idle / in a trap loop. */
  private calloutFaulted = false;
  private calloutIdle = false;
  private calloutTrapLoop = false;
  readonly adaptive: AdaptiveSites | null;
  readonly decodeCache: DecodeCache;
  /** The VM's base address in linear memory: its state block (layout.ts). */
  private readonly vm = STATE_OFFSET;
  /** System instructions the fast interpreter had the monitor execute, by class. */
  readonly coldSystem = new Map<string, number>();
  /** Decoded system instructions of the fast interpreter, by bits. */
  private readonly systemInsns = new Map<number, Insn>();

  constructor(private readonly board: Board, misaligned: MisalignedPolicy, readonly options: JitOptions,
    private readonly monitor: MonitorPort) {
    this.adaptive = options.adaptive > 0 ? new AdaptiveSites(options.adaptive) : null;
    const memory = board.memory;
    const bus = board.bus;
    this.s = board.hart.state;
    this.i32 = new Int32Array(memory.buffer, 0, this.s.length * 2);
    this.u32 = new Uint32Array(memory.buffer, 0, this.s.length * 2);
    this.tlb = new Tlb(memory, options.tlbEntries);
    this.jumpCache = new JumpCache(memory);
    this.decodeCache = new DecodeCache(memory);
    const mmu: Mmu = options.mmu === 'ept' ? new NestedMmu(bus, board.frames, bus.p2m)
      : new ShadowMmu(bus, () => this.tlb.flushStores());
    this.mmu = mmu;
    this.translator = (vaddr, access, priv, satp, mstatus) => mmu.translate(vaddr, access, priv, satp, mstatus);
    this.translationMemo = new TranslationMemo(board.hart, this.translator);
    // Devices read mtime from the instruction count: make it exact before any device access.
    this.mem = new GuestMemory(bus, board.hart.state, () => this.syncCountersForHelper(), misaligned, this.translator);
    this.space = new AddressSpace(board.hart, bus, this.tlb, this.jumpCache, mmu, this.i32);
    const slow = new SlowPath(bus, this.mem, mmu, this.s, this.tlb, () => this.needsMonitor());
    // Wasm hands i64 values to JS as signed BigInts; guest addresses are unsigned.
    const helpers = {
      load: (vaddr: bigint, size: number) => slow.load(BigInt.asUintN(64, vaddr), size),
      store: (vaddr: bigint, value: bigint, size: number) => slow.store(BigInt.asUintN(64, vaddr), BigInt.asUintN(64, value), size),
      atomic: (op: number, vaddr: bigint, src: bigint, compare: bigint) =>
        slow.atomic(op, BigInt.asUintN(64, vaddr), BigInt.asUintN(64, src), BigInt.asUintN(64, compare)),
    };
    const interpModule = interpreterModule({
      memoryPages: memory.buffer.byteLength / WASM_PAGE, tlbEntries: options.tlbEntries, compileThreshold: options.compileThreshold,
    });
    this.tc = new TranslationCache(options.maxFragments, (table) => instantiateInterpreter(interpModule, memory, table, {
      ...helpers,
      system: (raw, pc) => this.coldSystemInsn(raw, BigInt.asUintN(64, pc)),
      fetchMiss: (pc) => this.fetchMiss(BigInt.asUintN(64, pc)),
      decodeMiss: (raw, address) => this.decodeCache.fill(raw, address),
    }));
    this.tier2 = new Tier2(memory, {
      tc: this.tc, stats: this.stats,
      slotAt: (pc) => this.slotAt(pc),
      formUnit: (pc, pageBase) => this.formUnit(pc, pageBase),
      instantiate: (items, tus) => this.instantiate(items, tus),
      keyOf: (tu) => this.keyOf(tu),
    }, options.tier2, options.hotThreshold, options.regionUnits);
    this.layoutBase = {
      memoryPages: memory.buffer.byteLength / WASM_PAGE, tlbMask: this.tlb.mask,
      vmBase: options.sharedCode ? null : this.vm, jumpCacheBase: JUMP_CACHE_OFFSET, countChains: options.countChains,
      realtime: board.clock.realtime, countIntc: options.countIntc,
    };
    this.imports = { env: { memory, table: this.tc.table, ...helpers, callout: (site: number) => this.callout(site) } };
    bus.onPageWrite(PageWatch.Code, (paddr, size) => this.codeWritten(paddr, size));
  }

  /** Runs compiled code for at most `budget` instructions. */
  run(budget: number): JitRun {
    const s = this.s;
    this.space.sync();
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
    let exit: number = EXIT.MONITOR;
    let exception: TrapSignal | null = null;
    let deviceTrap = false;
    try {
      exit = this.enterAt(s[SLOT.pc]);
      this.stats.exits[exit]++;
      while (exit === EXIT.COMPILE || exit === EXIT.HOT) {
        const pc = s[SLOT.pc];
        if (exit === EXIT.HOT) {
          this.tier2.promote(pc);
          exit = this.enterAt(pc);
        } else {
          let slot = this.slotAt(pc);
          if (slot < 0) { exit = EXIT.MONITOR; break; } // the monitor raises the fetch fault
          if (!this.tc.linked(slot)) {
            if (!this.compile(slot)) { exit = EXIT.MONITOR; break; }
            slot = this.slotAt(pc); // compiling may have flushed the TC and renumbered slots
          }
          // So that the interpreter (and indirect jumps) find it from now on.
          this.jumpCache.set(pc, this.space.context, slot);
          exit = this.tc.enter(this.vm, slot);
        }
        this.stats.exits[exit]++;
      }
    } catch (e) {
      if (e === DEVICE_ACCESS_TRAPPED || e === PT_WRITE_TRAPPED) {
        deviceTrap = true;
        this.trappedAccess = e === PT_WRITE_TRAPPED ? SensitiveClass.PtWrite : SensitiveClass.Mmio;
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
    this.closeSpan();
    if (exit === EXIT.RECHECK) this.recheck();
    const executed = budget - this.i32[SLOT.budget * 2];
    const faulted = exception !== null || this.calloutFaulted;
    writeCount(u32, SLOT.executed, this.runStartExecuted + executed);
    writeCount(u32, SLOT.retired, this.runStartRetired + (faulted ? executed - 1 : executed));
    return { exit, exception, executed, idle: this.calloutIdle, trapLoop: this.calloutTrapLoop };
  }

  /** Runs the code at pc: its compiled fragment when there is one, else the fast interpreter. */
  private enterAt(pc: bigint): number {
    let paddr: number;
    try {
      paddr = this.space.fetchAddress(pc);
    } catch (e) {
      if (!(e instanceof TrapSignal)) throw e;
      return EXIT.MONITOR; // the monitor's interpreter raises the fetch fault
    }
    const slot = paddr < 0 ? -1 : this.tc.existingSlot(this.space.codeClass, pc, paddr);
    if (slot >= 0 && this.tc.linked(slot)) return this.tc.enter(this.vm, slot);
    return this.tc.interpreter.enter(this.vm);
  }

  /**
   * Closes the executor span a guest exception (or a device access left to the monitor)
   * unwound without closing: its instructions go to its count (codegen/spans.ts).
   */
  private closeSpan(): void {
    const i32 = this.i32;
    const kind = i32[SLOT.span * 2];
    if (kind === SPAN.None) return;
    const slot = spanCountSlot(kind as SPAN.Interpreter | SPAN.Region);
    const ran = i32[SLOT.span * 2 + 1] - i32[SLOT.budget * 2];
    writeCount(this.u32, slot, readCount(this.u32, slot) + ran);
    i32[SLOT.span * 2] = SPAN.None;
  }

  /** Instructions each executor ran since the hart's last reset. */
  executorCounts(): ExecutorCounts {
    const u32 = this.u32;
    const fastInterpreter = readCount(u32, SLOT.interpInsns);
    const tier2 = readCount(u32, SLOT.regionInsns);
    const monitor = readCount(u32, SLOT.monitorInsns);
    const tier1 = readCount(u32, SLOT.executed) - fastInterpreter - tier2 - monitor;
    return { fastInterpreter, tier1, tier2, monitor };
  }

  /**
   * The fast interpreter's fetch missed its TLB: fill the fetch TLB for pc (with
   * translation off too: the interpreter needs the machine address either way). Non-zero:
   * the monitor's interpreter must run the instruction (a fault, or not RAM). Never throws.
   */
  private fetchMiss(pc: bigint): number {
    let gpa: number;
    try {
      gpa = this.space.fetchAddress(pc);
    } catch (e) {
      if (!(e instanceof TrapSignal)) throw e;
      return 1;
    }
    if (gpa < 0) return 1;
    const page = gpa - (gpa & 0xfff);
    const machine = this.board.bus.ramOffset(page, 1);
    if (machine < 0) return 1;
    if (!this.space.paged) this.tlb.fillFetch(this.space.priv, pc, page, 0, machine);
    return 0;
  }

  /** A system instruction the fast interpreter met: the monitor runs it, as a callout would. Non-zero: leave. */
  private coldSystemInsn(raw: number, pc: bigint): number {
    let insn = this.systemInsns.get(raw);
    if (!insn) {
      insn = decode(raw >>> 0);
      this.systemInsns.set(raw, insn);
    }
    const cls = classifySensitive(insn)!;
    this.coldSystem.set(cls, (this.coldSystem.get(cls) ?? 0) + 1);
    return this.emulate(insn, pc, BigInt.asUintN(64, pc + BigInt(insn.len)));
  }

  /** In-TC code changed an interrupt enable (or the privilege level, or translation bits): let the monitor look. */
  private recheck(): void {
    const hart = this.board.hart;
    hart.interruptsDirty = true;
    const status = this.s[SLOT.mstatus] & STATUS_WRITE.translationBits;
    if (Number(this.s[SLOT.priv]) !== this.space.priv || status !== this.space.status) hart.privilegeChanged();
  }

  /** A sensitive instruction compiled as a callout: the monitor emulates it. Non-zero: leave. */
  private callout(id: number): number {
    const site = this.sites[id];
    const m = this.stats.callouts;
    m.set(site.cls, (m.get(site.cls) ?? 0) + 1);
    return this.emulate(site.insn, site.pc, site.nextPc);
  }

  /**
   * The monitor emulates the sensitive instruction at pc for generated code, which goes
   * on unless this returns non-zero (then state.pc says where to continue).
   */
  private emulate(insn: Insn, pc: bigint, nextPc: bigint): number {
    this.syncCountersForHelper();
    switch (this.monitor.emulate(insn, pc, nextPc)) {
      case CalloutOutcome.Continue: {
        const hart = this.board.hart;
        // An enable that changed with nothing to deliver needs no exit (cli/sti).
        if (hart.interruptsDirty && pendingInterrupt(this.s) < 0) hart.interruptsDirty = false;
        if (!hart.stopRequested && !hart.interruptsDirty) {
          if (this.space.current) return 0;
          // sfence.vma of a data page (a page-table update): apply it and carry on.
          if (this.space.onlyFencedElsewhere(pc)) {
            this.space.sync();
            return 0;
          }
        }
        this.s[SLOT.pc] = nextPc;
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
  private lowerFor = (insn: Insn, pc: bigint, dynamic?: SensitiveClass): Lowering | null => {
    const cls = classifySensitive(insn) ?? dynamic ?? (isLoadOrStore(insn.op) ? SensitiveClass.Mmio : null);
    if (cls === null) return null;
    return this.adaptive?.loweringOf(this.space.codeClass, pc) ?? this.options.sensitive[cls];
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
      // Through the fetch TLB: noting an exit must not count as another walk.
      const paddr = this.space.fetchAddress(pc);
      const at = paddr < 0 ? -1 : this.board.bus.ramOffset(paddr, 2);
      const lo = at < 0 ? 0 : this.board.bus.view.getUint16(at, true);
      const straddles = (lo & 3) === 3 && (pc & 0xfffn) === 0xffen;
      const view = this.board.bus.view;
      const insn = decode(straddles || at < 0 || (lo & 3) !== 3 ? lo : (lo | (view.getUint16(at + 2, true) << 16)) >>> 0);
      why = at < 0 ? 'fetch-fault' : straddles ? 'page-straddle' : classifySensitive(insn) ?? (insn.op === Op.ILLEGAL ? 'illegal'
        : insn.op === Op.AMOCAS_Q ? 'amocas.q' : isLoadOrStore(insn.op) ? this.trappedAccess ?? SensitiveClass.Mmio : 'other');
    } catch (e) {
      if (!(e instanceof TrapSignal)) throw e;
      why = 'fetch-fault';
    }
    this.trappedAccess = null;
    const m = this.stats.monitorExits;
    m.set(why, (m.get(why) ?? 0) + 1);
    if (this.adaptive && (SENSITIVE_CLASSES as readonly string[]).includes(why) && this.adaptive.noteTrap(this.space.codeClass, pc)) {
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
    const codeClass = this.space.codeClass;
    const stale = adaptive.takeEndingAt(codeClass, pc);
    const slot = this.slotAt(pc);
    if (slot < 0) return;
    const { paddr } = this.tc.slotAddress(slot);
    const bus = this.board.bus;
    const ramPage = bus.ramPage(paddr);
    stale.push(...this.tc.covering(ramPage, paddr, 4));
    const slots = new Set<number>();
    for (const entry of stale) for (const s of entry.slots) slots.add(s);
    const { pageEmpty } = this.tc.invalidate(ramPage, paddr, 4);
    if (pageEmpty) bus.unmark(PageWatch.Code, ramPage);
    for (const s of slots) {
      this.tc.unlink(s);
      if (this.tc.slotAddress(s).codeClass !== codeClass) continue; // recompiled when next entered
      adaptive.retranslations++;
      this.compile(s);
    }
  }

  /**
   * The slot of `pc` in the current address space, or -1 when there is no code to run
   * there (a fetch fault, or not RAM: the monitor's own fetch raises the fault).
   */
  private slotAt(pc: bigint): number {
    let paddr: number;
    try {
      paddr = this.space.fetchAddress(pc);
    } catch (e) {
      if (!(e instanceof TrapSignal)) throw e;
      return -1;
    }
    return paddr < 0 ? -1 : this.tc.slotFor(this.space.codeClass, pc, paddr);
  }

  /**
   * The slot compiled code jumps to directly for `target`, from a unit at `from`, or
   * null for a jump through the jump cache. Without paging an address is always the same
   * code; under paging only a jump within the unit's page is sure to stay on the same
   * guest-physical page whatever address space runs it.
   */
  private chainSlot(codeClass: number, from: { pc: bigint; paddr: number }, target: bigint): number | null {
    if ((codeClass & 1) === 0) return target < 2n ** 53n ? this.tc.slotFor(codeClass, target, Number(target)) : null;
    if (target >> 12n !== from.pc >> 12n) return null;
    return this.tc.slotFor(codeClass, target, from.paddr - (from.paddr & 0xfff) + Number(target & 0xfffn));
  }

  /** The unit at virtual `pc`, on the guest-physical page at `pageBase`. */
  private formUnit(pc: bigint, pageBase: number): Tu {
    return formTu(this.board.bus, pc, pageBase + Number(pc & 0xfffn), this.lowerFor);
  }

  /** Compiles the unit a slot stands for (with a batch of its direct successors) and links the slot. */
  private compile(slot: number): boolean {
    const { pc, paddr } = this.tc.slotAddress(slot);
    const first = this.formUnit(pc, paddr - (paddr & 0xfff));
    const cached = this.tc.find(this.keyOf(first));
    if (cached) {
      this.tc.link(slot, cached);
      return true;
    }
    if (this.tc.full) this.flushAll();
    const batch = this.gatherBatch(first);
    this.instantiate(batch.map((tu) => ({ kind: 'unit', tu, hot: this.tier2.counter() })), batch);
    const again = this.tc.slotFor(this.space.codeClass, pc, paddr); // a flush renumbers slots
    return this.tc.linked(again) !== null;
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
        const slot = this.slotAt(next); // not mapped yet: compile it when reached
        if (slot < 0 || this.tc.linked(slot)) continue;
        const { paddr } = this.tc.slotAddress(slot);
        const tu = this.formUnit(next, paddr - (paddr & 0xfff));
        if (!this.tc.find(this.keyOf(tu))) batch.push(tu);
      }
    }
    return batch;
  }

  /** Compiles `items` (made from `tus`) into one module and links each item's first unit's slot. */
  private instantiate(items: ModuleItem[], tus: Tu[]): FragmentEntry[] {
    const t0 = performance.now();
    const { codeClass, priv } = this.space;
    const layout: ModuleLayout = {
      ...this.layoutBase, tableSize: this.tc.table.length, priv,
      tlbLoadBase: this.tlb.base(priv, TlbKind.Load), tlbStoreBase: this.tlb.base(priv, TlbKind.Store),
    };
    const built = buildModule(items, layout, {
      slotFor: (target, from) => this.chainSlot(codeClass, from, target),
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
    this.tc.instancesOnTable++;
    const t2 = performance.now();
    this.options.dump?.(bytes, this.stats.modules);
    this.stats.modules++;
    this.stats.bytesEmitted += bytes.length;
    this.stats.compileMillis += t1 - t0;
    this.stats.instantiateMillis += t2 - t1;
    const bus = this.board.bus;
    for (const tu of tus) {
      // Stores to a page that now holds code must take the slow path.
      if (bus.mark(PageWatch.Code, bus.ramPage(tu.paddr))) this.tlb.flushStores();
    }
    return items.map((item, i) => {
      const fn = instance.exports[built.names[i]] as () => number;
      const head = item.kind === 'unit' ? item.tu : item.tus[0];
      const ramPage = bus.ramPage(head.paddr);
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
      this.tc.link(this.tc.slotFor(codeClass, head.pc, head.paddr), entry);
      const units = item.kind === 'unit' ? [item.tu] : item.tus;
      for (const tu of units) if (tu.end === 'monitor') this.adaptive?.noteEndsAt(codeClass, tu.nextPc, entry);
      return entry;
    });
  }

  /**
   * What a fragment depends on: code class, addresses, the code bytes, where the unit
   * ends, and how each of its sensitive instructions is lowered (the policy, and adaptation).
   */
  private keyOf(tu: Tu): string {
    let raws = '';
    for (const insn of tu.insns) raws += `${insn.raw.toString(16)},`;
    let lowerings = '';
    for (const l of tu.lowerings) lowerings += l === null ? '-' : l[0];
    for (const l of tu.ptWrites) lowerings += l === null ? '' : l[0];
    return `${this.space.codeClass}|${tu.pc.toString(16)}|${tu.paddr.toString(16)}|${raws}|${lowerings}|${tu.end}|${tu.nextPc.toString(16)}`;
  }

  private flushAll(): void {
    this.tc.flush();
    (this.imports.env as { table: WebAssembly.Table }).table = this.tc.table;
    this.sites = [];
    this.adaptive?.forgetFragments();
    this.tier2.reset();
    this.jumpCache.flush();
    const bus = this.board.bus;
    for (let page = 0; page < bus.watchedPages.length; page++) bus.unmark(PageWatch.Code, page);
  }

  /** A write touched a page with code: drop what it overwrote (self-modifying code, loaders). */
  private codeWritten(paddr: number, size: number): void {
    const bus = this.board.bus;
    for (let page = bus.ramPage(paddr); page <= bus.ramPage(paddr + size - 1); page++) {
      const { dropped, pageEmpty } = this.tc.invalidate(page, paddr, size);
      if (pageEmpty) bus.unmark(PageWatch.Code, page);
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
    if (hart.stopRequested || hart.interruptsDirty || !this.space.current) this.i32[SLOT.attention * 2] = 1;
  }
}
