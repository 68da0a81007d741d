// The fast interpreter as a Wasm module: cold code runs here, on the same state block,
// TLBs and memory as compiled code, one instruction at a time, with exact instruction
// counts. Its handlers are emitted from the code generator's own semantics (alu.ts,
// memory.ts, control.ts) through InterpEmitter, so there is one home for what each
// instruction does.
//
// One function, a loop: check the budget, translate the fetch (a per-page cache in locals
// over the fetch TLB), fetch 16 or 32 bits, find the decoded instruction in the decode
// cache, and dispatch on its operation with a br_table. After every control transfer
// (taken or not) it looks the new pc up in the jump cache, and tail-calls compiled code
// when there is some; otherwise it counts the block's entry in the heat table and leaves
// with EXIT.COMPILE when the block has run often enough to be worth compiling.
//
// What it leaves to others: sensitive instructions go to the monitor through the
// `system` import and continue unless the monitor says to leave; illegal words, amocas.q,
// instructions straddling a page and fetches the TLB cannot serve leave with EXIT.MONITOR
// (the monitor's interpreter runs that one instruction and raises any fault).
import { Op, OP_COUNT } from '../../isa/opcodes.js';
import { SLOT } from '../../machine/hart-state.js';
import {
  DECODE_CACHE_BITS, DECODE_CACHE_OFFSET, HEAT_BITS, HEAT_OFFSET, JUMP_CACHE_OFFSET, TLB_ENTRY_BYTES, TLB_OFFSET,
} from '../../machine/layout.js';
import { emitAlu, isAlu } from '../codegen/alu.js';
import { emitControl } from '../codegen/control.js';
import { CCF_PARAMS, VM_PARAM } from '../codegen/emitter.js';
import { CONTEXT_OFFSET, emitJumpCacheIndex } from '../codegen/fragment.js';
import { emitMemory, isAtomic, LOADS, STORES } from '../codegen/memory.js';
import { SPAN, SPAN_KIND_OFFSET, SPAN_START_OFFSET } from '../codegen/spans.js';
import { mulhuBody, signedMulhBody } from '../codegen/wide-multiply.js';
import { EXIT } from '../exits.js';
import { CodeBuilder } from '../wasm/code-builder.js';
import { ModuleBuilder } from '../wasm/module-builder.js';
import { I32, I64 } from '../wasm/types.js';
import { DECODE_HASH, DECODED } from './decode-cache.js';
import { INTERP_LOOP_PARAMS, InterpEmitter } from './interp-emitter.js';

export interface InterpLayout {
  /** Pages of the imported memory. */
  memoryPages: number;
  /** Entries in each TLB table (a power of two). */
  tlbEntries: number;
  /** Entries of a block before the interpreter asks for it to be compiled. */
  compileThreshold: number;
}

/** Multiplier of the heat table's hash. */
const HEAT_HASH = 0x9e37_79b1;

/** The system instructions the monitor executes for the interpreter. */
const SYSTEM_OPS: ReadonlySet<Op> = new Set([
  Op.ECALL, Op.EBREAK, Op.CSRRW, Op.CSRRS, Op.CSRRC, Op.CSRRWI, Op.CSRRSI, Op.CSRRCI,
  Op.MRET, Op.SRET, Op.WFI, Op.SFENCE_VMA,
]);

type HandlerKind = 'alu' | 'memory' | 'control' | 'nop' | 'system' | 'monitor';

function handlerKind(op: Op): HandlerKind {
  if (isAlu(op)) return 'alu';
  if (op === Op.AMOCAS_Q) return 'monitor'; // its register pairs do not fit the atomic helper
  if (LOADS[op] || STORES[op] || isAtomic(op)) return 'memory';
  if (op === Op.JAL || op === Op.JALR || (op >= Op.BEQ && op <= Op.BGEU)) return 'control';
  if (op === Op.FENCE || op === Op.FENCE_I) return 'nop'; // one hart; stores to code invalidate it already
  if (SYSTEM_OPS.has(op)) return 'system';
  return 'monitor';
}

/** The interpreter module's bytes; its exports `enter` and `finish` are fragments' type (vm) -> exit. */
export function buildInterpreterModule(layout: InterpLayout): Uint8Array {
  const mb = new ModuleBuilder();
  const ccfType = mb.addType(CCF_PARAMS, [I32]);
  const loopType = mb.addType(INTERP_LOOP_PARAMS, [I32]);
  mb.importMemory('env', 'memory', layout.memoryPages, layout.memoryPages);
  mb.importTable('env', 'table', 0);
  const loadFn = mb.importFunction('env', 'load', mb.addType([I64, I32], [I64]));
  const storeFn = mb.importFunction('env', 'store', mb.addType([I64, I64, I32], []));
  const atomicFn = mb.importFunction('env', 'atomic', mb.addType([I32, I64, I64, I64], [I64]));
  const systemFn = mb.importFunction('env', 'system', mb.addType([I32, I64], [I32]));
  const fetchMissFn = mb.importFunction('env', 'fetchMiss', mb.addType([I64], [I32]));
  const decodeMissFn = mb.importFunction('env', 'decodeMiss', mb.addType([I32, I32], []));
  const wideType = mb.addType([I64, I64], [I64]);
  const mulhuFn = mb.addFunction(wideType, mulhuBody());
  const mulhFn = mb.addFunction(wideType, signedMulhBody(mulhuFn, true));
  const mulhsuFn = mb.addFunction(wideType, signedMulhBody(mulhuFn, false));

  const e = new InterpEmitter({ loadFn, storeFn, atomicFn, mulhuFn, mulhFn, mulhsuFn, tlbMask: layout.tlbEntries - 1 });
  const loopFn = mb.addFunction(loopType, loopBody(e, layout, { ccfType, systemFn, fetchMissFn, decodeMissFn }));
  mb.exportFunction('enter', mb.addFunction(ccfType, callLoop(loopFn, 1)));
  mb.exportFunction('finish', mb.addFunction(ccfType, callLoop(loopFn, 0)));
  return mb.toBytes();
}

function callLoop(loopFn: number, countEntry: number): Uint8Array {
  return new CodeBuilder(CCF_PARAMS).localGet(VM_PARAM).i32Const(countEntry).returnCall(loopFn).finish();
}

interface Functions { ccfType: number; systemFn: number; fetchMissFn: number; decodeMissFn: number }

function loopBody(e: InterpEmitter, layout: InterpLayout, fns: Functions): Uint8Array {
  const c = e.c;
  const fetchPage = e.fetchPage;
  const fetchAddend = c.addLocal(I32);
  const tableBytes = layout.tlbEntries * TLB_ENTRY_BYTES;

  // Prologue: pc and budget into locals, open the interpreter's span, the TLB tables of
  // the privilege level (U, S, M use table sets 0, 1, 2: priv - priv/2).
  e.vm();
  c.i64Load(SLOT.pc * 8).localSet(e.pc);
  e.vm();
  c.i32Load(SLOT.budget * 8).localSet(e.budget);
  e.vm();
  c.i32Const(SPAN.Interpreter).i32Store(SPAN_KIND_OFFSET);
  e.vm();
  c.localGet(e.budget).i32Store(SPAN_START_OFFSET);
  e.vm();
  c.i64Load(SLOT.priv * 8).i32WrapI64().localTee(e.t32a).localGet(e.t32a).i32Const(1).i32ShrU().i32Sub()
    .i32Const(3 * tableBytes).i32Mul().i32Const(TLB_OFFSET).i32Add();
  e.vm();
  c.i32Add().localTee(e.tlbFetch).i32Const(tableBytes).i32Add().localTee(e.tlbLoad).i32Const(tableBytes).i32Add()
    .localSet(e.tlbStore);
  c.i64Const(-1n).localSet(fetchPage);
  c.localGet(1).if_();
  countHeat(e, layout);
  c.end();

  c.loop();
  const top = c.openBlocks;
  c.block();
  e.jumpedLevel = c.openBlocks;
  c.block();
  e.nextLevel = c.openBlocks;

  // The budget: nothing is executed once it is spent.
  c.localGet(e.budget).i32Eqz().if_();
  e.exit(EXIT.BUDGET);
  c.end();

  // Fetch translation, cached per page in locals over the fetch TLB.
  c.localGet(e.pc).i64Const(12n).i64ShrU().localGet(fetchPage).i64Ne().if_();
  c.localGet(e.pc).i64Const(12n).i64ShrU().i32WrapI64().i32Const(layout.tlbEntries - 1).i32And().i32Const(4).i32Shl()
    .localGet(e.tlbFetch).i32Add().localTee(e.t32a).i64Load(0)
    .localGet(e.pc).i64Const(~0xfffn).i64And().i64Eq().if_();
  c.localGet(e.t32a).i32Load(8).localSet(fetchAddend);
  c.localGet(e.pc).i64Const(12n).i64ShrU().localSet(fetchPage);
  c.else_();
  // Not in the TLB: the monitor fills it, or the instruction is its to run (a fault, not RAM).
  c.localGet(e.pc).call(fns.fetchMissFn).if_();
  e.exit(EXIT.MONITOR);
  c.end();
  c.br(c.openBlocks - top);
  c.end();
  c.end();

  // Fetch 16 bits; a 32-bit instruction's other half is in the same page unless it straddles.
  c.localGet(e.pc).i32WrapI64().localGet(fetchAddend).i32Add().localTee(e.t32a).i32Load16U(0).localTee(e.raw)
    .i32Const(3).i32And().i32Const(3).i32Eq().if_();
  c.localGet(e.pc).i32WrapI64().i32Const(0xfff).i32And().i32Const(0xffe).i32Eq().if_();
  e.exit(EXIT.MONITOR);
  c.end();
  c.localGet(e.t32a).i32Load(0).localSet(e.raw);
  c.i64Const(4n).localSet(e.len);
  c.else_();
  c.i64Const(2n).localSet(e.len);
  c.end();
  c.localGet(e.budget).i32Const(1).i32Sub().localSet(e.budget);

  // The decoded instruction, from the cache (filled by the monitor on a miss). The cache
  // is shared by every VM: an absolute address.
  c.localGet(e.raw).i32Const(DECODE_HASH | 0).i32Mul().i32Const(32 - DECODE_CACHE_BITS).i32ShrU().i32Const(4).i32Shl()
    .i32Const(DECODE_CACHE_OFFSET).i32Add().localTee(e.entry).i32Load(DECODED.raw).localGet(e.raw).i32Ne().if_();
  c.localGet(e.raw).localGet(e.entry).call(fns.decodeMissFn);
  c.end();

  emitDispatch(e, fns);

  c.end(); // next: the instruction fell through
  c.localGet(e.pc).localGet(e.len).i64Add().localSet(e.pc);
  c.br(c.openBlocks - top);
  c.end(); // jumped: pc is a control transfer's target

  // A block the interpreter entered often enough may have compiled code: look it up in
  // the jump cache (as compiled code finds it) and tail-call it, or ask for it.
  countHeat(e, layout, () => {
    emitJumpCacheIndex(e, e.pc);
    c.localTee(e.t32a).i64Load(JUMP_CACHE_OFFSET).localGet(e.pc).i64Eq()
      .localGet(e.t32a).i32Load(JUMP_CACHE_OFFSET + 8);
    e.vm();
    c.i32Load(CONTEXT_OFFSET).i32Eq().i32And().if_();
    e.leave();
    e.vm();
    c.localGet(e.t32a).i32Load(JUMP_CACHE_OFFSET + 12).returnCallIndirect(fns.ccfType);
    c.end();
  });
  c.br(c.openBlocks - top);
  c.end(); // loop
  c.unreachable();
  return c.finish();
}

/**
 * Counts an entry of the block at pc; once it has had enough, runs `hot` (which may
 * leave for compiled code) and then leaves with EXIT.COMPILE. Only hot blocks are looked
 * up in the jump cache: code is compiled for blocks that got hot (and for the successors
 * compiled with them, which compiled code reaches by chaining), so a cold branch costs
 * the interpreter one counter.
 */
function countHeat(e: InterpEmitter, layout: InterpLayout, hot?: () => void): void {
  const c = e.c;
  c.localGet(e.pc).i32WrapI64().i32Const(1).i32ShrU().i32Const(HEAT_HASH | 0).i32Mul().i32Const(32 - HEAT_BITS).i32ShrU()
    .i32Const(2).i32Shl();
  e.vm();
  c.i32Add().localTee(e.t32a);
  c.localGet(e.t32a).i32Load(HEAT_OFFSET).i32Const(1).i32Add().localTee(e.t32b).i32Store(HEAT_OFFSET);
  c.localGet(e.t32b).i32Const(layout.compileThreshold).i32GeS().if_();
  hot?.();
  e.exit(EXIT.COMPILE);
  c.end();
}

/** The br_table over every operation, and one handler per kind (ALU, memory and control: per operation). */
function emitDispatch(e: InterpEmitter, fns: Functions): void {
  const c = e.c;
  const handlers: { op: Op; kind: HandlerKind }[] = [];
  const indexOf: number[] = [];
  const shared = new Map<HandlerKind, number>();
  for (let op = 0 as Op; op < OP_COUNT; op++) {
    const kind = handlerKind(op);
    const perOp = kind === 'alu' || kind === 'memory' || kind === 'control';
    if (!perOp && shared.has(kind)) { indexOf.push(shared.get(kind)!); continue; }
    if (!perOp) shared.set(kind, handlers.length);
    indexOf.push(handlers.length);
    handlers.push({ op, kind });
  }
  for (let i = 0; i < handlers.length; i++) c.block();
  c.localGet(e.entry).i32Load8U(DECODED.op).brTable(indexOf, shared.get('monitor')!);
  for (const h of handlers) {
    c.end();
    emitHandler(e, h.op, h.kind, fns);
  }
}

function emitHandler(e: InterpEmitter, op: Op, kind: HandlerKind, fns: Functions): void {
  const c = e.c;
  switch (kind) {
    case 'alu':
      emitAlu(e, op);
      e.next();
      return;
    case 'memory':
      emitMemory(e, op, null, null);
      e.next();
      return;
    case 'control':
      emitControl(e, op);
      return;
    case 'nop':
      e.next();
      return;
    case 'system':
      // The monitor runs it as a callout would; non-zero: it moved state.pc, so leave.
      e.beforeHelper();
      c.localGet(e.raw).localGet(e.pc).call(fns.systemFn).if_();
      e.vm();
      c.i64Load(SLOT.pc * 8).localSet(e.pc);
      e.exit(EXIT.ATTENTION);
      c.end();
      c.i64Const(-1n).localSet(e.fetchPage); // the fetch translation may have moved
      e.next();
      return;
    case 'monitor':
      // Not executed here: give back its instruction for the monitor's interpreter to run.
      c.localGet(e.budget).i32Const(1).i32Add().localSet(e.budget);
      e.exit(EXIT.MONITOR);
  }
}

