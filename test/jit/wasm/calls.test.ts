// Direct, indirect and tail calls, through an imported funcref table as the TC uses it.

import { describe, expect, it } from 'vitest';
import { CodeBuilder, I32, I64, ModuleBuilder } from '../../../src/jit/wasm/index.js';
import { instantiate } from './helpers.js';

const newTable = (n: number) => new WebAssembly.Table({ element: 'anyfunc', initial: n });

describe('call', () => {
  it('calls defined and imported functions', async () => {
    const mb = new ModuleBuilder();
    const tI64 = mb.addType([I64], [I64]);
    const add3 = mb.importFunction('env', 'add3', tI64);
    const double = mb.addFunction(tI64, new CodeBuilder([I64]).localGet(0).i64Const(2n).i64Mul().finish());
    // f(x) = add3(double(x))
    const f = mb.addFunction(tI64, new CodeBuilder([I64]).localGet(0).call(double).call(add3).finish());
    expect([add3, double, f]).toEqual([0, 1, 2]);
    mb.exportFunction('f', f);
    const seen: bigint[] = [];
    const e = await instantiate(mb, { env: { add3: (x: bigint) => (seen.push(x), x + 3n) } });
    expect(e.f!(20n)).toBe(43n);
    expect(seen).toEqual([40n]);
  });

  it('reserved indices allow calls to functions whose bodies come later', async () => {
    const mb = new ModuleBuilder();
    const t = mb.addType([I32], [I32]);
    const first = mb.declareFunction(t);
    const second = mb.declareFunction(t);
    expect(() => mb.toBytes()).toThrow(/no body/);
    mb.setFunctionBody(second, new CodeBuilder([I32]).localGet(0).i32Const(1).i32Add().finish());
    mb.setFunctionBody(first, new CodeBuilder([I32]).localGet(0).returnCall(second).finish());
    mb.exportFunction('first', first);
    const e = await instantiate(mb);
    expect(e.first!(41)).toBe(42);
  });
});

describe('call_indirect through an imported table', () => {
  it('dispatches by slot and traps on null, out-of-range and wrong signature', async () => {
    const table = newTable(8);
    const mb = new ModuleBuilder();
    mb.importTable('env', 'tc', 8);
    const tI64 = mb.addType([I64], [I64]);
    const tOther = mb.addType([], [I32]);
    const neg = mb.addFunction(tI64, new CodeBuilder([I64]).i64Const(0n).localGet(0).i64Sub().finish());
    const sq = mb.addFunction(tI64, new CodeBuilder([I64]).localGet(0).localGet(0).i64Mul().finish());
    const other = mb.addFunction(tOther, new CodeBuilder().i32Const(7).finish());
    // dispatch(slot, x) = table[slot](x)
    const dispatch = mb.addFunction(mb.addType([I32, I64], [I64]), new CodeBuilder([I32, I64]).localGet(1).localGet(0).callIndirect(tI64).finish());
    mb.exportFunction('neg', neg);
    mb.exportFunction('sq', sq);
    mb.exportFunction('other', other);
    mb.exportFunction('dispatch', dispatch);
    const e = await instantiate(mb, { env: { tc: table } });
    table.set(4, e.neg as any);
    table.set(5, e.sq as any);
    table.set(6, e.other as any);
    expect(e.dispatch!(4, 9n)).toBe(-9n);
    expect(e.dispatch!(5, 9n)).toBe(81n);
    expect(() => e.dispatch!(6, 9n)).toThrow(/signature/);
    expect(() => e.dispatch!(0, 9n)).toThrow(WebAssembly.RuntimeError);
    expect(() => e.dispatch!(8, 9n)).toThrow(WebAssembly.RuntimeError);
    // Relinking a slot changes the target: how the TC chains and unchains.
    table.set(4, e.sq as any);
    expect(e.dispatch!(4, 3n)).toBe(9n);
  });

  it('element segments install functions into the imported table; table.get/set copy slots', async () => {
    const table = newTable(16);
    const mb = new ModuleBuilder();
    mb.importTable('env', 'tc', 16);
    const t = mb.addType([], [I32]);
    const fns = [10, 11, 12].map((k) => mb.addFunction(t, new CodeBuilder().i32Const(k).finish()));
    mb.addElements(3, fns);
    // copy(dst, src): table[dst] = table[src]
    const copy = new CodeBuilder([I32, I32]).localGet(0).localGet(1).tableGet().tableSet();
    mb.exportFunction('copy', mb.addFunction(mb.addType([I32, I32], []), copy.finish()));
    const e = await instantiate(mb, { env: { tc: table } });
    expect([3, 4, 5].map((i) => table.get(i)!())).toEqual([10, 11, 12]);
    expect(table.get(2)).toBeNull();
    e.copy!(9, 5);
    expect(table.get(9)!()).toBe(12);
  });
});

describe('tail calls', () => {
  it('return_call recursion a million deep runs in constant stack', async () => {
    // count(n, acc) = n == 0 ? acc : return_call count(n - 1, acc + 1)
    const mb = new ModuleBuilder();
    const t = mb.addType([I64, I64], [I64]);
    const self = mb.declareFunction(t);
    const cb = new CodeBuilder([I64, I64])
      .localGet(0).i64Eqz().if_().localGet(1).return_().end()
      .localGet(0).i64Const(1n).i64Sub()
      .localGet(1).i64Const(1n).i64Add()
      .returnCall(self);
    mb.setFunctionBody(self, cb.finish());
    mb.exportFunction('count', self);
    const e = await instantiate(mb);
    expect(e.count!(1_000_000n, 0n)).toBe(1_000_000n);
  });

  /**
   * Two modules, one step function each, in table slots 0 and 1. step(n, acc) adds n to
   * acc and jumps to slot (n-1)&1 with n-1, so the chain alternates between modules like
   * chained CCFs do. Each module counts its steps in an imported global.
   */
  async function buildChain(tail: boolean) {
    const table = newTable(4);
    const counters = [0, 1].map(() => new WebAssembly.Global({ value: 'i32', mutable: true }, 0));
    const exportsOf = [];
    for (let m = 0; m < 2; m++) {
      const mb = new ModuleBuilder();
      mb.importTable('env', 'tc', 4);
      const count = mb.importGlobal('env', 'count', I32, true);
      const t = mb.addType([I64, I64], [I64]);
      const cb = new CodeBuilder([I64, I64]);
      cb.globalGet(count).i32Const(1).i32Add().globalSet(count);
      cb.localGet(0).i64Eqz().if_().localGet(1).return_().end();
      cb.localGet(0).i64Const(1n).i64Sub() // n - 1
        .localGet(1).localGet(0).i64Add() // acc + n
        .localGet(0).i64Const(1n).i64Sub().i32WrapI64().i32Const(1).i32And(); // slot (n-1)&1
      if (tail) cb.returnCallIndirect(t);
      else cb.callIndirect(t);
      const step = mb.addFunction(t, cb.finish());
      if (m === 0) mb.addElements(0, [step]); // module 0 installs itself through its element section
      mb.exportFunction('step', step);
      exportsOf.push(await instantiate(mb, { env: { tc: table, count: counters[m]! } }));
    }
    table.set(1, exportsOf[1]!.step as any); // module 1 is linked from JS, as the TC does
    return { step: exportsOf[0]!.step!, counters };
  }

  it('return_call_indirect: a 100000-deep chain across two modules does not overflow', async () => {
    const { step, counters } = await buildChain(true);
    const n = 100_000n;
    expect(step(n, 0n)).toBe((n * (n + 1n)) / 2n);
    expect(counters[0]!.value + counters[1]!.value).toBe(100_001);
    expect(counters[0]!.value).toBe(50_001);
  });

  it('the same chain with plain call_indirect does overflow (the test above is meaningful)', async () => {
    const { step } = await buildChain(false);
    expect(step(10n, 0n)).toBe(55n);
    expect(() => step(100_000n, 0n)).toThrow(RangeError);
  });
});
