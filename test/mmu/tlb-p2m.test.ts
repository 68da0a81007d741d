// The P2M and its frame allocator, RAM ranges across scattered frames, the TLB's
// flushes (one page, superpages, stores), and the jump cache's page blocks.
import { describe, expect, it } from 'vitest';
import { PRIV } from '../../src/isa/csr-numbers.js';
import { Board } from '../../src/machine/board.js';
import { FrameAllocator } from '../../src/machine/p2m.js';
import { JumpCache, jumpCacheIndex } from '../../src/jit/jump-cache.js';
import { JUMP_CACHE_OFFSET } from '../../src/machine/layout.js';
import { Tlb, TlbKind } from '../../src/mmu/tlb.js';

const RAM = 0x8000_0000;

describe('frames', () => {
  it('allocates, aligns runs, releases, and says when it runs out', () => {
    const a = new FrameAllocator(100, 10);
    expect(a.allocate()).toBe(100);
    expect(a.allocateRun(4, 4)).toBe(104); // 101..103 are free but not aligned
    expect(a.free).toBe(5);
    a.release(100);
    expect(a.allocate()).toBe(108); // first fit from where it left off, then wraps
    expect(a.allocate()).toBe(109);
    expect(a.allocate()).toBe(100);
    expect(() => a.allocateRun(4, 4)).toThrow(/out of machine frames/);
    expect(() => a.release(500)).toThrow(/not allocated/);
  });

  it('scatters guest pages over distinct frames, and RAM ranges still read back across pages', () => {
    const b = new Board({ ramMiB: 1, frames: 'scattered', realtime: false, output: () => {}, power: () => {} });
    const offsets = new Set(Array.from({ length: 256 }, (_, p) => b.bus.p2m.frameOffset(p)));
    expect(offsets.size).toBe(256);
    let neighbours = 0;
    for (let p = 1; p < 256; p++) if (b.bus.p2m.frameOffset(p) === b.bus.p2m.frameOffset(p - 1) + 4096) neighbours++;
    expect(neighbours).toBeLessThan(8);
    const data = Uint8Array.from({ length: 3 * 4096 + 100 }, (_, i) => (i * 7) & 0xff);
    expect(b.bus.writeBytes(RAM + 4000, data)).toBe(true);
    expect(Buffer.from(b.bus.readBytes(RAM + 4000, data.length)!).equals(Buffer.from(data))).toBe(true);
    expect(b.bus.read(RAM + 4096, 8)).toBe(b.bus.view.getBigUint64(b.bus.p2m.frameOffset(1), true));
    expect(b.bus.ramOffset(RAM + 4092, 8)).toBe(-1); // crosses a page: not one machine range
    expect(b.bus.readBytes(RAM + (1 << 20) - 4, 8)).toBeUndefined();
  });
});

describe('TLB', () => {
  const memory = () => new WebAssembly.Memory({ initial: 32 });

  it('keeps tables per privilege and kind, and drops one page on a page flush', () => {
    const tlb = new Tlb(memory(), 16);
    tlb.fillFetch(PRIV.S, 0x1234n, RAM + 0x5000, 0, 0x100_0000);
    tlb.fillFetch(PRIV.S, 0x11_2000n, RAM + 0x6000, 0, 0x100_0000); // same index (16 entries), another page
    tlb.fillFetch(PRIV.U, 0x2000n, RAM + 0x7000, 0, 0x100_0000);
    expect(tlb.lookupFetch(PRIV.S, 0x11_2abcn)).toBe(RAM + 0x6abc);
    expect(tlb.lookupFetch(PRIV.U, 0x2010n)).toBe(RAM + 0x7010);
    expect(tlb.lookupFetch(PRIV.S, 0x2010n)).toBe(-1); // another privilege's table
    tlb.fillFetch(PRIV.S, 0x3000n, RAM + 0x8000, 0, 0x100_0000);
    tlb.flushPage(0x3abcn);
    expect(tlb.lookupFetch(PRIV.S, 0x3000n)).toBe(-1);
    expect(tlb.lookupFetch(PRIV.U, 0x2000n)).toBe(RAM + 0x7000);
    expect(tlb.flushes).toBe(1); // the one at construction
  });

  it('flushes everything when a page flush hits a cached superpage', () => {
    const tlb = new Tlb(memory(), 16);
    tlb.fillFetch(PRIV.S, 0x20_0000n, RAM, 1, 0x100_0000); // a slice of the megapage at 2 MiB
    tlb.fillFetch(PRIV.S, 0x1000n, RAM + 0x9000, 0, 0x100_0000);
    tlb.flushPage(0x5000n); // outside the megapage: one page only
    expect(tlb.lookupFetch(PRIV.S, 0x1000n)).toBe(RAM + 0x9000);
    tlb.flushPage(0x3f_f000n); // inside it: all of its slices must go
    expect(tlb.lookupFetch(PRIV.S, 0x1000n)).toBe(-1);
    expect(tlb.lookupFetch(PRIV.S, 0x20_0000n)).toBe(-1);
  });

  it('rejects sizes that are not a power of two up to 4096', () => {
    expect(() => new Tlb(memory(), 100)).toThrow(/power of two/);
    expect(() => new Tlb(memory(), 8192)).toThrow(/power of two/);
  });

  it('flushStores leaves loads alone', () => {
    const m = memory();
    const tlb = new Tlb(m, 4);
    tlb.fill(PRIV.S, TlbKind.Load, 0x1000n, 0x100000, 0);
    tlb.fill(PRIV.S, TlbKind.Store, 0x1000n, 0x100000, 0);
    tlb.flushStores();
    const words = new BigUint64Array(m.buffer);
    expect(words[(tlb.base(PRIV.S, TlbKind.Load) + 16) / 8]).toBe(0x1000n);
    expect(words[(tlb.base(PRIV.S, TlbKind.Store) + 16) / 8]).not.toBe(0x1000n);
  });
});

describe('jump cache', () => {
  it('gives every jump target in a page an entry of its own, and a page flush clears only that page\'s', () => {
    const pc = 0x8012_3000;
    const indices = new Set<number>();
    for (let off = 0; off < 4096; off += 2) indices.add(jumpCacheIndex(pc + off));
    expect(indices.size).toBe(2048);
    const m = new WebAssembly.Memory({ initial: 32 });
    const jc = new JumpCache(m);
    jc.set(0x8012_3010n, 1, 7);
    jc.set(0x8012_4010n, 1, 8);
    jc.flushPage(0x8012_3ffen);
    const words = new Int32Array(m.buffer, JUMP_CACHE_OFFSET);
    expect(words[jumpCacheIndex(0x8012_3010) * 4]).toBe(1); // the tag no jump can have: dropped
    expect(words[jumpCacheIndex(0x8012_4010) * 4]).toBe(0x8012_4010 | 0); // another page's: kept
    expect(words[jumpCacheIndex(0x8012_4010) * 4 + 3]).toBe(8);
  });
});
