// Shared by the emitter tests: validate a built module with wabt, then run it in V8.

import { validateModule, type ModuleBuilder } from '../../../src/jit/wasm/index.js';

export type Exports = Record<string, (...args: unknown[]) => any>;

/** Validates with wabt first (better messages than V8), then compiles and instantiates. */
export async function instantiate(mb: ModuleBuilder | Uint8Array<ArrayBuffer>, imports: WebAssembly.Imports = {}): Promise<Exports> {
  const bytes = mb instanceof Uint8Array ? mb : mb.toBytes();
  await validateModule(bytes);
  const { instance } = await WebAssembly.instantiate(bytes, imports);
  return instance.exports as unknown as Exports;
}
