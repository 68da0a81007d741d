// The translation cache (TC). Compiled fragments live in one shared WebAssembly.Table;
// a slot is the directory entry for one guest address (virtual, and the guest-physical
// address it maps to) in one code class (src/jit/address-space.ts), and starts holding
// the fast interpreter, so a jump to code not compiled yet goes on interpreted. Linking
// is table.set: fragments chain through slots, so re-pointing a slot re-routes every jump
// to it (invalidation, relinking). Fragments are also kept by content key, so identical
// code in an identical context is compiled once.
import { FIRST_FRAGMENT_SLOT, INTERP_FINISH_SLOT } from './exits.js';
import type { InterpreterEntries } from './fast-interp/fast-interpreter.js';
import { CCF_PARAMS } from './codegen/emitter.js';
import { ModuleBuilder } from './wasm/module-builder.js';
import { CodeBuilder } from './wasm/code-builder.js';
import { I32 } from './wasm/types.js';

type CcfFunction = (vm: number) => number;

export interface FragmentEntry {
  readonly key: string;
  readonly fn: CcfFunction;
  /** The RAM page the code came from, and the guest-physical bytes it was made from. */
  readonly ramPage: number;
  readonly paddr: number;
  readonly length: number;
  /** Slots currently pointing at this fragment. */
  readonly slots: Set<number>;
}

/** What a slot stands for: code of this class at virtual address pc, guest-physical paddr. */
export interface SlotAddress {
  readonly codeClass: number;
  readonly pc: bigint;
  readonly paddr: number;
}

interface SlotInfo extends SlotAddress {
  fragment: FragmentEntry | null;
}

/**
 * A table starts at its full size: growing one that modules import costs V8 a copy per
 * instance (8% of a Linux boot when it doubled from 1024), more than the larger table
 * adds to each instantiation.
 */
const INITIAL_SLOTS = 8192;
/**
 * Bounds on one table's life. V8 (Node 20) keeps, for each table, a list of every
 * instance that ever imported it, never shortened (not even when instances die):
 * instantiating a module costs time in proportion to the table's size, and each
 * table.set in proportion to that list. A Linux boot made 6,500 modules against a
 * 30,000-slot table: 8 ms per instantiation, 200 µs per link. So the TC is flushed onto
 * a fresh table before either grows past these (measured: a few tens of µs each).
 */
export const MAX_INSTANCES_PER_TABLE = 1024;
export const MAX_SLOTS_PER_TABLE = INITIAL_SLOTS;
/** Slots one compilation may still allocate after the TC said it was not full (a batch's units and their jump targets). */
const SLOT_HEADROOM = 1024;

export class TranslationCache {
  /** The current table; flush() replaces it. */
  table: WebAssembly.Table;
  /** Modules instantiated against the current table (see MAX_INSTANCES_PER_TABLE). */
  instancesOnTable = 0;
  /** What empty slots hold: the fast interpreter of the current table. */
  private stub!: CcfFunction;
  /** Slots by code class, virtual address and guest-physical address. */
  private readonly slotByAddress = new Map<number, Map<bigint, number | Map<number, number>>>();
  /** By slot number; the interpreter's own slots hold placeholders. */
  private readonly slots: SlotInfo[] = [];
  private readonly fragments = new Map<string, FragmentEntry>();
  private readonly byPage = new Map<number, Set<FragmentEntry>>();
  /** Counters for --stats. */
  invalidations = 0;
  flushes = 0;
  lookups = 0;
  hits = 0;

  /**
   * Runs the code in a slot for the VM at `vm`. One Wasm function makes every entry from
   * the monitor: calling table.get(slot)() instead would make that JS call site
   * megamorphic (a different function each time), which V8 serves with its slow generic
   * JS-to-Wasm wrapper (bench/sensitive: a third of a syscall round trip went there).
   */
  enter!: (vm: number, slot: number) => number;
  /** The fast interpreter instantiated against the current table. */
  interpreter!: InterpreterEntries;

  /** `interpreterFor` instantiates the fast interpreter against a new table. */
  constructor(readonly maxFragments: number, private readonly interpreterFor: (table: WebAssembly.Table) => InterpreterEntries) {
    this.table = this.newTable();
  }

  /**
   * A table of INITIAL_SLOTS slots, every one holding the fast interpreter except its
   * finishing entry's. The interpreter imports the table it tail-calls through, so it is
   * instantiated against the empty table, which then grows once, filled with it (no
   * other instance imports the table yet, so growing it costs nothing extra).
   */
  private newTable(): WebAssembly.Table {
    const table = new WebAssembly.Table({ element: 'anyfunc', initial: 0 });
    this.interpreter = this.interpreterFor(table);
    this.stub = this.interpreter.enter;
    table.grow(INITIAL_SLOTS, this.stub);
    table.set(INTERP_FINISH_SLOT, this.interpreter.finish);
    this.enter = makeEntry(table);
    this.resetSlots();
    return table;
  }

  private resetSlots(): void {
    this.slots.length = 0;
    for (let i = 0; i < FIRST_FRAGMENT_SLOT; i++) this.slots.push({ codeClass: -1, pc: -1n, paddr: -1, fragment: null });
  }

  /** The slot of `pc` at `paddr` in `codeClass` if one exists (allocates nothing), else -1. */
  existingSlot(codeClass: number, pc: bigint, paddr: number): number {
    const found = this.slotByAddress.get(codeClass)?.get(pc);
    if (found === undefined) return -1;
    if (typeof found === 'number') return this.slots[found].paddr === paddr ? found : -1;
    return found.get(paddr) ?? -1;
  }

  get liveFragments(): number {
    return this.fragments.size;
  }

  /** The slot for virtual address `pc` at guest-physical `paddr` in `codeClass`, allocated (holding the fast interpreter) on first use. */
  slotFor(codeClass: number, pc: bigint, paddr: number): number {
    let byPc = this.slotByAddress.get(codeClass);
    if (!byPc) {
      byPc = new Map();
      this.slotByAddress.set(codeClass, byPc);
    }
    // Most addresses only ever map to one place: a plain number until a second one shows up.
    const found = byPc.get(pc);
    if (typeof found === 'number') {
      if (this.slots[found].paddr === paddr) return found;
      const byPaddr = new Map([[this.slots[found].paddr, found]]);
      byPc.set(pc, byPaddr);
      return this.newSlot(codeClass, pc, paddr, byPaddr);
    }
    if (found === undefined) {
      const slot = this.newSlot(codeClass, pc, paddr, null);
      byPc.set(pc, slot);
      return slot;
    }
    return found.get(paddr) ?? this.newSlot(codeClass, pc, paddr, found);
  }

  private newSlot(codeClass: number, pc: bigint, paddr: number, byPaddr: Map<number, number> | null): number {
    const slot = this.slots.length;
    // Not expected (full asks for a flush with SLOT_HEADROOM slots to spare); growing a
    // table that many instances import costs V8 a copy per instance.
    if (slot >= this.table.length) this.table.grow(this.table.length, this.stub);
    this.slots.push({ codeClass, pc, paddr, fragment: null });
    byPaddr?.set(paddr, slot);
    return slot;
  }

  linked(slot: number): FragmentEntry | null {
    return this.slots[slot].fragment;
  }

  /** The cached fragment with this content key, if any. */
  find(key: string): FragmentEntry | undefined {
    this.lookups++;
    const f = this.fragments.get(key);
    if (f) this.hits++;
    return f;
  }

  add(key: string, fn: CcfFunction, ramPage: number, paddr: number, length: number): FragmentEntry {
    const entry: FragmentEntry = { key, fn, ramPage, paddr, length, slots: new Set() };
    // A recompiled version (tier 2, or without its counter) replaces the cached one.
    const old = this.fragments.get(key);
    if (old) this.byPage.get(old.ramPage)?.delete(old);
    this.fragments.set(key, entry);
    let set = this.byPage.get(ramPage);
    if (!set) {
      set = new Set();
      this.byPage.set(ramPage, set);
    }
    set.add(entry);
    return entry;
  }

  link(slot: number, entry: FragmentEntry): void {
    const info = this.slots[slot];
    if (info.fragment) info.fragment.slots.delete(slot);
    info.fragment = entry;
    entry.slots.add(slot);
    this.table.set(slot, entry.fn);
  }

  /** The code class and addresses a slot stands for. */
  slotAddress(slot: number): SlotAddress {
    return this.slots[slot];
  }

  /** Points the slot back at the fast interpreter: entries run interpreted until it asks to compile the code again. */
  unlink(slot: number): void {
    const info = this.slots[slot];
    if (!info.fragment) return;
    info.fragment.slots.delete(slot);
    info.fragment = null;
    this.table.set(slot, this.stub);
  }

  /**
   * Drops the fragments of `ramPage` made from bytes in [paddr, paddr + size). Returns
   * how many were dropped; `pageEmpty` tells whether the page still holds any code.
   */
  invalidate(ramPage: number, paddr: number, size: number): { dropped: number; pageEmpty: boolean } {
    const set = this.byPage.get(ramPage);
    if (!set) return { dropped: 0, pageEmpty: true };
    let dropped = 0;
    for (const entry of this.covering(ramPage, paddr, size)) {
      for (const slot of [...entry.slots]) this.unlink(slot);
      this.fragments.delete(entry.key);
      set.delete(entry);
      dropped++;
    }
    this.invalidations += dropped;
    if (set.size === 0) this.byPage.delete(ramPage);
    return { dropped, pageEmpty: set.size === 0 };
  }

  /** The fragments of `ramPage` made from bytes in [paddr, paddr + size). */
  covering(ramPage: number, paddr: number, size: number): FragmentEntry[] {
    const set = this.byPage.get(ramPage);
    if (!set) return [];
    return [...set].filter((entry) => paddr < entry.paddr + entry.length && paddr + size > entry.paddr);
  }

  /**
   * Whether the TC has reached its size bound, or its table the end of its useful life,
   * and should be flushed before adding more.
   */
  get full(): boolean {
    return this.fragments.size >= this.maxFragments || this.instancesOnTable >= MAX_INSTANCES_PER_TABLE ||
      this.slots.length >= MAX_SLOTS_PER_TABLE - SLOT_HEADROOM;
  }

  /**
   * Empties the TC onto a fresh table: every fragment dropped, every slot the fast interpreter. Modules
   * must then be instantiated against the new `table`.
   */
  flush(): void {
    this.table = this.newTable();
    this.instancesOnTable = 0;
    this.slotByAddress.clear();
    this.fragments.clear();
    this.byPage.clear();
    this.flushes++;
  }

}

function makeEntry(table: WebAssembly.Table): (vm: number, slot: number) => number {
  const mb = new ModuleBuilder();
  const ccf = mb.addType(CCF_PARAMS, [I32]);
  const type = mb.addType([I32, I32], [I32]);
  mb.importTable('env', 'table', 0);
  const body = new CodeBuilder([I32, I32]).localGet(0).localGet(1).returnCallIndirect(ccf).finish();
  mb.exportFunction('enter', mb.addFunction(type, body));
  const instance = new WebAssembly.Instance(new WebAssembly.Module(mb.toBytes() as Uint8Array<ArrayBuffer>), { env: { table } });
  return instance.exports.enter as (vm: number, slot: number) => number;
}
