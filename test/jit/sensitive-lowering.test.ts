// The three lowerings of sensitive instructions and adaptive retranslation, on small
// loops whose event counts are known exactly: every lowering gives the interpreter's
// result, and the counters say each instruction went the way the policy asked.
import { describe, expect, it } from 'vitest';
import { Machine, type MachineOptions } from '../../src/api/index.js';
import { describePolicy, parsePolicy, resolvePolicy, uniformPolicy } from '../../src/jit/lowering.js';
import { SensitiveClass } from '../../src/isa/sensitive.js';
import { I, enc, li } from '../diff/program-gen.js';

const ITERATIONS = 500;
const TIME = 0xc01;
const S0 = 8, A0 = 10, T0 = 5, T1 = 6, T2 = 7;

/** li s0, N; loop: <body>; addi s0, s0, -1; bnez s0, loop; then the syscon finisher. */
function loop(setup: number[], body: number[]): Uint8Array {
  const words = [...setup, ...li(S0, BigInt(ITERATIONS)), ...body, I.addi(S0, S0, -1)];
  words.push(enc.b(1, S0, 0, -4 * (body.length + 1)));
  words.push(...li(T0, 0x100000n), ...li(T1, 0x5555n), I.sw(T1, T0, 0), enc.j(0, 0));
  const image = new Uint8Array(words.length * 4);
  words.forEach((w, i) => new DataView(image.buffer).setUint32(4 * i, w, true));
  return image;
}

const RDTIME = loop([], [I.csrrs(A0, TIME, 0)]);
const UART_LSR = loop(li(T2, 0x1000_0000n), [I.load(4, A0, T2, 5)]); // lbu a0, 5(t2)

function run(image: Uint8Array, options: MachineOptions) {
  const m = new Machine({ memoryMiB: 4, ...options, jit: { countIntc: options.engine !== 'interp', compileThreshold: 0, ...options.jit } });
  m.loadRaw(image);
  expect(m.run({ maxInsns: 1e6 })).toEqual({ kind: 'exit', code: 0 });
  return { a0: m.getRegister(A0), count: m.instructionCount, stats: m.counters().jit };
}

describe('sensitive-instruction lowerings', () => {
  const reference = run(RDTIME, { engine: 'interp' });

  it('traps every rdtime under trap', () => {
    const r = run(RDTIME, { sensitive: 'trap' });
    expect([r.a0, r.count]).toEqual([reference.a0, reference.count]);
    expect(r.stats!.monitorExits.counter).toBe(ITERATIONS);
    expect(r.stats!.callouts.counter).toBeUndefined();
  });

  it('calls out for every rdtime under callout, and leaves nothing to the monitor', () => {
    const r = run(RDTIME, { sensitive: 'callout' });
    expect([r.a0, r.count]).toEqual([reference.a0, reference.count]);
    expect(r.stats!.callouts.counter).toBe(ITERATIONS);
    expect(r.stats!.monitorExits.counter).toBeUndefined();
  });

  it('reads the time inline under intc', () => {
    const r = run(RDTIME, { sensitive: 'intc' });
    expect([r.a0, r.count]).toEqual([reference.a0, reference.count]);
    expect(r.stats!.inTc!.counter).toBe(ITERATIONS);
    expect(r.stats!.callouts.counter).toBeUndefined();
  });

  it('falls back to the callout for rdtime when mtime is the host clock', () => {
    const r = run(RDTIME, { sensitive: 'intc', realtime: true });
    expect(r.stats!.callouts.counter).toBe(ITERATIONS);
    expect(r.stats!.inTc!.counter ?? 0).toBe(0);
  });

  it('adapts a site after N traps: retranslated in-TC, same result', () => {
    const r = run(RDTIME, { sensitive: 'trap', adaptive: 8 });
    expect([r.a0, r.count]).toEqual([reference.a0, reference.count]);
    expect(r.stats!.monitorExits.counter).toBe(8);
    expect(r.stats!.inTc!.counter).toBe(ITERATIONS - 8);
    // and one more trap: the store to the finisher, a device
    expect(r.stats!.adaptive).toMatchObject({ threshold: 8, trapsBeforeAdaptation: 8 + 1, sitesAdapted: 1 });
    expect(r.stats!.adaptive!.retranslations).toBeGreaterThanOrEqual(1);
  });

  it('lowers device loads as traps or callouts (and adapts them)', () => {
    const ref = run(UART_LSR, { engine: 'interp' });
    const trap = run(UART_LSR, { sensitive: 'trap' });
    const callout = run(UART_LSR, { sensitive: 'callout' });
    const adaptive = run(UART_LSR, { adaptive: 5 });
    for (const r of [trap, callout, adaptive]) expect([r.a0, r.count]).toEqual([ref.a0, ref.count]);
    // plus one: the store to the finisher
    expect(trap.stats!.monitorExits.mmio).toBe(ITERATIONS + 1);
    expect(callout.stats!.monitorExits.mmio).toBeUndefined();
    expect(adaptive.stats!.monitorExits.mmio).toBe(5 + 1);
  });

  it('follows per-class overrides', () => {
    const r = run(RDTIME, { sensitive: 'trap,counter=callout' });
    expect(r.stats!.callouts.counter).toBe(ITERATIONS);
    expect(r.stats!.sensitivePolicy).toBe('trap,counter=callout');
  });

  it('rejects sensitive and adaptive options outside the jit', () => {
    expect(() => new Machine({ engine: 'interp', sensitive: 'trap' })).toThrow(/need the jit engine/);
    expect(() => new Machine({ engine: 'interp', adaptive: 4 })).toThrow(/need the jit engine/);
    expect(() => new Machine({ adaptive: -1 })).toThrow(/positive whole number/);
    expect(() => new Machine({ sensitive: { default: 'fast' as 'trap' } })).toThrow(/unknown lowering/);
  });
});

describe('lowering policies', () => {
  it('parses a default with per-class overrides', () => {
    const p = parsePolicy('intc,csr-write=callout,ecall=trap');
    expect(p[SensitiveClass.CsrWrite]).toBe('callout');
    expect(p[SensitiveClass.Syscall]).toBe('trap');
    expect(p[SensitiveClass.CounterRead]).toBe('intc');
    expect(parsePolicy('counter=trap')[SensitiveClass.Mmio]).toBe('intc');
  });

  it('describes a policy so that it parses back to itself', () => {
    for (const text of ['trap', 'callout', 'intc', 'intc,csr-write=callout', 'trap,counter=intc,mmio=callout']) {
      expect(describePolicy(parsePolicy(text))).toBe(text);
    }
    expect(describePolicy(uniformPolicy('callout'))).toBe('callout');
  });

  it('resolves the API forms', () => {
    expect(resolvePolicy(undefined)).toEqual(uniformPolicy('intc'));
    expect(resolvePolicy({ default: 'trap', classes: { mmio: 'callout' } })).toEqual(parsePolicy('trap,mmio=callout'));
    expect(() => resolvePolicy({ classes: { nonsense: 'trap' } as never })).toThrow(/unknown sensitive class/);
    expect(() => parsePolicy('trap,,intc')).toThrow(/empty item/);
  });
});
