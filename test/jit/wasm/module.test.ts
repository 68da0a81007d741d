// Module layout: exact bytes of a tiny module, type deduplication, index-space rules,
// many functions in one module, names, and the wabt-based dump and validation.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CodeBuilder, dumpModule, F64, I32, I64, ModuleBuilder, validateModule } from '../../../src/jit/wasm/index.js';
import { instantiate } from './helpers.js';

describe('ModuleBuilder', () => {
  it('writes the spec layout byte for byte', () => {
    const mb = new ModuleBuilder();
    const t = mb.addType([], [I32]);
    mb.exportFunction('f', mb.addFunction(t, new CodeBuilder().i32Const(42).finish()));
    // prettier-ignore
    expect([...mb.toBytes()]).toEqual([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
      0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f,       // type section: [] -> [i32]
      0x03, 0x02, 0x01, 0x00,                         // function section: type 0
      0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00,       // export section: "f" func 0
      0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x2a, 0x0b, // code section: no locals, i32.const 42, end
    ]);
  });

  it('an empty module is just the header and still valid', async () => {
    const bytes = new ModuleBuilder().toBytes();
    expect([...bytes]).toEqual([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    await validateModule(bytes);
  });

  it('deduplicates function types', () => {
    const mb = new ModuleBuilder();
    const a = mb.addType([I64, I64], [I64]);
    const b = mb.addType([I64], [I64, I64]);
    const c = mb.addType([I64, I64], [I64]);
    const d = mb.addType([], []);
    const e = mb.addType([], []);
    expect([a, b, c, d, e]).toEqual([0, 1, 0, 2, 2]);
    expect(mb.typeCount).toBe(3);
  });

  it('refuses imports that would renumber defined entities, and unknown types', () => {
    const mb = new ModuleBuilder();
    const t = mb.addType([], []);
    expect(() => mb.addFunction(5, new CodeBuilder().finish())).toThrow(/no type 5/);
    mb.addFunction(t, new CodeBuilder().finish());
    expect(() => mb.importFunction('env', 'late', t)).toThrow(/renumber/);
    mb.addGlobal(I32, false, 0);
    expect(() => mb.importGlobal('env', 'g', I32, false)).toThrow(/renumber/);
    mb.importMemory('env', 'mem', 1);
    expect(() => mb.importMemory('env', 'mem2', 1)).toThrow(/one memory/);
    expect(() => mb.importTable('env', 'tc', 10, 5)).toThrow(/max 5 < min 10/);
  });

  it('holds thousands of functions in one module (multi-byte section sizes and counts)', async () => {
    const table = new WebAssembly.Table({ element: 'anyfunc', initial: 3000 });
    const memory = new WebAssembly.Memory({ initial: 1 });
    const mb = new ModuleBuilder();
    const t = mb.addType([I64], [I64]);
    const log = mb.importFunction('env', 'log', mb.addType([I32], []));
    mb.importMemory('env', 'mem', 1);
    mb.importTable('env', 'tc', 3000);
    const n = 3000;
    const cb = new CodeBuilder([I64]);
    const first = mb.functionCount;
    for (let k = 0; k < n; k++) {
      // f_k(x) = x * k + (k > 0 ? f_{k-1}(x) : 0), the tail of the chain through call
      cb.reset([I64]);
      cb.localGet(0).i64Const(k).i64Mul();
      if (k > 0) cb.localGet(0).call(first + k - 1).i64Add();
      else cb.i32Const(k).call(log);
      mb.setFunctionName(mb.addFunction(t, cb.finish()), `f_${k}`);
    }
    mb.addElements(0, Array.from({ length: n }, (_, k) => first + k));
    mb.exportFunction('last', first + n - 1);
    mb.exportFunction('mid', first + 1000);
    expect(mb.functionCount).toBe(n + 1);
    let logged = -1;
    const e = await instantiate(mb, { env: { log: (k: number) => (logged = k), mem: memory, tc: table } });
    const tri = (m: number) => BigInt((m * (m + 1)) / 2);
    expect(e.last!(2n)).toBe(2n * tri(n - 1));
    expect(e.mid!(1n)).toBe(tri(1000));
    expect(logged).toBe(0);
    expect(table.get(2999)!(1n)).toBe(tri(2999));
  });

  it('accepts non-ASCII export names', async () => {
    const mb = new ModuleBuilder();
    mb.exportFunction('héllo→', mb.addFunction(mb.addType([], [F64]), new CodeBuilder().f64Const(2.5).finish()));
    const e = await instantiate(mb);
    expect(e['héllo→']!()).toBe(2.5);
  });
});

describe('validateModule', () => {
  it('throws with wabt\'s message on a type error', async () => {
    const mb = new ModuleBuilder();
    // i32.add on two i64 operands
    mb.addFunction(mb.addType([I64, I64], [I32]), new CodeBuilder([I64, I64]).localGet(0).localGet(1).i32Add().finish());
    await expect(validateModule(mb.toBytes())).rejects.toThrow(/type mismatch/);
  });

  it('throws on malformed bytes', async () => {
    await expect(validateModule(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0x01, 0x09]))).rejects.toThrow();
  });
});

describe('dumpModule', () => {
  it('writes <name>.wasm and <name>.wat, creating the directory', async () => {
    const root = await mkdtemp(join(tmpdir(), 'rvwasm-dump-'));
    try {
      const mb = new ModuleBuilder();
      mb.setModuleName('tc_batch');
      mb.importTable('env', 'tc', 4);
      const t = mb.addType([I64], [I64]);
      const f = mb.addFunction(t, new CodeBuilder([I64]).localGet(0).i32Const(1).returnCallIndirect(t).finish());
      mb.setFunctionName(f, 'ccf_80000000');
      mb.exportFunction('ccf', f);
      const bytes = mb.toBytes();
      const dir = join(root, 'nested', 'dumps');
      await dumpModule(bytes, dir, 'm0');
      expect(new Uint8Array(await readFile(join(dir, 'm0.wasm')))).toEqual(bytes);
      const wat = await readFile(join(dir, 'm0.wat'), 'utf8');
      expect(wat).toMatch(/^\(module \$tc_batch/);
      expect(wat).toContain('(func $ccf_80000000');
      expect(wat).toContain('return_call_indirect');
      expect(wat).toContain('(export "ccf"');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
