// The command line as a user meets it: exit statuses, one-line errors, options.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addi, auipc, finisher, sd, spin, words } from '../helpers/asm.js';
import { buildElf, EH, setU16, setU8 } from '../helpers/elf-writer.js';
import { expectUsageError } from '../helpers/cli.js';

const CLI = join(__dirname, '../../dist/cli.js');
const dir = mkdtempSync(join(tmpdir(), 'rvwasm-cli-'));

function rvwasm(...args: string[]) {
  const res = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', input: '' });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

function file(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

function program(code: Uint8Array, extra: Parameters<typeof buildElf>[0] = { segments: [] }): Uint8Array {
  return buildElf({ ...extra, segments: [{ vaddr: 0x8000_0000n, data: code, flags: 5 }, ...extra.segments] }).bytes;
}


describe('rvwasm CLI', () => {
  it('prints help', () => {
    const res = rvwasm('--help');
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/Usage:/);
    expect(res.stdout).toMatch(/--max-insns/);
    expect(rvwasm('run', '--help').status).toBe(0);
  });

  it('passes the guest exit code through (finisher)', () => {
    expect(rvwasm('run', file('pass.elf', program(finisher(0x5555)))).status).toBe(0);
    expect(rvwasm('run', file('fail.elf', program(finisher(0x3333 | (7 << 16))))).status).toBe(7);
  });

  it('follows the HTIF convention when the image has tohost', () => {
    // auipc t0, 0; addi t0, t0, 0x100 -> tohost; t1 = value; sd t1, 0(t0); spin
    const code = (value: number) => words(auipc(5, 0), addi(5, 5, 0x100), addi(6, 0, value), sd(6, 5, 0), spin());
    const image = (value: number) => program(code(value), {
      segments: [{ vaddr: 0x8000_0100n, data: new Uint8Array(16), flags: 6 }],
      symbols: [{ name: 'tohost', value: 0x8000_0100n }, { name: 'fromhost', value: 0x8000_0108n }],
    });
    expect(rvwasm('run', file('htif-pass.elf', image(1))).status).toBe(0);
    expect(rvwasm('run', file('htif-fail.elf', image((5 << 1) | 1))).status).toBe(5);
  });

  it('exits 124 when --max-insns runs out', () => {
    const res = rvwasm('run', file('spin.elf', program(words(spin()))), '--max-insns', '1000', '--stats-json', join(dir, 's.json'));
    expect(res.status).toBe(124);
    expect(res.stderr).toMatch(/--max-insns/);
    const stats = JSON.parse(readFileSync(join(dir, 's.json'), 'utf8'));
    expect(stats.instructions.executed).toBe(1000);
    expect(stats.outcome.kind).toBe('limit');
  });

  it('stops a guest stuck in a trap loop with one line and status 1', () => {
    // A misaligned store traps to mtvec = 0, where nothing is mapped: fetch faults forever.
    const code = words(addi(5, 0, 1), sd(5, 5, 0), spin());
    const res = rvwasm('run', file('loop.elf', program(code)), '--misaligned', 'trap');
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/^rvwasm: guest stuck in a trap loop: .*fetch-access at pc 0x0/);
    expect(rvwasm('run', file('loop2.elf', program(code))).status).toBe(1); // store to 0x1: access fault, same loop
  });

  it('feeds stdin to the UART and wakes a guest sleeping in WFI', () => {
    const echo = join(__dirname, '../../guest-images/build/io/uart-echo.elf');
    const run = (input: string) => spawnSync(process.execPath, [CLI, 'run', echo], { encoding: 'utf8', input });
    const done = run('hello, q');
    expect(done.stdout).toBe('hello, q');
    expect(done.status).toBe(0);
    const starved = run('hello, world');
    expect(starved.stdout).toBe('hello, world');
    expect(starved.status).toBe(1);
    expect(starved.stderr).toMatch(/guest halted: WFI at pc 0x[0-9a-f]+ 1000 times with no interrupt that could wake it \(input has ended\)/);
  });

  it('reports JIT counters in --stats-json', () => {
    const crc = join(__dirname, '../../guest-images/build/crc32.elf');
    const out = join(dir, 'jit.json');
    expect(rvwasm('run', crc, '--stats-json', out).status).toBe(0);
    const st = JSON.parse(readFileSync(out, 'utf8'));
    expect(st.engine).toBe('jit');
    expect(st.jit.translations).toBeGreaterThan(10);
    expect(st.jit.chainedExits).toBeGreaterThan(1000);
    expect(st.jit.exits.compile).toBeGreaterThan(0);
    const e = st.jit.executors;
    expect(e.fastInterpreter).toBeGreaterThan(0);
    expect(e.tier1 + e.tier2).toBeGreaterThan(1_000_000);
    expect(e.fastInterpreter + e.tier1 + e.tier2 + e.monitor).toBe(st.instructions.executed);
    expect(st.jit.tcMisses).toBe(st.jit.tcLookups - st.jit.tcHits);
    const trapped = Object.values(st.jit.monitorExits as Record<string, number>).reduce((x, y) => x + y, 0);
    expect(trapped).toBe(st.jit.exits.monitor);
  });

  it('prints --stats and --trace on stderr', () => {
    const res = rvwasm('run', file('t.elf', program(finisher(0x5555))), '--trace', '--stats');
    expect(res.status).toBe(0);
    expect(res.stderr).toMatch(/^M 0000000080000000: 001002b7  lui\s+t0,0x100$/m);
    expect(res.stderr).toMatch(/instructions\s+4 executed/);
  });

  it('loads raw binaries at an address', () => {
    expect(rvwasm('run', '--raw', file('raw.bin', finisher(0x5555))).status).toBe(0);
    expect(rvwasm('run', '--raw', '--load-address', '0x80100000', file('raw2.bin', finisher(0x5555))).status).toBe(0);
  });

  it('rejects bad options with one line and status 2', () => {
    const ok = file('ok.elf', program(finisher(0x5555)));
    expectUsageError(rvwasm(), /no command/);
    expectUsageError(rvwasm('frobnicate'), /unknown command/);
    expectUsageError(rvwasm('run'), /needs an image/);
    expectUsageError(rvwasm('run', ok, '--bogus'), /unknown option "--bogus"/);
    expectUsageError(rvwasm('run', ok, '--engine', 'magic'), /unknown engine "magic"/);
    expectUsageError(rvwasm('run', ok, '--max-insns', 'lots'), /whole number/);
    expectUsageError(rvwasm('run', ok, '--max-insns'), /needs a value/);
    expectUsageError(rvwasm('run', ok, '-m', '0'), /memory size/);
    expectUsageError(rvwasm('run', ok, '-m', '999999'), /memory size/);
    expectUsageError(rvwasm('run', ok, ok), /only one image/);
    expectUsageError(rvwasm('run', ok, '--load-address', '0x1000'), /only applies with --raw/);
    expectUsageError(rvwasm('run', ok, '--stats=yes'), /takes no value/);
    expectUsageError(rvwasm('run', ok, '--trace', '--engine', 'jit'), /--trace needs --engine interp/);
    expectUsageError(rvwasm('run', ok, '--sensitive', 'fast'), /unknown lowering "fast"/);
    expectUsageError(rvwasm('run', ok, '--sensitive', 'intc,rdtsc=trap'), /unknown sensitive class "rdtsc"/);
    expectUsageError(rvwasm('run', ok, '--sensitive', 'counter=trap,intc'), /must come first/);
    expectUsageError(rvwasm('run', ok, '--sensitive'), /needs a policy/);
    expectUsageError(rvwasm('run', ok, '--engine', 'interp', '--sensitive', 'trap'), /--sensitive needs --engine jit/);
    expectUsageError(rvwasm('run', ok, '--engine', 'interp', '--adaptive'), /--adaptive needs --engine jit/);
    expectUsageError(rvwasm('run', ok, '--adaptive=0'), /N >= 1/);
    expectUsageError(rvwasm('run', ok, '--adaptive=lots'), /whole number/);
    expectUsageError(rvwasm('run', ok, '--mmu', 'hardware'), /--mmu expects shadow, ept or nested, got "hardware"/);
    expectUsageError(rvwasm('run', ok, '--mmu'), /--mmu expects/);
    expectUsageError(rvwasm('run', ok, '--engine', 'interp', '--mmu', 'ept'), /--mmu needs --engine jit/);
    expectUsageError(rvwasm('run', ok, '--tlb', '100'), /power of two from 1 to 4096, got 100/);
    expectUsageError(rvwasm('run', ok, '--tlb', '8192'), /power of two/);
    expectUsageError(rvwasm('run', ok, '--tlb', '0'), /power of two/);
    expectUsageError(rvwasm('run', ok, '--engine', 'interp', '--tlb', '64'), /--tlb needs --engine jit/);
    expectUsageError(rvwasm('run', ok, '--frames', 'random'), /--frames expects linear or scattered/);
  });

  it('reports the MMU mode, TLB and fences in --stats, and takes nested for ept', () => {
    const ok = file('ok3.elf', program(finisher(0x5555)));
    const shadow = rvwasm('run', ok, '--stats', '--tlb', '16', '--frames', 'scattered', '--compile-threshold', '0');
    expect(shadow.status).toBe(0);
    expect(shadow.stderr).toMatch(/MMU \(shadow\) +hidden faults \d+, true faults \d+, tracing faults \d+/);
    expect(shadow.stderr).toMatch(/TLB +16 entries per table/);
    const nested = rvwasm('run', ok, '--stats', '--mmu', 'nested', '--compile-threshold', '0');
    expect(nested.status).toBe(0);
    expect(nested.stderr).toMatch(/MMU \(ept\) +walks [1-9]\d*, references [1-9]/);
    // Paging off, and the finisher is a device: the G-stage walk stops at its empty root entry.
    expect(nested.stderr).toMatch(/references per walk +1: 1\n/);
  });

  it('reports the sensitive-instruction policy and adaptation in --stats', () => {
    const ok = file('ok2.elf', program(finisher(0x5555)));
    const r = rvwasm('run', ok, '--sensitive', 'intc,csr-write=callout', '--stats', '--compile-threshold', '0');
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/sensitive policy +intc,csr-write=callout/);
    const a = rvwasm('run', ok, '--adaptive=3', '--stats', '--compile-threshold', '0');
    expect(a.status).toBe(0);
    expect(a.stderr).toMatch(/sensitive policy +trap/);
    expect(a.stderr).toMatch(/adaptive +threshold 3: 1 traps before adaptation, 0 sites adapted/); // the finisher store
  });

  it('rejects bad images with one line and status 2', () => {
    const good = program(finisher(0x5555));
    expectUsageError(rvwasm('run', join(dir, 'missing.elf')), /no such file/);
    mkdirSync(join(dir, 'adir'), { recursive: true });
    expectUsageError(rvwasm('run', join(dir, 'adir')), /is a directory/);
    expectUsageError(rvwasm('run', file('empty.elf', new Uint8Array(0))), /empty/);
    expectUsageError(rvwasm('run', file('trunc.elf', good.slice(0, 70))), /truncated/);
    expectUsageError(rvwasm('run', file('text.elf', 'hello, world\n')), /not an ELF/i);
    const wrongClass = good.slice(); setU8(wrongClass, EH.class, 1);
    expectUsageError(rvwasm('run', file('class.elf', wrongClass)), /32-bit/);
    const wrongMachine = good.slice(); setU16(wrongMachine, EH.machine, 62);
    expectUsageError(rvwasm('run', file('machine.elf', wrongMachine)), /not a RISC-V/);
    const low = buildElf({ segments: [{ vaddr: 0x1000n, data: finisher(0x5555) }] }).bytes;
    expectUsageError(rvwasm('run', file('low.elf', low)), /outside RAM/);
    const big = buildElf({ segments: [{ vaddr: 0x8000_0000n, data: finisher(0x5555), memSize: 2n * 1024n * 1024n }] }).bytes;
    expectUsageError(rvwasm('run', file('big.elf', big), '-m', '1'), /outside RAM/);
  });
});
