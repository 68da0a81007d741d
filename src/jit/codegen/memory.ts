// Loads and stores: an inline software-TLB lookup (src/mmu/tlb.ts) with the direct access
// on a hit, and a call to the monitor's slow helper otherwise (a miss, a device, a page
// holding code or a shadowed page table, a misaligned access, or a fault, which the
// helper raises as a guest exception after the fragment has made its state exact).
//
// A store whose page-table-write case is lowered in-TC also accepts a store-TLB entry
// carrying the page-table tag (PT_TLB_TAG): it stores inline and appends the machine page
// to the page-table write log in linear memory, which the shadow MMU reads to resync
// before it next serves a miss (src/mmu/shadow.ts): the write costs no exit at all.
import type { Insn } from '../../isa/insn.js';
import { amoShape } from '../../isa/amo.js';
import { Op } from '../../isa/opcodes.js';
import { DEVICE_ACCESS_TRAPS, PT_WRITE_INLINE, PT_WRITE_TRAPS } from '../exits.js';
import { PT_WRITE_LOG_ENTRIES, PT_WRITE_LOG_OFFSET } from '../../machine/layout.js';
import { PT_TLB_TAG } from '../../mmu/tlb.js';
import type { Lowering } from '../lowering.js';
import { I64 } from '../wasm/types.js';
import type { Fragment } from './fragment.js';

interface Access { size: 1 | 2 | 4 | 8; signed: boolean }

const LOADS: Partial<Record<Op, Access>> = {
  [Op.LB]: { size: 1, signed: true }, [Op.LH]: { size: 2, signed: true }, [Op.LW]: { size: 4, signed: true },
  [Op.LD]: { size: 8, signed: false }, [Op.LBU]: { size: 1, signed: false }, [Op.LHU]: { size: 2, signed: false },
  [Op.LWU]: { size: 4, signed: false },
};
const STORES: Partial<Record<Op, 1 | 2 | 4 | 8>> = { [Op.SB]: 1, [Op.SH]: 2, [Op.SW]: 4, [Op.SD]: 8 };

/** Where this instruction sits in its unit: for exact state on a slow path. */
export interface Position { pc: bigint; nextPc: bigint; index: number; count: number }

/**
 * `devices` is how a load or store that reaches a device is lowered: 'trap' leaves to
 * the monitor (the helper signals it), anything else has the helper perform the access
 * (a callout; devices live in the monitor, so there is no inline form).
 */
export function emitMemory(f: Fragment, insn: Insn, at: Position, devices: Lowering | null, ptWrites: Lowering | null = null): boolean {
  if (isAtomic(insn.op)) { emitAtomic(f, insn, at); return true; }
  const flags = devices === 'trap' ? DEVICE_ACCESS_TRAPS : 0;
  const load = LOADS[insn.op];
  if (load) { emitLoad(f, insn, load, at, flags); return true; }
  const size = STORES[insn.op];
  if (size) {
    const pt = ptWrites === 'trap' ? PT_WRITE_TRAPS : ptWrites === 'intc' ? PT_WRITE_INLINE : 0;
    emitStore(f, insn, size, at, flags | pt);
    return true;
  }
  return false;
}

/**
 * addr = rs1 + imm into t64a; leaves the TLB entry offset in t32a and the tag comparison
 * on the stack (with `keepTag`, the tag the access needs also stays in t64c).
 */
function lookup(f: Fragment, insn: Insn, size: number, base: number, keepTag = false): void {
  const c = f.c;
  f.get(insn.rs1);
  if (insn.imm !== 0) c.i64Const(BigInt(insn.imm)).i64Add();
  c.localSet(f.t64a);
  c.localGet(f.t64a).i64Const(12n).i64ShrU().i32WrapI64().i32Const(f.ctx.tlbMask).i32And().i32Const(4).i32Shl()
    .localTee(f.t32a).i64Load(base);
  // Keeping the low (size - 1) bits makes a misaligned address miss.
  c.localGet(f.t64a).i64Const(~0xfffn | BigInt(size - 1)).i64And();
  if (keepTag) c.localTee(f.t64c);
  c.i64Eq();
}

/** Pushes the machine address (i32) of a TLB hit. */
function machineAddress(f: Fragment, base: number): void {
  f.c.localGet(f.t64a).localGet(f.t32a).i64Load(base + 8).i64Add().i32WrapI64();
}

function emitLoad(f: Fragment, insn: Insn, a: Access, at: Position, flags: number): void {
  const c = f.c;
  const base = f.ctx.tlbLoadBase;
  lookup(f, insn, a.size, base);
  c.if_(I64);
  machineAddress(f, base);
  switch (a.size) {
    case 1: if (a.signed) c.i64Load8S(); else c.i64Load8U(); break;
    case 2: if (a.signed) c.i64Load16S(); else c.i64Load16U(); break;
    case 4: if (a.signed) c.i64Load32S(); else c.i64Load32U(); break;
    default: c.i64Load();
  }
  c.else_();
  f.beforeHelper(at.pc, at.index, at.count);
  c.localGet(f.t64a).i32Const(a.size | flags).call(f.ctx.loadFn);
  if (a.signed) {
    if (a.size === 1) c.i64Extend8S(); else if (a.size === 2) c.i64Extend16S(); else c.i64Extend32S();
  }
  c.localSet(f.t64b);
  // A device read may need the monitor (an interrupt line moved): finish the load first.
  f.exitIfAttention(at.nextPc, () => {
    if (insn.rd !== 0) c.i32Const(0).localGet(f.t64b).i64Store(insn.rd * 8);
  });
  c.localGet(f.t64b);
  c.end();
  f.set(insn.rd);
}

function emitStore(f: Fragment, insn: Insn, size: 1 | 2 | 4 | 8, at: Position, flags: number): void {
  const c = f.c;
  const base = f.ctx.tlbStoreBase;
  f.get(insn.rs2);
  c.localSet(f.t64b);
  // The in-TC page-table-write form compares the entry with both tags (plain, page-table).
  const inline = (flags & PT_WRITE_INLINE) !== 0;
  lookup(f, insn, size, base, inline);
  c.if_();
  storeHit(f, base, size);
  if (inline) {
    c.else_();
    c.localGet(f.t32a).i64Load(base).localGet(f.t64c).i64Const(PT_TLB_TAG).i64Or().i64Eq();
    c.if_();
    storeHit(f, base, size);
    logPageTableWrite(f, base);
  }
  c.else_();
  f.beforeHelper(at.pc, at.index, at.count);
  c.localGet(f.t64a).localGet(f.t64b).i32Const(size | flags).call(f.ctx.storeFn);
  f.exitIfAttention(at.nextPc);
  c.end();
  if (inline) c.end();
}

/** The store of a TLB hit: t64b to the machine address of t64a. */
function storeHit(f: Fragment, base: number, size: 1 | 2 | 4 | 8): void {
  const c = f.c;
  machineAddress(f, base);
  c.localGet(f.t64b);
  switch (size) {
    case 1: c.i64Store8(); break;
    case 2: c.i64Store16(); break;
    case 4: c.i64Store32(); break;
    default: c.i64Store();
  }
}

/**
 * Appends the machine page of the store at t64a to the page-table write log: {count: i32,
 * pad, pages: u32[PT_WRITE_LOG_ENTRIES]}. Past the end the count keeps growing and the
 * slots wrap: the monitor then resyncs every shadowed table.
 */
function logPageTableWrite(f: Fragment, base: number): void {
  const c = f.c;
  const t = f.t32b;
  c.i32Const(0).i32Load(PT_WRITE_LOG_OFFSET).localSet(t);
  c.localGet(t).i32Const(PT_WRITE_LOG_ENTRIES - 1).i32And().i32Const(2).i32Shl();
  machineAddress(f, base);
  c.i32Const(~0xfff).i32And().i32Store(PT_WRITE_LOG_OFFSET + 8);
  c.i32Const(0).localGet(t).i32Const(1).i32Add().i32Store(PT_WRITE_LOG_OFFSET);
}

function isAtomic(op: Op): boolean {
  return op === Op.LR_W || op === Op.LR_D || op === Op.SC_W || op === Op.SC_D || amoShape(op) !== undefined;
}

/**
 * LR/SC and AMOs call the monitor's atomic helper (src/mmu/atomics.ts, shared with the
 * interpreter): they are rare enough outside lock paths that one call each is cheap, and
 * the reservation and the device and fault cases stay in one place.
 */
function emitAtomic(f: Fragment, insn: Insn, at: Position): void {
  const c = f.c;
  f.get(insn.rs1);
  c.localSet(f.t64a);
  f.get(insn.rs2);
  c.localSet(f.t64b);
  f.get(insn.rd); // the compare value of a CAS
  c.localSet(f.t64c);
  f.beforeHelper(at.pc, at.index, at.count);
  c.i32Const(insn.op).localGet(f.t64a).localGet(f.t64b).localGet(f.t64c).call(f.ctx.atomicFn).localSet(f.t64b);
  f.exitIfAttention(at.nextPc, () => {
    if (insn.rd !== 0) c.i32Const(0).localGet(f.t64b).i64Store(insn.rd * 8);
  });
  c.localGet(f.t64b);
  f.set(insn.rd);
}
