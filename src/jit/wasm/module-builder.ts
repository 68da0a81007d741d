// A whole module (core spec 5.5): collects types, imports, functions, globals, exports
// and element segments, and serialises them in the spec's section order. Each section's
// entries are encoded into their own small buffer as they are added, so toBytes() is a
// handful of copies plus the function bodies, not a walk over objects.
//
// The JIT's modules import everything shared (the guest-state memory, the TC table, the
// monitor's helper functions) and define only functions, so that is what this supports;
// defining memories, tables or data segments can be added when something needs them.

import { ByteBuffer } from './byte-buffer.js';
import { OP } from './opcodes.js';
import { EXTERNAL, F32, F64, FUNCREF, FUNC_TYPE_FORM, I32, I64, SECTION, valTypeName, type ValType } from './types.js';

const MAGIC_AND_VERSION = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

export class ModuleBuilder {
  private readonly typeEntries = new ByteBuffer(64);
  private readonly typeIndex = new Map<string, number>();
  private numTypes = 0;

  private readonly importEntries = new ByteBuffer(128);
  private numImports = 0;
  private numImportedFuncs = 0;
  private numImportedGlobals = 0;
  private hasMemory = false;
  private hasTable = false;

  /** Type index of each defined function, in function-index order (after the imports). */
  private readonly funcTypes: number[] = [];
  private readonly bodies: (Uint8Array | undefined)[] = [];
  private bodyBytes = 0;

  private readonly globalEntries = new ByteBuffer(32);
  private numGlobals = 0;

  private readonly exportEntries = new ByteBuffer(128);
  private numExports = 0;

  private readonly elementEntries = new ByteBuffer(32);
  private numElementSegments = 0;

  private moduleName: string | undefined;
  private readonly funcNames = new Map<number, string>();

  // ---------------------------------------------------------------- types

  /** Returns the index of the function type params -> results, adding it the first time. */
  addType(params: readonly ValType[], results: readonly ValType[]): number {
    let key = '';
    for (let i = 0; i < params.length; i++) key += String.fromCharCode(params[i]!);
    key += ':';
    for (let i = 0; i < results.length; i++) key += String.fromCharCode(results[i]!);
    const known = this.typeIndex.get(key);
    if (known !== undefined) return known;
    const e = this.typeEntries;
    e.byte(FUNC_TYPE_FORM);
    e.u32leb(params.length);
    for (let i = 0; i < params.length; i++) e.byte(params[i]!);
    e.u32leb(results.length);
    for (let i = 0; i < results.length; i++) e.byte(results[i]!);
    const index = this.numTypes++;
    this.typeIndex.set(key, index);
    return index;
  }

  get typeCount(): number {
    return this.numTypes;
  }

  // ---------------------------------------------------------------- imports
  // Imported entities come first in their index spaces, so each import kind is refused
  // once an entity of that kind has been defined: the indices handed out must not move.

  /** Imports a function and returns its function index. */
  importFunction(module: string, name: string, typeIndex: number): number {
    if (this.funcTypes.length > 0) throw new Error('ModuleBuilder: importFunction after addFunction would renumber functions');
    this.checkType(typeIndex);
    this.importHeader(module, name, EXTERNAL.func);
    this.importEntries.u32leb(typeIndex);
    return this.numImportedFuncs++;
  }

  /** Imports memory 0 (the guest-state memory). Sizes are in 64 KiB pages. */
  importMemory(module: string, name: string, minPages: number, maxPages?: number): void {
    if (this.hasMemory) throw new Error('ModuleBuilder: only one memory');
    this.hasMemory = true;
    this.importHeader(module, name, EXTERNAL.memory);
    this.limits(this.importEntries, minPages, maxPages);
  }

  /** Imports table 0, a funcref table (the translation cache's slots). */
  importTable(module: string, name: string, minSize: number, maxSize?: number): void {
    if (this.hasTable) throw new Error('ModuleBuilder: only one table');
    this.hasTable = true;
    this.importHeader(module, name, EXTERNAL.table);
    this.importEntries.byte(FUNCREF);
    this.limits(this.importEntries, minSize, maxSize);
  }

  /** Imports a global and returns its global index. */
  importGlobal(module: string, name: string, type: ValType, mutable: boolean): number {
    if (this.numGlobals > 0) throw new Error('ModuleBuilder: importGlobal after addGlobal would renumber globals');
    this.importHeader(module, name, EXTERNAL.global);
    this.importEntries.byte2(type, mutable ? 1 : 0);
    return this.numImportedGlobals++;
  }

  // ---------------------------------------------------------------- functions

  /** Adds a function; `body` comes from CodeBuilder.finish(). Returns its function index. */
  addFunction(typeIndex: number, body: Uint8Array): number {
    const index = this.declareFunction(typeIndex);
    this.setFunctionBody(index, body);
    return index;
  }

  /**
   * Reserves a function index before its body exists, so functions of one module can
   * call each other directly (return_call) whatever order they are generated in.
   */
  declareFunction(typeIndex: number): number {
    this.checkType(typeIndex);
    this.funcTypes.push(typeIndex);
    this.bodies.push(undefined);
    return this.numImportedFuncs + this.funcTypes.length - 1;
  }

  setFunctionBody(funcIndex: number, body: Uint8Array): void {
    const i = funcIndex - this.numImportedFuncs;
    if (i < 0 || i >= this.bodies.length) throw new Error(`ModuleBuilder: function ${funcIndex} is not a declared function`);
    const old = this.bodies[i];
    if (old) this.bodyBytes -= old.length;
    this.bodies[i] = body;
    this.bodyBytes += body.length;
  }

  /** Imported plus defined functions. */
  get functionCount(): number {
    return this.numImportedFuncs + this.funcTypes.length;
  }

  get importedFunctionCount(): number {
    return this.numImportedFuncs;
  }

  // ---------------------------------------------------------------- globals

  /** Defines a global with a constant initial value; returns its global index. */
  addGlobal(type: ValType, mutable: boolean, init: bigint | number): number {
    const e = this.globalEntries;
    e.byte2(type, mutable ? 1 : 0);
    switch (type) {
      case I32:
        e.byte(OP.i32Const);
        e.s32leb(Number(init));
        break;
      case I64:
        e.byte(OP.i64Const);
        if (typeof init === 'bigint') e.s64leb(init);
        else e.s64lebNumber(init);
        break;
      case F32:
        e.byte(OP.f32Const);
        e.f32(Number(init));
        break;
      case F64:
        e.byte(OP.f64Const);
        e.f64(Number(init));
        break;
      default:
        throw new Error(`ModuleBuilder: no constant initialiser for a ${valTypeName(type)} global`);
    }
    e.byte(OP.end);
    return this.numImportedGlobals + this.numGlobals++;
  }

  // ---------------------------------------------------------------- exports, elements, names

  exportFunction(name: string, funcIndex: number): void {
    this.exportEntries.name(name);
    this.exportEntries.byte(EXTERNAL.func);
    this.exportEntries.u32leb(funcIndex);
    this.numExports++;
  }

  exportGlobal(name: string, globalIndex: number): void {
    this.exportEntries.name(name);
    this.exportEntries.byte(EXTERNAL.global);
    this.exportEntries.u32leb(globalIndex);
    this.numExports++;
  }

  /**
   * An active element segment: at instantiation, table 0 slots offset.. are set to the
   * given functions. Lets a module install its own functions into the shared table
   * without exporting them (instantiation fails if the slots are out of bounds).
   */
  addElements(tableOffset: number, funcIndices: readonly number[]): void {
    const e = this.elementEntries;
    e.byte(0x00); // flags 0: active, table 0, funcref, a vector of function indices
    e.byte(OP.i32Const);
    e.s32leb(tableOffset);
    e.byte(OP.end);
    e.u32leb(funcIndices.length);
    for (let i = 0; i < funcIndices.length; i++) e.u32leb(funcIndices[i]!);
    this.numElementSegments++;
  }

  /** Debug name of a function (a `name` custom section entry): shows up in stacks and in dumps. */
  setFunctionName(funcIndex: number, name: string): void {
    this.funcNames.set(funcIndex, name);
  }

  setModuleName(name: string): void {
    this.moduleName = name;
  }

  // ---------------------------------------------------------------- output

  /** The complete module binary. The builder may be extended and serialised again. */
  toBytes(): Uint8Array<ArrayBuffer> {
    const nFuncs = this.funcTypes.length;
    // One allocation in the common case: body bytes dominate, the rest is small.
    const out = new ByteBuffer(
      64 + this.typeEntries.length + this.importEntries.length + this.globalEntries.length +
        this.exportEntries.length + this.elementEntries.length + 5 * nFuncs + this.bodyBytes,
    );
    out.bytes(MAGIC_AND_VERSION);
    this.vecSection(out, SECTION.type, this.numTypes, this.typeEntries);
    this.vecSection(out, SECTION.import, this.numImports, this.importEntries);

    if (nFuncs > 0) {
      const mark = this.sectionStart(out, SECTION.function);
      out.u32leb(nFuncs);
      for (let i = 0; i < nFuncs; i++) out.u32leb(this.funcTypes[i]!);
      out.endSized(mark);
    }

    this.vecSection(out, SECTION.global, this.numGlobals, this.globalEntries);
    this.vecSection(out, SECTION.export, this.numExports, this.exportEntries);
    this.vecSection(out, SECTION.element, this.numElementSegments, this.elementEntries);

    if (nFuncs > 0) {
      const mark = this.sectionStart(out, SECTION.code);
      out.u32leb(nFuncs);
      for (let i = 0; i < nFuncs; i++) {
        const body = this.bodies[i];
        if (!body) throw new Error(`ModuleBuilder: function ${this.numImportedFuncs + i} was declared but has no body`);
        out.u32leb(body.length);
        out.bytes(body);
      }
      out.endSized(mark);
    }

    if (this.moduleName !== undefined || this.funcNames.size > 0) this.nameSection(out);
    return out.finish();
  }

  // ---------------------------------------------------------------- helpers

  private sectionStart(out: ByteBuffer, id: number): number {
    out.byte(id);
    return out.beginSized();
  }

  private vecSection(out: ByteBuffer, id: number, count: number, entries: ByteBuffer): void {
    if (count === 0) return;
    const mark = this.sectionStart(out, id);
    out.u32leb(count);
    out.bytes(entries.view());
    out.endSized(mark);
  }

  /** The `name` custom section (appendix 7.4): module name, then function names by index. */
  private nameSection(out: ByteBuffer): void {
    const mark = this.sectionStart(out, SECTION.custom);
    out.name('name');
    if (this.moduleName !== undefined) {
      out.byte(0);
      const sub = out.beginSized();
      out.name(this.moduleName);
      out.endSized(sub);
    }
    if (this.funcNames.size > 0) {
      out.byte(1);
      const sub = out.beginSized();
      const indices = [...this.funcNames.keys()].sort((a, b) => a - b); // the name map must be sorted
      out.u32leb(indices.length);
      for (const i of indices) {
        out.u32leb(i);
        out.name(this.funcNames.get(i)!);
      }
      out.endSized(sub);
    }
    out.endSized(mark);
  }

  private importHeader(module: string, name: string, kind: number): void {
    this.importEntries.name(module);
    this.importEntries.name(name);
    this.importEntries.byte(kind);
    this.numImports++;
  }

  private limits(e: ByteBuffer, min: number, max: number | undefined): void {
    if (max === undefined) {
      e.byte(0x00);
      e.u32leb(min);
    } else {
      if (max < min) throw new Error(`ModuleBuilder: limits max ${max} < min ${min}`);
      e.byte(0x01);
      e.u32leb(min);
      e.u32leb(max);
    }
  }

  private checkType(typeIndex: number): void {
    if (typeIndex < 0 || typeIndex >= this.numTypes) throw new Error(`ModuleBuilder: no type ${typeIndex}`);
  }
}
