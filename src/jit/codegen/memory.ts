// Loads and stores: an inline software-TLB lookup (src/mmu/tlb.ts) with the direct access
// on a hit, and a call to the monitor's slow helper otherwise (a miss, a device, a page
// holding code or a shadowed page table, a misaligned access, or a fault, which the
// helper raises as a guest exception after the emitter has made its state exact).
//
// A store whose page-table-write case is lowered in-TC also accepts a store-TLB entry
// carrying the page-table tag (PT_TLB_TAG): it stores inline and appends the machine page
// to the page-table write log in linear memory, which the shadow MMU reads to resync
// before it next serves a miss (src/mmu/shadow.ts): the write costs no exit at all.
import { amoShape } from '../../isa/amo.js';
import { Op } from '../../isa/opcodes.js';
import { DEVICE_ACCESS_TRAPS, PT_WRITE_INLINE, PT_WRITE_TRAPS } from '../exits.js';
import { PT_WRITE_LOG_ENTRIES, PT_WRITE_LOG_OFFSET } from '../../machine/layout.js';
import { PT_TLB_TAG } from '../../mmu/tlb.js';
import type { Lowering } from '../lowering.js';
import { I64 } from '../wasm/types.js';
import { TlbTable, type Emitter } from './emitter.js';

export interface LoadAccess { size: 1 | 2 | 4 | 8; signed: boolean }

export const LOADS: Partial<Record<Op, LoadAccess>> = {
  [Op.LB]: { size: 1, signed: true }, [Op.LH]: { size: 2, signed: true }, [Op.LW]: { size: 4, signed: true },
  [Op.LD]: { size: 8, signed: false }, [Op.LBU]: { size: 1, signed: false }, [Op.LHU]: { size: 2, signed: false },
  [Op.LWU]: { size: 4, signed: false },
};
export const STORES: Partial<Record<Op, 1 | 2 | 4 | 8>> = { [Op.SB]: 1, [Op.SH]: 2, [Op.SW]: 4, [Op.SD]: 8 };

/**
 * `devices` is how a load or store that reaches a device is lowered: 'trap' leaves to
 * the monitor (the helper signals it), anything else has the helper perform the access
 * (a callout; devices live in the monitor, so there is no inline form).
 */
export function emitMemory(e: Emitter, op: Op, devices: Lowering | null, ptWrites: Lowering | null = null): boolean {
  if (isAtomic(op)) { emitAtomic(e, op); return true; }
  const flags = devices === 'trap' ? DEVICE_ACCESS_TRAPS : 0;
  const load = LOADS[op];
  if (load) { emitLoad(e, load, flags); return true; }
  const size = STORES[op];
  if (size) {
    const pt = ptWrites === 'trap' ? PT_WRITE_TRAPS : ptWrites === 'intc' ? PT_WRITE_INLINE : 0;
    emitStore(e, size, flags | pt);
    return true;
  }
  return false;
}

/**
 * addr = rs1 + imm into t64a; leaves the TLB entry's address (without the static
 * offset, which it returns) in t32a and the tag comparison on the stack (with `keepTag`,
 * the tag the access needs also stays in t64c).
 */
function lookup(e: Emitter, size: number, table: TlbTable, keepTag = false): number {
  const c = e.c;
  e.rs1();
  if (e.knownImm !== 0) { e.imm64(); c.i64Add(); }
  c.localSet(e.t64a);
  c.localGet(e.t64a).i64Const(12n).i64ShrU().i32WrapI64().i32Const(e.ctx.tlbMask).i32And().i32Const(4).i32Shl()
    .localSet(e.t32a);
  const offset = e.tlbEntry(table);
  c.localTee(e.t32a).i64Load(offset);
  // Keeping the low (size - 1) bits makes a misaligned address miss.
  c.localGet(e.t64a).i64Const(~0xfffn | BigInt(size - 1)).i64And();
  if (keepTag) c.localTee(e.t64c);
  c.i64Eq();
  return offset;
}

/** Pushes the machine address (i32) of a TLB hit. */
function machineAddress(e: Emitter, offset: number): void {
  e.c.localGet(e.t64a).localGet(e.t32a).i64Load(offset + 8).i64Add().i32WrapI64();
}

function emitLoad(e: Emitter, a: LoadAccess, flags: number): void {
  const c = e.c;
  const offset = lookup(e, a.size, TlbTable.Load);
  c.if_(I64);
  machineAddress(e, offset);
  switch (a.size) {
    case 1: if (a.signed) c.i64Load8S(); else c.i64Load8U(); break;
    case 2: if (a.signed) c.i64Load16S(); else c.i64Load16U(); break;
    case 4: if (a.signed) c.i64Load32S(); else c.i64Load32U(); break;
    default: c.i64Load();
  }
  c.else_();
  e.beforeHelper();
  c.localGet(e.t64a).i32Const(a.size | flags).call(e.ctx.loadFn);
  if (a.signed) {
    if (a.size === 1) c.i64Extend8S(); else if (a.size === 2) c.i64Extend16S(); else c.i64Extend32S();
  }
  c.localSet(e.t64b);
  // A device read may need the monitor (an interrupt line moved): finish the load first.
  e.exitIfAttention(() => e.storeRdToState(e.t64b));
  c.localGet(e.t64b);
  c.end();
  e.setRd();
}

function emitStore(e: Emitter, size: 1 | 2 | 4 | 8, flags: number): void {
  const c = e.c;
  e.rs2();
  c.localSet(e.t64b);
  // The in-TC page-table-write form compares the entry with both tags (plain, page-table).
  const inline = (flags & PT_WRITE_INLINE) !== 0;
  const offset = lookup(e, size, TlbTable.Store, inline);
  c.if_();
  storeHit(e, offset, size);
  if (inline) {
    c.else_();
    c.localGet(e.t32a).i64Load(offset).localGet(e.t64c).i64Const(PT_TLB_TAG).i64Or().i64Eq();
    c.if_();
    storeHit(e, offset, size);
    logPageTableWrite(e, offset);
  }
  c.else_();
  e.beforeHelper();
  c.localGet(e.t64a).localGet(e.t64b).i32Const(size | flags).call(e.ctx.storeFn);
  e.exitIfAttention();
  c.end();
  if (inline) c.end();
}

/** The store of a TLB hit: t64b to the machine address of t64a. */
function storeHit(e: Emitter, offset: number, size: 1 | 2 | 4 | 8): void {
  const c = e.c;
  machineAddress(e, offset);
  c.localGet(e.t64b);
  switch (size) {
    case 1: c.i64Store8(); break;
    case 2: c.i64Store16(); break;
    case 4: c.i64Store32(); break;
    default: c.i64Store();
  }
}

/**
 * Appends the machine page of the store at t64a to the page-table write log: {count: i32,
 * pad, pages: u32[PT_WRITE_LOG_ENTRIES]}, in the VM's area. Past the end the count keeps
 * growing and the slots wrap: the monitor then resyncs every shadowed table.
 */
function logPageTableWrite(e: Emitter, offset: number): void {
  const c = e.c;
  const t = e.t32b;
  e.vm();
  c.i32Load(PT_WRITE_LOG_OFFSET).localSet(t);
  c.localGet(t).i32Const(PT_WRITE_LOG_ENTRIES - 1).i32And().i32Const(2).i32Shl();
  e.vm();
  c.i32Add();
  machineAddress(e, offset);
  c.i32Const(~0xfff).i32And().i32Store(PT_WRITE_LOG_OFFSET + 8);
  e.vm();
  c.localGet(t).i32Const(1).i32Add().i32Store(PT_WRITE_LOG_OFFSET);
}

export function isAtomic(op: Op): boolean {
  return op === Op.LR_W || op === Op.LR_D || op === Op.SC_W || op === Op.SC_D || amoShape(op) !== undefined;
}

/**
 * LR/SC and AMOs call the monitor's atomic helper (src/mmu/atomics.ts, shared with the
 * reference interpreter): they are rare enough outside lock paths that one call each is
 * cheap, and the reservation and the device and fault cases stay in one place.
 */
function emitAtomic(e: Emitter, op: Op): void {
  const c = e.c;
  e.rs1();
  c.localSet(e.t64a);
  e.rs2();
  c.localSet(e.t64b);
  e.rdValue(); // the compare value of a CAS
  c.localSet(e.t64c);
  e.beforeHelper();
  c.i32Const(op).localGet(e.t64a).localGet(e.t64b).localGet(e.t64c).call(e.ctx.atomicFn).localSet(e.t64b);
  e.exitIfAttention(() => e.storeRdToState(e.t64b));
  c.localGet(e.t64b);
  e.setRd();
}
