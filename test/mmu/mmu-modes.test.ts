// The MMU modes against the reference walker (src/mmu/sv39.ts): random Sv39 page tables
// (superpages, misaligned superpages, reserved bits, W without R, U pages, A/D clear or
// set, tables pointing outside RAM), random accesses at U and S with SUM and MXR, and
// page-table writes in between. Shadow and nested must give every access the same
// guest-physical address or the same fault as the reference walker, and leave the same
// bytes (A/D bits) in memory: whatever they cache, they never disagree with the guest's
// tables. Plus the figures the theory gives: 15 references for a 4 KiB page under
// nested paging, fewer for superpages.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MSTATUS, PRIV } from '../../src/isa/csr-numbers.js';
import { Board } from '../../src/machine/board.js';
import { TrapSignal } from '../../src/machine/trap.js';
import type { Mmu } from '../../src/mmu/mmu.js';
import { NestedMmu } from '../../src/mmu/nested.js';
import { ShadowMmu } from '../../src/mmu/shadow.js';
import { Access, translate } from '../../src/mmu/sv39.js';

const RAM = 0x8000_0000;
const PAGES = 256; // 1 MiB
const SV39 = 8n << 60n;

function board(frames: 'linear' | 'scattered' = 'scattered'): Board {
  return new Board({ ramMiB: 1, frames, realtime: false, output: () => {}, power: () => {} });
}

type Outcome = number | string;
function attempt(f: () => number): Outcome {
  try {
    return f();
  } catch (e) {
    if (e instanceof TrapSignal) return `trap ${e.cause} ${e.tval.toString(16)}`;
    throw e;
  }
}

const pte = (ppn: number, flags: number) => (BigInt(ppn) << 10n) | BigInt(flags);

/** Table pages are 1..24 (the root is 1); data pages 32..255. */
const TABLE_PAGES = 24;
const LEAF_FLAGS = [0xcf, 0xdf, 0x4b, 0xc7, 0x43, 0xd3, 0x5b, 0x0f, 0x07, 0x03, 0x09, 0x11, 0x4f, 0xcb];

/**
 * A page-table entry: mostly a pointer to another table or a leaf (4 KiB, or a superpage
 * onto RAM's first page, which is aligned for any size, or misaligned), sometimes each
 * kind of broken: invalid, W without R, reserved bits, a target past RAM.
 */
const entry: fc.Arbitrary<bigint> = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 2, max: TABLE_PAGES }).map((t) => pte(RAM / 4096 + t, 0x01)) },
  { weight: 4, arbitrary: fc.tuple(fc.oneof(fc.constant(0), fc.integer({ min: 32, max: PAGES - 1 })), fc.constantFrom(...LEAF_FLAGS))
    .map(([t, f]) => pte(RAM / 4096 + t, f)) },
  { weight: 1, arbitrary: fc.constant(0n) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 0, max: PAGES + 8 }), fc.integer({ min: 0, max: 0xff }), fc.boolean())
    .map(([t, f, reserved]) => pte(RAM / 4096 + t, f) | (reserved ? 1n << 60n : 0n)) },
);

interface Scenario {
  entries: { page: number; index: number; value: bigint }[];
  accesses: { vaddr: bigint; access: Access; priv: number; status: bigint; write?: { page: number; index: number; value: bigint } }[];
}

const tableSlot = { page: fc.integer({ min: 1, max: TABLE_PAGES }), index: fc.integer({ min: 0, max: 3 }) };

const scenario: fc.Arbitrary<Scenario> = fc.record({
  entries: fc.array(entry, { minLength: TABLE_PAGES * 4, maxLength: TABLE_PAGES * 4 })
    .map((values) => values.map((value, k) => ({ page: 1 + (k >> 2), index: k & 3, value }))),
  accesses: fc.array(fc.record({
    vpn: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })),
    high: fc.boolean(),
    offset: fc.integer({ min: 0, max: 4095 }),
    access: fc.constantFrom(Access.Fetch, Access.Load, Access.Store),
    priv: fc.constantFrom(PRIV.U, PRIV.S),
    status: fc.constantFrom(0n, MSTATUS.SUM, MSTATUS.MXR, MSTATUS.SUM | MSTATUS.MXR),
    write: fc.option(fc.record({ ...tableSlot, value: entry }), { freq: 4 }),
  }), { minLength: 1, maxLength: 40 }).map((list) => list.map((a) => {
    const [v2, v1, v0] = a.vpn;
    let vaddr = (BigInt(v2) << 30n) | (BigInt(v1) << 21n) | (BigInt(v0) << 12n) | BigInt(a.offset);
    if (a.high) vaddr |= 0xffff_ffc0_0000_0000n; // the upper half (sign-extended bit 38)
    return { vaddr, access: a.access, priv: a.priv, status: a.status, write: a.write ?? undefined };
  })),
});

/** Every table's entries 0..3 (and 256..259, for the upper half) come from the scenario. */
function install(b: Board, s: Scenario): void {
  for (const { page, index, value } of s.entries) {
    b.bus.write(RAM + page * 4096 + index * 8, 8, value);
    b.bus.write(RAM + page * 4096 + (index + 256) * 8, 8, value ^ (1n << 6n)); // the upper half, with A flipped
  }
}

describe('MMU modes agree with the reference walker', () => {
  it('on random page tables, accesses and page-table writes', () => {
    const tally = { translated: 0, superpages: 0, faults: 0 };
    fc.assert(fc.property(scenario, (s) => {
      const boards = [board('linear'), board(), board()];
      for (const b of boards) install(b, s);
      const [ref, sb, nb] = boards;
      const shadow = new ShadowMmu(sb.bus, () => {});
      const nested = new NestedMmu(nb.bus, nb.frames, nb.bus.p2m);
      const satp = SV39 | BigInt(RAM / 4096 + 1);
      for (const a of s.accesses) {
        if (a.write) {
          for (const b of boards) b.bus.write(RAM + a.write.page * 4096 + a.write.index * 8, 8, a.write.value);
        }
        const expected = attempt(() => translate(ref.bus, a.vaddr, a.access, a.priv, satp, a.status));
        if (typeof expected === 'number') tally.translated++;
        else tally.faults++;
        const modes: [Mmu, Board][] = [[shadow, sb], [nested, nb]];
        for (const [mmu, b] of modes) {
          expect(attempt(() => mmu.translate(a.vaddr, a.access, a.priv, satp, a.status))).toEqual(expected);
          if (mmu === nested && typeof expected === 'number' && mmu.leafLevel > 0) tally.superpages++;
          if (typeof expected === 'number' && b.bus.ramOffset(expected, 1) >= 0) {
            expect(mmu.machinePage).toBe(b.bus.ramOffset(expected - (expected % 4096), 1));
          }
        }
      }
      // (Buffer.equals: vitest's deep equality takes seconds over a MiB.)
      const bytes = Buffer.from(ref.bus.readBytes(RAM, PAGES * 4096)!);
      expect(bytes.equals(Buffer.from(sb.bus.readBytes(RAM, PAGES * 4096)!))).toBe(true);
      expect(bytes.equals(Buffer.from(nb.bus.readBytes(RAM, PAGES * 4096)!))).toBe(true);
    }), { numRuns: 300 });
    // The scenarios reach every outcome: 4 KiB pages, superpages, faults.
    expect(tally.translated).toBeGreaterThan(100);
    expect(tally.superpages).toBeGreaterThan(30);
    expect(tally.faults).toBeGreaterThan(500);
  });
});

describe('nested paging', () => {
  /** Root at page 1, a level-1 table at page 2, a level-0 table at page 3; vaddr 0 maps page 8. */
  function tables(b: Board): void {
    b.bus.write(RAM + 4096, 8, pte(RAM / 4096 + 2, 0x01));
    b.bus.write(RAM + 2 * 4096, 8, pte(RAM / 4096 + 3, 0x01));
    b.bus.write(RAM + 3 * 4096, 8, pte(RAM / 4096 + 8, 0xcf));
    b.bus.write(RAM + 2 * 4096 + 8, 8, pte(RAM / 4096, 0xcf)); // a 2 MiB page at 0x200000, onto RAM's start
  }

  it('makes 15 references for a 4 KiB page, 11 for a megapage, 3 with paging off', () => {
    const b = board();
    tables(b);
    const mmu = new NestedMmu(b.bus, b.frames, b.bus.p2m);
    const satp = SV39 | BigInt(RAM / 4096 + 1);
    expect(mmu.translate(0x123n, Access.Load, PRIV.S, satp, 0n)).toBe(RAM + 8 * 4096 + 0x123);
    expect(mmu.translate(0x200abcn, Access.Load, PRIV.S, satp, 0n)).toBe(RAM + 0xabc);
    expect(mmu.translate(BigInt(RAM + 5), Access.Load, PRIV.M, satp, 0n)).toBe(RAM + 5);
    expect(mmu.counters().histograms['references per walk'].slice(0, 16)).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1]);
  });

  it('builds a G-stage table in the Sv39x4 format that agrees with the P2M', () => {
    const b = board();
    const mmu = new NestedMmu(b.bus, b.frames, b.bus.p2m);
    const g = mmu.gstage;
    expect(g.root % 16384).toBe(0); // a 16 KiB root, 16 KiB-aligned
    const words = new Uint32Array(b.memory.buffer);
    for (let page = 0; page < PAGES; page++) {
      expect(g.translate(RAM + page * 4096)).toBe(b.bus.p2m.frameOffset(page));
    }
    // Walk one leaf by hand: root index = gpa[40:30] = 2, then gpa[29:21] = 0, gpa[20:12] = 5.
    const l1 = (words[(g.root + 2 * 8) >>> 2] >>> 10) * 4096;
    const l0 = (words[l1 >>> 2] >>> 10) * 4096;
    const leaf = words[(l0 + 5 * 8) >>> 2];
    expect(leaf & 0xff).toBe(0xdf); // V R W X U A D: G-stage leaves must be user pages
    expect((leaf >>> 10) * 4096).toBe(b.bus.p2m.frameOffset(5));
    expect(g.translate(0x1000_0000)).toBe(-1); // the UART: no leaf, a device
    expect(g.translate(2 ** 41)).toBe(-1); // beyond Sv39x4's 41 bits
  });

  it('follows a P2M remap', () => {
    const b = board('linear');
    const mmu = new NestedMmu(b.bus, b.frames, b.bus.p2m);
    const frame = b.frames.allocate();
    b.bus.p2m.remap(7, frame);
    expect(mmu.gstage.translate(RAM + 7 * 4096)).toBe(frame * 4096);
    expect(b.bus.ramOffset(RAM + 7 * 4096 + 8, 8)).toBe(frame * 4096 + 8);
  });
});

describe('shadow paging', () => {
  const satp = (root: number) => SV39 | BigInt(RAM / 4096 + root);
  function tables(b: Board, root: number, target: number): void {
    b.bus.write(RAM + root * 4096, 8, pte(RAM / 4096 + root + 1, 0x01));
    b.bus.write(RAM + (root + 1) * 4096, 8, pte(RAM / 4096 + root + 2, 0x01));
    b.bus.write(RAM + (root + 2) * 4096, 8, pte(RAM / 4096 + target, 0x0f)); // R W X V, A and D clear
  }
  const pteAt = (b: Board, page: number) => b.bus.read(RAM + page * 4096, 8)!;

  it('fills lazily (hidden faults), reflects true faults, sets A then D, and traces page-table writes', () => {
    const b = board();
    tables(b, 1, 8);
    const shadow = new ShadowMmu(b.bus, () => {});
    const counts = () => shadow.counters().counts;
    expect(shadow.translate(0x10n, Access.Load, PRIV.S, satp(1), 0n)).toBe(RAM + 8 * 4096 + 0x10);
    expect(counts()['hidden faults']).toBe(3);
    expect(pteAt(b, 3) & 0xc0n).toBe(0x40n); // A set, D clear
    shadow.translate(0x20n, Access.Load, PRIV.S, satp(1), 0n);
    expect(counts()['hidden faults']).toBe(3); // filled: no fault
    shadow.translate(0x30n, Access.Store, PRIV.S, satp(1), 0n);
    expect(counts()['hidden faults']).toBe(4); // the first store sets D
    expect(pteAt(b, 3) & 0xc0n).toBe(0xc0n);
    expect(counts()['tracing faults']).toBe(0); // the monitor's own A/D writes are not traced faults
    expect(() => shadow.translate(0x1000n, Access.Load, PRIV.S, satp(1), 0n)).toThrow(TrapSignal);
    expect(counts()['true faults']).toBe(1);
    // The guest remaps the page: a tracing fault zaps the shadow entry.
    b.bus.write(RAM + 3 * 4096, 8, pte(RAM / 4096 + 9, 0xcf));
    expect(counts()['tracing faults']).toBe(1);
    expect(counts().resyncs).toBe(1);
    expect(shadow.translate(0x10n, Access.Load, PRIV.S, satp(1), 0n)).toBe(RAM + 9 * 4096 + 0x10);
    // Unlinking the level-1 table drops its shadow (and the one below), and unprotects them.
    b.bus.write(RAM + 2 * 4096, 8, 0n);
    expect(counts()['shadow tables dropped']).toBe(1);
    expect(b.bus.pageNeedsSlowStores(RAM + 3 * 4096)).toBe(false);
    expect(b.bus.pageNeedsSlowStores(RAM + 2 * 4096)).toBe(true);
  });

  it('keeps several roots, and drops the least recently used past its limit', () => {
    const b = board('linear');
    const shadow = new ShadowMmu(b.bus, () => {});
    for (let p = 0; p < 10; p++) tables(b, 10 + 3 * p, 8);
    for (let p = 0; p < 8; p++) shadow.translate(0n, Access.Load, PRIV.S, satp(10 + 3 * p), 0n);
    shadow.translate(0n, Access.Load, PRIV.S, satp(10), 0n); // back to the first: still cached
    expect(shadow.counters().counts['roots built']).toBe(8);
    expect(shadow.counters().counts['hidden faults']).toBe(24);
    shadow.translate(0n, Access.Load, PRIV.S, satp(10 + 3 * 8), 0n); // a ninth: the second goes
    expect(shadow.counters().counts['roots dropped']).toBe(1);
    expect(shadow.counters().counts['roots live']).toBe(8);
    shadow.translate(0n, Access.Load, PRIV.S, satp(10), 0n);
    expect(shadow.counters().counts['roots built']).toBe(9);
  });
});
