// The fast interpreter's module, compiled once per layout in a process and instantiated
// against each translation-cache table (it tail-calls compiled code through the table,
// and sits in the table's empty slots).
import { buildInterpreterModule, type InterpLayout } from './interp-module.js';

/** What the interpreter imports besides memory and table: the monitor's services. */
export interface InterpreterImports {
  load(vaddr: bigint, sizeAndFlags: number): bigint;
  store(vaddr: bigint, value: bigint, sizeAndFlags: number): void;
  atomic(op: number, vaddr: bigint, src: bigint, compare: bigint): bigint;
  /** Executes the system instruction `raw` at `pc` (counters exact in the state block); non-zero: leave, state.pc set. */
  system(raw: number, pc: bigint): number;
  /** Fills the fetch TLB for `pc`; non-zero: the monitor must run the instruction (a fault, not RAM). Never throws. */
  fetchMiss(pc: bigint): number;
  /** Decodes `raw` into the decode-cache entry at `address`. */
  decodeMiss(raw: number, address: number): void;
}

/** The interpreter's entries, both of compiled fragments' type (vm) -> exit. */
export interface InterpreterEntries {
  /** Runs from state.pc, counting this entry towards compiling the block there. */
  readonly enter: (vm: number) => number;
  /** Runs from state.pc to the end of the slice's budget (or an earlier exit), counting nothing. */
  readonly finish: (vm: number) => number;
}

const modules = new Map<string, WebAssembly.Module>();

/** The compiled module for `layout` (compiled on first use in this process; about 1 ms of code generation). */
export function interpreterModule(layout: InterpLayout): WebAssembly.Module {
  const key = `${layout.memoryPages}|${layout.tlbEntries}|${layout.compileThreshold}`;
  let module = modules.get(key);
  if (!module) {
    module = new WebAssembly.Module(buildInterpreterModule(layout) as Uint8Array<ArrayBuffer>);
    modules.set(key, module);
  }
  return module;
}

export function instantiateInterpreter(module: WebAssembly.Module, memory: WebAssembly.Memory, table: WebAssembly.Table,
  imports: InterpreterImports): InterpreterEntries {
  const instance = new WebAssembly.Instance(module, { env: { memory, table, ...imports } });
  const ex = instance.exports as unknown as InterpreterEntries;
  return { enter: ex.enter, finish: ex.finish };
}
