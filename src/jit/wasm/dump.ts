// Debugging aids around wabt: write a module as .wasm plus readable .wat (--dump-wasm),
// and validate a module with wabt's checker, whose messages name the function and the
// offending instruction (V8's CompileError is terser). Neither is on the JIT's hot path;
// wabt is loaded lazily so that importing the emitter does not pay for it.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

type Wabt = Awaited<ReturnType<typeof import('wabt')>>;

/** The post-MVP features the emitter may use; wabt must be told to accept them. */
const FEATURES = {
  mutable_globals: true,
  sign_extension: true,
  tail_call: true,
  reference_types: true,
  bulk_memory: true,
  multi_value: true,
} as const;

let wabtPromise: Promise<Wabt> | undefined;

function loadWabt(): Promise<Wabt> {
  wabtPromise ??= import('wabt').then((m) => m.default());
  return wabtPromise;
}

/** Converts a module to text (throws if wabt cannot read it). */
export async function moduleToText(bytes: Uint8Array): Promise<string> {
  const wabt = await loadWabt();
  // check: false so that a broken module can still be dumped and looked at.
  const mod = wabt.readWasm(bytes, { readDebugNames: true, check: false, ...FEATURES });
  try {
    mod.generateNames();
    mod.applyNames();
    return mod.toText({ foldExprs: false, inlineExport: false });
  } finally {
    mod.destroy();
  }
}

/** Writes <dir>/<baseName>.wasm and <dir>/<baseName>.wat, creating dir if needed. */
export async function dumpModule(bytes: Uint8Array, dir: string, baseName: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, `${baseName}.wasm`), bytes);
  let text: string;
  try {
    text = await moduleToText(bytes);
  } catch (e) {
    // Still leave a .wat so that a dump of a malformed module says why it has no text.
    text = `;; wabt could not read this module: ${e instanceof Error ? e.message : String(e)}\n`;
  }
  await writeFile(join(dir, `${baseName}.wat`), text);
}

/** Throws an Error carrying wabt's message if the module is malformed or invalid. */
export async function validateModule(bytes: Uint8Array): Promise<void> {
  const wabt = await loadWabt();
  const mod = wabt.readWasm(bytes, { readDebugNames: true, check: true, ...FEATURES });
  try {
    mod.validate();
  } finally {
    mod.destroy();
  }
}
