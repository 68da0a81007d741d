// The WebAssembly binary emitter used by the JIT: write bodies with CodeBuilder, put
// them in a module with ModuleBuilder, and inspect results with dump/validate.

export { I32, I64, F32, F64, V128, FUNCREF, EXTERNREF, BLOCK_VOID, SECTION, EXTERNAL, naturalAlign, valTypeName } from './types.js';
export type { ValType } from './types.js';
export { OP } from './opcodes.js';
export type { OpName } from './opcodes.js';
export { ByteBuffer, u32lebSize } from './byte-buffer.js';
export { CodeBuilder } from './code-builder.js';
export { ModuleBuilder } from './module-builder.js';
export { dumpModule, validateModule, moduleToText } from './dump.js';
