// Structured control flow, locals and globals, and the builder's own structure checks.

import { describe, expect, it } from 'vitest';
import { CodeBuilder, I32, I64, ModuleBuilder } from '../../../src/jit/wasm/index.js';
import { instantiate } from './helpers.js';

describe('control flow', () => {
  it('loop with br_if sums 1..n', async () => {
    // (i64 n) -> i64: acc = 0; loop { acc += n; n -= 1; br_if (n != 0) }
    const cb = new CodeBuilder([I64]);
    const acc = cb.addLocal(I64);
    cb.localGet(0).i64Eqz().if_().i64Const(0n).return_().end();
    cb.loop()
      .localGet(acc).localGet(0).i64Add().localSet(acc)
      .localGet(0).i64Const(1n).i64Sub().localTee(0)
      .i64Const(0n).i64Ne().brIf(0)
      .end();
    cb.localGet(acc);
    const mb = new ModuleBuilder();
    mb.exportFunction('sum', mb.addFunction(mb.addType([I64], [I64]), cb.finish()));
    const { sum } = await instantiate(mb);
    expect(sum!(0n)).toBe(0n);
    expect(sum!(1n)).toBe(1n);
    expect(sum!(1000n)).toBe(500500n);
  });

  it('block with br_if exits early; br leaves nested blocks', async () => {
    // (i32 x) -> i32: block $out { block $in { br_if $out (x < 0) ; br_if $in (x == 0); return 1 } return 2 } return 3
    const cb = new CodeBuilder([I32]);
    cb.block().block()
      .localGet(0).i32Const(0).i32LtS().brIf(1)
      .localGet(0).i32Eqz().brIf(0)
      .i32Const(1).return_()
      .end()
      .i32Const(2).return_()
      .end()
      .i32Const(3);
    const mb = new ModuleBuilder();
    mb.exportFunction('f', mb.addFunction(mb.addType([I32], [I32]), cb.finish()));
    const { f } = await instantiate(mb);
    expect(f!(5)).toBe(1);
    expect(f!(0)).toBe(2);
    expect(f!(-5)).toBe(3);
  });

  it('br_table dispatches on the index and takes the default when out of range', async () => {
    // blocks $d $c2 $c1 $c0; br_table [0 1 2] 3 -> value per target
    const cb = new CodeBuilder([I32]);
    cb.block().block().block().block()
      .localGet(0).brTable([0, 1, 2], 3)
      .end().i32Const(100).return_()
      .end().i32Const(101).return_()
      .end().i32Const(102).return_()
      .end().i32Const(-1);
    const mb = new ModuleBuilder();
    mb.exportFunction('sw', mb.addFunction(mb.addType([I32], [I32]), cb.finish()));
    const { sw } = await instantiate(mb);
    expect([0, 1, 2, 3, 4, -1, 1000].map((i) => sw!(i))).toEqual([100, 101, 102, -1, -1, -1, -1]);
  });

  it('br_table with a large table (multi-byte vector length and depths)', async () => {
    const n = 200;
    const cb = new CodeBuilder([I32]);
    for (let i = 0; i <= n; i++) cb.block();
    cb.localGet(0).brTable(Array.from({ length: n }, (_, i) => i), n);
    for (let i = 0; i < n; i++) cb.end().i32Const(i * 3).return_();
    cb.end().i32Const(-1);
    const mb = new ModuleBuilder();
    mb.exportFunction('sw', mb.addFunction(mb.addType([I32], [I32]), cb.finish()));
    const { sw } = await instantiate(mb);
    for (const i of [0, 1, 127, 128, 199]) expect(sw!(i)).toBe(i * 3);
    expect(sw!(200)).toBe(-1);
  });

  it('if/else with a result type, and select', async () => {
    const mb = new ModuleBuilder();
    const t = mb.addType([I32, I64, I64], [I64]);
    const ifelse = new CodeBuilder([I32, I64, I64]).localGet(0).if_(I64).localGet(1).else_().localGet(2).end();
    const sel = new CodeBuilder([I32, I64, I64]).localGet(1).localGet(2).localGet(0).select();
    const selT = new CodeBuilder([I32, I64, I64]).localGet(1).localGet(2).localGet(0).selectTyped(I64);
    mb.exportFunction('ifelse', mb.addFunction(t, ifelse.finish()));
    mb.exportFunction('sel', mb.addFunction(t, sel.finish()));
    mb.exportFunction('selT', mb.addFunction(t, selT.finish()));
    const e = await instantiate(mb);
    for (const name of ['ifelse', 'sel', 'selT']) {
      expect(e[name]!(1, 10n, 20n)).toBe(10n);
      expect(e[name]!(0, 10n, 20n)).toBe(20n);
    }
  });

  it('unreachable traps; nop and drop do nothing', async () => {
    const mb = new ModuleBuilder();
    mb.exportFunction('boom', mb.addFunction(mb.addType([], []), new CodeBuilder().nop().unreachable().finish()));
    mb.exportFunction('quiet', mb.addFunction(mb.addType([], [I32]), new CodeBuilder().i32Const(1).i64Const(2n).drop().nop().finish()));
    const e = await instantiate(mb);
    expect(() => e.boom!()).toThrow(/unreachable/);
    expect(e.quiet!()).toBe(1);
  });
});

describe('locals', () => {
  it('hands out indices in call order and declares runs of equal types', async () => {
    const cb = new CodeBuilder([I32, I64]);
    expect(cb.addLocal(I64)).toBe(2);
    expect(cb.addLocal(I64)).toBe(3);
    expect(cb.addLocal(I32)).toBe(4);
    expect(cb.addLocals(I64, 3)).toBe(5);
    expect(cb.numLocals).toBe(8);
    // x = p0 (i32) extended + p1 + locals, exercising each local's type
    cb.localGet(1).localSet(2)
      .localGet(2).i64Const(1n).i64Add().localSet(3)
      .localGet(0).i32Const(2).i32Mul().localSet(4)
      .localGet(3).localGet(4).i64ExtendI32S().i64Add().localSet(7)
      .localGet(7);
    const body = cb.finish();
    // 3 groups: 2 x i64, 1 x i32, 3 x i64
    expect([...body.subarray(0, 7)]).toEqual([3, 2, I64, 1, I32, 3, I64]);
    expect(body[body.length - 1]).toBe(0x0b);
    const mb = new ModuleBuilder();
    mb.exportFunction('f', mb.addFunction(mb.addType([I32, I64], [I64]), body));
    const { f } = await instantiate(mb);
    expect(f!(5, 100n)).toBe(111n);
  });

  it('a body without locals starts with an empty declaration vector', () => {
    expect([...new CodeBuilder().i32Const(42).finish()]).toEqual([0x00, 0x41, 42, 0x0b]);
  });

  it('reset() starts a new body and gives identical bytes', () => {
    const cb = new CodeBuilder([I32]);
    const emit = () => {
      const t = cb.addLocal(I32);
      return cb.localGet(0).localTee(t).i32Add().finish();
    };
    const first = emit();
    cb.reset([I32]);
    expect(emit()).toEqual(first);
    expect(cb.byteLength).toBe(first.length - 4); // minus the 3-byte local declarations and the final end
  });
});

describe('globals', () => {
  it('defined and imported globals read and write', async () => {
    const imported = new WebAssembly.Global({ value: 'i64', mutable: true }, 7n);
    const mb = new ModuleBuilder();
    const gi = mb.importGlobal('env', 'g', I64, true);
    const counter = mb.addGlobal(I64, true, -1n);
    const k32 = mb.addGlobal(I32, false, 0xffff_ffff);
    const kNum = mb.addGlobal(I64, false, 2 ** 40);
    expect([gi, counter, k32, kNum]).toEqual([0, 1, 2, 3]);
    // bump(): counter += imported; imported += 1; return counter
    const cb = new CodeBuilder()
      .globalGet(counter).globalGet(gi).i64Add().globalSet(counter)
      .globalGet(gi).i64Const(1n).i64Add().globalSet(gi)
      .globalGet(counter);
    mb.exportFunction('bump', mb.addFunction(mb.addType([], [I64]), cb.finish()));
    mb.exportFunction('k32', mb.addFunction(mb.addType([], [I32]), new CodeBuilder().globalGet(k32).finish()));
    mb.exportFunction('kNum', mb.addFunction(mb.addType([], [I64]), new CodeBuilder().globalGet(kNum).finish()));
    mb.exportGlobal('counter', counter);
    const e = await instantiate(mb, { env: { g: imported } });
    expect(e.bump!()).toBe(6n);
    expect(e.bump!()).toBe(14n);
    expect(imported.value).toBe(9n);
    expect(e.k32!()).toBe(-1);
    expect(e.kNum!()).toBe(2n ** 40n);
    expect((e.counter as unknown as WebAssembly.Global).value).toBe(14n);
  });
});

describe('structure checks', () => {
  it('refuses unbalanced end/else and branches past the function label', () => {
    expect(() => new CodeBuilder().end()).toThrow(/end without an open block/);
    expect(() => new CodeBuilder().else_()).toThrow(/else without/);
    expect(() => new CodeBuilder().block().finish()).toThrow(/left open/);
    expect(() => new CodeBuilder().block().br(2)).toThrow(/branch depth/);
    expect(() => new CodeBuilder().brTable([0, 1], 0)).toThrow(/branch depth/);
    // depth == open blocks targets the function body itself: allowed
    expect(() => new CodeBuilder().block().br(1).end().finish()).not.toThrow();
    expect(new CodeBuilder().loop().openBlocks).toBe(1);
  });
});
