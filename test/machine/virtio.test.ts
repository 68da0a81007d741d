// virtio-mmio devices driven through their registers the way a driver does: reset,
// ACKNOWLEDGE, DRIVER, features, FEATURES_OK, queue setup, DRIVER_OK, then requests built
// in real guest RAM (a Board's bus, also with scattered frames). Malformed rings must set
// DEVICE_NEEDS_RESET and never throw.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openFileDrive } from '../../src/cli/file-drive.js';
import { Board } from '../../src/machine/board.js';
import type { Bus } from '../../src/machine/bus.js';
import type { FramePlacement } from '../../src/machine/p2m.js';
import { MemoryBlockBackend } from '../../src/machine/devices/block-backend.js';
import {
  VIRTIO_BLK_F_BLK_SIZE, VIRTIO_BLK_F_FLUSH, VIRTIO_BLK_F_RO, VIRTIO_BLK_F_SEG_MAX, VIRTIO_BLK_S_IOERR, VIRTIO_BLK_S_OK,
  VIRTIO_BLK_S_UNSUPP, VIRTIO_BLK_T_FLUSH, VIRTIO_BLK_T_GET_ID, VIRTIO_BLK_T_IN, VIRTIO_BLK_T_OUT, VirtioBlk,
} from '../../src/machine/devices/virtio-blk.js';
import {
  INTERRUPT_CONFIG_CHANGE, INTERRUPT_USED_BUFFER, STATUS_ACKNOWLEDGE, STATUS_DEVICE_NEEDS_RESET, STATUS_DRIVER,
  STATUS_DRIVER_OK, STATUS_FEATURES_OK, VIRTIO_F_INDIRECT_DESC, VIRTIO_F_VERSION_1, VIRTIO_MMIO_MAGIC, VIRTIO_VENDOR_ID,
  VirtioMmio, VirtioMmioReg as R, virtioMmioBase, type VirtioDevice,
} from '../../src/machine/devices/virtio-mmio.js';
import {
  VIRTQ_AVAIL_F_NO_INTERRUPT, VIRTQ_DESC_F_INDIRECT, VIRTQ_DESC_F_NEXT, VIRTQ_DESC_F_WRITE,
} from '../../src/machine/devices/virtio-queue.js';
import { VirtioRng } from '../../src/machine/devices/virtio-rng.js';

const RAM = 0x8000_0000;
const DESC = RAM + 0x1000;
const AVAIL = RAM + 0x2000;
const USED = RAM + 0x3000;
const DATA = RAM + 0x10000;
const QUEUE_SIZE = 8;

interface Desc { addr: number; len: number; flags?: number; next?: number }

/** A minimal virtio driver over one device, with queue 0 in RAM at DESC/AVAIL/USED. */
class Driver {
  readonly levels: boolean[] = [];
  readonly dev: VirtioMmio;
  readonly bus: Bus;
  private availIdx = 0;

  constructor(device: VirtioDevice | null, frames: FramePlacement = 'linear') {
    const board = new Board({ ramMiB: 1, frames, realtime: false, output: () => {}, power: () => {} });
    this.bus = board.bus;
    this.dev = new VirtioMmio(virtioMmioBase(0), device, this.bus, (level) => this.levels.push(level));
  }

  reg(offset: number): number {
    return Number(this.dev.read(offset, 4));
  }

  set(offset: number, value: number | bigint): void {
    expect(() => this.dev.write(offset, 4, BigInt(value))).not.toThrow();
  }

  deviceFeatures(): bigint {
    this.set(R.DeviceFeaturesSel, 0);
    const low = BigInt(this.reg(R.DeviceFeatures));
    this.set(R.DeviceFeaturesSel, 1);
    return (BigInt(this.reg(R.DeviceFeatures)) << 32n) | low;
  }

  /** Negotiates `accept(offered)`; true if the device kept FEATURES_OK. */
  negotiate(accept: (offered: bigint) => bigint = (f) => f): boolean {
    this.set(R.Status, 0);
    this.set(R.Status, STATUS_ACKNOWLEDGE);
    this.set(R.Status, STATUS_ACKNOWLEDGE | STATUS_DRIVER);
    const features = accept(this.deviceFeatures());
    this.set(R.DriverFeaturesSel, 0);
    this.set(R.DriverFeatures, features & 0xffff_ffffn);
    this.set(R.DriverFeaturesSel, 1);
    this.set(R.DriverFeatures, features >> 32n);
    this.set(R.Status, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK);
    return (this.reg(R.Status) & STATUS_FEATURES_OK) !== 0;
  }

  /** The whole initialisation sequence, with queue 0 of QUEUE_SIZE entries. */
  init(accept?: (offered: bigint) => bigint, driverOk = true): void {
    expect(this.negotiate(accept)).toBe(true);
    this.bus.zero(DESC, 0x3000);
    this.availIdx = 0;
    this.set(R.QueueSel, 0);
    expect(this.reg(R.QueueNumMax)).toBeGreaterThanOrEqual(QUEUE_SIZE);
    expect(this.reg(R.QueueReady)).toBe(0);
    this.set(R.QueueNum, QUEUE_SIZE);
    this.set(R.QueueDescLow, DESC); this.set(R.QueueDescHigh, 0);
    this.set(R.QueueDriverLow, AVAIL); this.set(R.QueueDriverHigh, 0);
    this.set(R.QueueDeviceLow, USED); this.set(R.QueueDeviceHigh, 0);
    this.set(R.QueueReady, 1);
    expect(this.reg(R.QueueReady)).toBe(1);
    if (driverOk) this.set(R.Status, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK | STATUS_DRIVER_OK);
  }

  /** Writes descriptor `index` of the table at `table` (default: the queue's). */
  desc(index: number, d: Desc, table = DESC): void {
    const at = table + 16 * index;
    this.bus.write(at, 8, BigInt(d.addr));
    this.bus.write(at + 8, 4, BigInt(d.len));
    this.bus.write(at + 12, 2, BigInt(d.flags ?? 0));
    this.bus.write(at + 14, 2, BigInt(d.next ?? 0));
  }

  /** Lays `chain` out in descriptors 0.., offers head 0 and notifies; returns the used entry. */
  submit(chain: Desc[]): { head: number; len: number } | undefined {
    chain.forEach((d, i) => this.desc(i, { ...d, flags: (d.flags ?? 0) | (i < chain.length - 1 ? VIRTQ_DESC_F_NEXT : 0), next: i + 1 }));
    return this.offer(0);
  }

  /** Puts `head` in the avail ring, notifies, and returns the newest used entry if one was added. */
  offer(head: number): { head: number; len: number } | undefined {
    const usedBefore = this.usedIdx();
    this.bus.write(AVAIL + 4 + 2 * (this.availIdx % QUEUE_SIZE), 2, BigInt(head));
    this.availIdx = (this.availIdx + 1) & 0xffff;
    this.bus.write(AVAIL + 2, 2, BigInt(this.availIdx));
    this.set(R.QueueNotify, 0);
    if (this.usedIdx() === usedBefore) return undefined;
    const slot = USED + 4 + 8 * (usedBefore % QUEUE_SIZE);
    return { head: Number(this.bus.read(slot, 4)), len: Number(this.bus.read(slot + 4, 4)) };
  }

  usedIdx(): number {
    return Number(this.bus.read(USED + 2, 2));
  }

  bytes(addr: number, len: number): Uint8Array {
    return this.bus.readBytes(addr, len)!;
  }

  needsReset(): boolean {
    return (this.reg(R.Status) & STATUS_DEVICE_NEEDS_RESET) !== 0;
  }
}

const HEADER = DATA;
const STATUS = DATA + 0x100;
const BUFFER = DATA + 0x1000;

/** A block request: header at HEADER, data at BUFFER (len bytes), status at STATUS. */
function blockRequest(d: Driver, type: number, sector: bigint, len: number, dataWritable: boolean) {
  d.bus.write(HEADER, 4, BigInt(type));
  d.bus.write(HEADER + 4, 4, 0n);
  d.bus.write(HEADER + 8, 8, sector);
  d.bus.write(STATUS, 1, 0xffn);
  const chain: Desc[] = [{ addr: HEADER, len: 16 }];
  if (len > 0) chain.push({ addr: BUFFER, len, flags: dataWritable ? VIRTQ_DESC_F_WRITE : 0 });
  chain.push({ addr: STATUS, len: 1, flags: VIRTQ_DESC_F_WRITE });
  const used = d.submit(chain);
  return { used, status: Number(d.bus.read(STATUS, 1)) };
}

function pattern(len: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: len }, (_, i) => (i * 31 + seed) & 0xff);
}

describe('virtio-mmio transport', () => {
  it('an empty slot answers MagicValue, Version 2 and DeviceID 0, and nothing else', () => {
    const d = new Driver(null);
    expect(d.reg(R.MagicValue)).toBe(VIRTIO_MMIO_MAGIC);
    expect(d.reg(R.Version)).toBe(2);
    expect(d.reg(R.DeviceID)).toBe(0);
    expect(d.reg(R.VendorID)).toBe(VIRTIO_VENDOR_ID);
    expect(d.deviceFeatures()).toBe(0n);
    d.set(R.Status, STATUS_ACKNOWLEDGE);
    expect(d.reg(R.Status)).toBe(0);
    expect(d.reg(R.QueueNumMax)).toBe(0);
    d.set(R.QueueNotify, 0);
    for (const size of [1, 2, 4, 8] as const) {
      for (const off of [0, 3, 0x70, 0x100, 0x104, 0xff8]) expect(() => d.dev.read(off, size)).not.toThrow();
    }
    expect(d.dev.read(0x100, 8)).toBe(0n);
    expect(d.levels).toEqual([]);
  });

  it('answers only aligned 32-bit register accesses', () => {
    const d = new Driver(new VirtioRng());
    expect(d.dev.read(R.MagicValue, 8)).toBe(0n);
    expect(d.dev.read(R.MagicValue, 1)).toBe(0n);
    expect(d.dev.read(R.MagicValue + 2, 4)).toBe(0n);
    d.dev.write(R.Status, 1, 1n);
    expect(d.reg(R.Status)).toBe(0);
    expect(d.reg(R.DeviceID)).toBe(4);
  });

  it('offers VERSION_1 and INDIRECT_DESC, and refuses FEATURES_OK without VERSION_1 or with unoffered bits', () => {
    const d = new Driver(new VirtioRng());
    const offered = d.deviceFeatures();
    expect(offered & VIRTIO_F_VERSION_1).toBe(VIRTIO_F_VERSION_1);
    expect(offered & VIRTIO_F_INDIRECT_DESC).toBe(VIRTIO_F_INDIRECT_DESC);
    expect(d.negotiate((f) => f & ~VIRTIO_F_VERSION_1)).toBe(false);
    expect(d.negotiate((f) => f | (1n << 35n))).toBe(false);
    expect(d.negotiate((f) => f & ~VIRTIO_F_INDIRECT_DESC)).toBe(true);
    expect(d.dev.negotiatedFeatures).toBe(VIRTIO_F_VERSION_1);
    // Features are frozen once FEATURES_OK is set.
    d.set(R.DriverFeaturesSel, 0);
    d.set(R.DriverFeatures, 0xffff_ffff);
    expect(d.dev.negotiatedFeatures).toBe(VIRTIO_F_VERSION_1);
  });

  it('raises the interrupt for used buffers and lowers it on InterruptACK; NO_INTERRUPT suppresses it', () => {
    const d = new Driver(new VirtioRng());
    d.init();
    expect(d.submit([{ addr: BUFFER, len: 16, flags: VIRTQ_DESC_F_WRITE }])).toEqual({ head: 0, len: 16 });
    expect(d.reg(R.InterruptStatus)).toBe(INTERRUPT_USED_BUFFER);
    expect(d.levels).toEqual([true]);
    d.set(R.InterruptACK, INTERRUPT_USED_BUFFER);
    expect(d.reg(R.InterruptStatus)).toBe(0);
    expect(d.levels).toEqual([true, false]);
    d.bus.write(AVAIL, 2, BigInt(VIRTQ_AVAIL_F_NO_INTERRUPT));
    expect(d.submit([{ addr: BUFFER, len: 16, flags: VIRTQ_DESC_F_WRITE }])).toEqual({ head: 0, len: 16 });
    expect(d.usedIdx()).toBe(2);
    expect(d.reg(R.InterruptStatus)).toBe(0);
    expect(d.levels).toEqual([true, false]);
  });

  it('ignores notifications before DRIVER_OK', () => {
    const d = new Driver(new VirtioRng());
    d.init(undefined, false);
    d.desc(0, { addr: BUFFER, len: 16, flags: VIRTQ_DESC_F_WRITE });
    expect(d.offer(0)).toBeUndefined();
    d.set(R.Status, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK | STATUS_DRIVER_OK);
    d.set(R.QueueNotify, 0); // the entry offered before DRIVER_OK is served now
    expect(d.usedIdx()).toBe(1);
  });
});

describe('virtio-blk', () => {
  const disk = () => new MemoryBlockBackend(pattern(64 * 512, 1));

  it('describes the disk in its features and configuration space', () => {
    const d = new Driver(new VirtioBlk(new MemoryBlockBackend(new Uint8Array(100 * 512 + 7))));
    expect(d.reg(R.DeviceID)).toBe(2);
    const f = d.deviceFeatures();
    for (const bit of [VIRTIO_BLK_F_SEG_MAX, VIRTIO_BLK_F_BLK_SIZE, VIRTIO_BLK_F_FLUSH]) expect(f & bit).toBe(bit);
    expect(f & VIRTIO_BLK_F_RO).toBe(0n);
    expect(d.dev.read(0x100, 8)).toBe(100n); // capacity in sectors: the partial tail is hidden
    expect(d.dev.read(0x100, 4)).toBe(100n);
    expect(d.dev.read(0x104, 4)).toBe(0n);
    expect(d.dev.read(0x100 + 12, 4)).toBe(254n); // seg_max
    expect(d.dev.read(0x100 + 20, 4)).toBe(512n); // blk_size
    expect(d.dev.read(0x100 + 20, 2)).toBe(512n);
    expect(d.dev.read(0x100 + 21, 1)).toBe(2n);
    expect(d.dev.read(0x100 + 0x400, 4)).toBe(0n);
  });

  it('writes, reads back, flushes and answers GET_ID', () => {
    const backend = disk();
    const d = new Driver(new VirtioBlk(backend, { id: 'serial-42' }));
    d.init();
    const data = pattern(3 * 512, 99);
    d.bus.writeBytes(BUFFER, data);
    let r = blockRequest(d, VIRTIO_BLK_T_OUT, 5n, data.length, false);
    expect(r).toEqual({ used: { head: 0, len: 1 }, status: VIRTIO_BLK_S_OK });
    expect(backend.data.subarray(5 * 512, 8 * 512)).toEqual(data);
    expect(backend.data.subarray(4 * 512, 5 * 512)).toEqual(pattern(64 * 512, 1).subarray(4 * 512, 5 * 512));

    d.bus.zero(BUFFER, 4 * 512);
    r = blockRequest(d, VIRTIO_BLK_T_IN, 4n, 4 * 512, true);
    expect(r).toEqual({ used: { head: 0, len: 4 * 512 + 1 }, status: VIRTIO_BLK_S_OK });
    expect(d.bytes(BUFFER + 512, 3 * 512)).toEqual(data);

    r = blockRequest(d, VIRTIO_BLK_T_FLUSH, 0n, 0, false);
    expect(r.status).toBe(VIRTIO_BLK_S_OK);
    expect(backend.flushes).toBe(1);

    r = blockRequest(d, VIRTIO_BLK_T_GET_ID, 0n, 20, true);
    expect(r).toEqual({ used: { head: 0, len: 21 }, status: VIRTIO_BLK_S_OK });
    expect(new TextDecoder().decode(d.bytes(BUFFER, 20))).toBe('serial-42' + '\0'.repeat(11));

    expect(blockRequest(d, 13, 0n, 0, false).status).toBe(VIRTIO_BLK_S_UNSUPP); // WRITE_ZEROES, not offered
    expect(d.needsReset()).toBe(false);
  });

  it('accepts any framing: a header split over descriptors, data over scattered pages', () => {
    const backend = disk();
    const d = new Driver(new VirtioBlk(backend), 'scattered');
    d.init();
    d.bus.write(HEADER, 4, BigInt(VIRTIO_BLK_T_IN));
    d.bus.write(HEADER + 8, 8, 2n);
    const used = d.submit([
      { addr: HEADER, len: 5 },
      { addr: HEADER + 5, len: 11 },
      { addr: BUFFER + 4000, len: 1000, flags: VIRTQ_DESC_F_WRITE }, // crosses a page boundary
      { addr: BUFFER + 0x3000, len: 24 + 1, flags: VIRTQ_DESC_F_WRITE }, // data tail and status in one
    ]);
    expect(used).toEqual({ head: 0, len: 1025 });
    const expected = backend.data.subarray(2 * 512, 4 * 512);
    expect(d.bytes(BUFFER + 4000, 1000)).toEqual(expected.subarray(0, 1000));
    expect(d.bytes(BUFFER + 0x3000, 24)).toEqual(expected.subarray(1000));
    expect(Number(d.bus.read(BUFFER + 0x3000 + 24, 1))).toBe(VIRTIO_BLK_S_OK);
  });

  it('serves a request through an indirect table', () => {
    const backend = disk();
    const d = new Driver(new VirtioBlk(backend));
    d.init();
    const table = DATA + 0x8000;
    d.bus.write(HEADER, 4, BigInt(VIRTIO_BLK_T_IN));
    d.bus.write(HEADER + 8, 8, 7n);
    d.desc(0, { addr: HEADER, len: 16, flags: VIRTQ_DESC_F_NEXT, next: 2 }, table);
    d.desc(2, { addr: BUFFER, len: 512, flags: VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, next: 1 }, table);
    d.desc(1, { addr: STATUS, len: 1, flags: VIRTQ_DESC_F_WRITE }, table);
    expect(d.submit([{ addr: table, len: 48, flags: VIRTQ_DESC_F_INDIRECT }])).toEqual({ head: 0, len: 513 });
    expect(d.bytes(BUFFER, 512)).toEqual(backend.data.subarray(7 * 512, 8 * 512));
    expect(d.needsReset()).toBe(false);
  });

  it('fails requests beyond the disk or of partial sectors with IOERR', () => {
    const backend = disk();
    const before = backend.data.slice();
    const d = new Driver(new VirtioBlk(backend));
    d.init();
    expect(blockRequest(d, VIRTIO_BLK_T_IN, 64n, 512, true).status).toBe(VIRTIO_BLK_S_IOERR);
    expect(blockRequest(d, VIRTIO_BLK_T_IN, 63n, 1024, true).status).toBe(VIRTIO_BLK_S_IOERR);
    expect(blockRequest(d, VIRTIO_BLK_T_OUT, 0xffff_ffff_ffff_ffffn, 512, false).status).toBe(VIRTIO_BLK_S_IOERR);
    expect(blockRequest(d, VIRTIO_BLK_T_OUT, 1n, 100, false).status).toBe(VIRTIO_BLK_S_IOERR);
    expect(blockRequest(d, VIRTIO_BLK_T_IN, 63n, 512, true).status).toBe(VIRTIO_BLK_S_OK);
    expect(backend.data).toEqual(before);
    expect(d.needsReset()).toBe(false);
  });

  it('a read-only disk offers VIRTIO_BLK_F_RO, reads, and fails writes with IOERR', () => {
    const backend = new MemoryBlockBackend(pattern(8 * 512, 3), true);
    const before = backend.data.slice();
    const d = new Driver(new VirtioBlk(backend));
    expect(d.deviceFeatures() & VIRTIO_BLK_F_RO).toBe(VIRTIO_BLK_F_RO);
    d.init();
    expect(blockRequest(d, VIRTIO_BLK_T_OUT, 0n, 512, false).status).toBe(VIRTIO_BLK_S_IOERR);
    expect(backend.data).toEqual(before);
    expect(blockRequest(d, VIRTIO_BLK_T_IN, 1n, 512, true).status).toBe(VIRTIO_BLK_S_OK);
    expect(d.bytes(BUFFER, 512)).toEqual(before.subarray(512, 1024));
  });

  it('turns a backend exception into IOERR', () => {
    const backend = new MemoryBlockBackend(new Uint8Array(4096));
    backend.flush = () => { throw new Error('EIO'); };
    const d = new Driver(new VirtioBlk(backend));
    d.init();
    expect(blockRequest(d, VIRTIO_BLK_T_FLUSH, 0n, 0, false).status).toBe(VIRTIO_BLK_S_IOERR);
  });
});

describe('virtio-rng', () => {
  it('fills device-writable buffers with random bytes', () => {
    const d = new Driver(new VirtioRng());
    d.init();
    d.bus.zero(BUFFER, 0x2000);
    expect(d.submit([
      { addr: BUFFER, len: 100, flags: VIRTQ_DESC_F_WRITE },
      { addr: BUFFER + 0x1000, len: 70000 - 100, flags: VIRTQ_DESC_F_WRITE }, // more than one getRandomValues call
    ])).toEqual({ head: 0, len: 70000 });
    expect(d.bytes(BUFFER, 100).some((b) => b !== 0)).toBe(true);
    expect(d.bytes(BUFFER + 0x1000 + 69800, 100).some((b) => b !== 0)).toBe(true);
  });

  it('uses the random source it is given', () => {
    const d = new Driver(new VirtioRng((into) => into.fill(0xa5)));
    d.init();
    expect(d.submit([{ addr: BUFFER, len: 8, flags: VIRTQ_DESC_F_WRITE }])).toEqual({ head: 0, len: 8 });
    expect(d.bytes(BUFFER, 8)).toEqual(new Uint8Array(8).fill(0xa5));
  });
});

describe('malformed rings', () => {
  /** Runs `corrupt` on an initialised rng device; the device must ask for a reset and use nothing. */
  function expectNeedsReset(corrupt: (d: Driver) => void, setup?: (f: bigint) => bigint): Driver {
    const d = new Driver(new VirtioRng());
    d.init(setup);
    expect(() => corrupt(d)).not.toThrow();
    expect(d.needsReset()).toBe(true);
    expect(d.usedIdx()).toBe(0);
    expect(d.reg(R.InterruptStatus) & INTERRUPT_CONFIG_CHANGE).toBe(INTERRUPT_CONFIG_CHANGE);
    expect(d.dev.lastFault).toBeTypeOf('string');
    return d;
  }
  const W = VIRTQ_DESC_F_WRITE;
  const N = VIRTQ_DESC_F_NEXT;

  it('a loop in a chain', () => {
    const d = expectNeedsReset((d) => {
      d.desc(0, { addr: BUFFER, len: 4, flags: W | N, next: 1 });
      d.desc(1, { addr: BUFFER, len: 4, flags: W | N, next: 0 });
      d.offer(0);
    });
    expect(d.dev.lastFault).toMatch(/loops/);
  });

  it('a descriptor index out of range, as head or as next', () => {
    expectNeedsReset((d) => d.offer(QUEUE_SIZE));
    expectNeedsReset((d) => {
      d.desc(0, { addr: BUFFER, len: 4, flags: W | N, next: 500 });
      d.offer(0);
    });
  });

  it('buffers outside RAM: below it, straddling its end, at an absurd address', () => {
    expectNeedsReset((d) => d.submit([{ addr: 0x1000, len: 16, flags: W }]));
    expectNeedsReset((d) => d.submit([{ addr: d.bus.ramEnd - 8, len: 16, flags: W }]));
    expectNeedsReset((d) => d.submit([{ addr: 2 ** 60, len: 16, flags: W }]));
    expectNeedsReset((d) => d.submit([{ addr: RAM, len: 0xffff_ffff, flags: W }]));
  });

  it('a readable descriptor after a writable one, and misused indirect descriptors', () => {
    expectNeedsReset((d) => d.submit([{ addr: BUFFER, len: 4, flags: W }, { addr: BUFFER, len: 4 }]));
    expectNeedsReset((d) => d.submit([{ addr: DATA, len: 16, flags: VIRTQ_DESC_F_INDIRECT }]), (f) => f & ~VIRTIO_F_INDIRECT_DESC);
    expectNeedsReset((d) => d.submit([{ addr: DATA, len: 17, flags: VIRTQ_DESC_F_INDIRECT }]));
    expectNeedsReset((d) => {
      d.desc(0, { addr: DATA, len: 16, flags: VIRTQ_DESC_F_INDIRECT }, DATA);
      d.submit([{ addr: DATA, len: 16, flags: VIRTQ_DESC_F_INDIRECT }]);
    });
    expectNeedsReset((d) => {
      d.desc(0, { addr: BUFFER, len: 4, flags: W | N, next: 0 }, DATA); // a loop inside the table
      d.submit([{ addr: DATA, len: 32, flags: VIRTQ_DESC_F_INDIRECT }]);
    });
  });

  it('a request with one buffer outside RAM has no effect at all', () => {
    const d = new Driver(new VirtioBlk(new MemoryBlockBackend(pattern(4096, 9))));
    d.init();
    d.bus.writeBytes(BUFFER, new Uint8Array(512).fill(0xee));
    d.bus.write(HEADER, 4, BigInt(VIRTIO_BLK_T_IN));
    d.bus.write(HEADER + 8, 8, 0n);
    d.bus.write(STATUS, 1, 0x77n);
    expect(() => d.submit([
      { addr: HEADER, len: 16 }, { addr: BUFFER, len: 512, flags: W }, { addr: 0x1000, len: 512, flags: W }, { addr: STATUS, len: 1, flags: W },
    ])).not.toThrow();
    expect(d.needsReset()).toBe(true);
    expect(d.bytes(BUFFER, 512)).toEqual(new Uint8Array(512).fill(0xee));
    expect(Number(d.bus.read(STATUS, 1))).toBe(0x77);
    expect(d.usedIdx()).toBe(0);
  });

  it('an available index running ahead of the queue size', () => {
    expectNeedsReset((d) => {
      d.bus.write(AVAIL + 2, 2, BigInt(QUEUE_SIZE + 1));
      d.set(R.QueueNotify, 0);
    });
  });

  it('a block request with no header or no status byte', () => {
    for (const chain of [[{ addr: HEADER, len: 8 }, { addr: STATUS, len: 1, flags: W }], [{ addr: HEADER, len: 16 }]]) {
      const d = new Driver(new VirtioBlk(new MemoryBlockBackend(new Uint8Array(4096))));
      d.init();
      expect(() => d.submit(chain)).not.toThrow();
      expect(d.needsReset()).toBe(true);
    }
  });

  it('a bad queue size at QueueReady', () => {
    const d = new Driver(new VirtioRng());
    expect(d.negotiate()).toBe(true);
    d.set(R.QueueNum, 3);
    d.set(R.QueueReady, 1);
    expect(d.reg(R.QueueReady)).toBe(0);
    expect(d.needsReset()).toBe(true);
  });

  it('after DEVICE_NEEDS_RESET the device ignores notifications; status 0 resets everything', () => {
    const d = expectNeedsReset((d) => d.offer(QUEUE_SIZE + 3));
    d.desc(0, { addr: BUFFER, len: 4, flags: W });
    expect(d.offer(0)).toBeUndefined();
    d.set(R.Status, 0);
    expect(d.reg(R.Status)).toBe(0);
    expect(d.reg(R.InterruptStatus)).toBe(0);
    expect(d.reg(R.QueueReady)).toBe(0);
    expect(d.dev.negotiatedFeatures).toBe(0n);
    expect(d.dev.lastFault).toBeUndefined();
    expect(d.levels.at(-1)).toBe(false);
    d.init();
    expect(d.submit([{ addr: BUFFER, len: 4, flags: W }])).toEqual({ head: 0, len: 4 });
  });
});

describe('file drive', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rvwasm-drive-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves a virtio disk from a host file, writes through, and warns about a partial sector', () => {
    const path = join(dir, 'disk.img');
    writeFileSync(path, pattern(4 * 512 + 100, 5));
    const drive = openFileDrive(path);
    expect(drive.size).toBe(4 * 512 + 100);
    expect(drive.warning).toMatch(/not a multiple of 512; the last 100 bytes/);
    const d = new Driver(new VirtioBlk(drive));
    expect(d.dev.read(0x100, 8)).toBe(4n);
    d.init();
    d.bus.writeBytes(BUFFER, pattern(512, 77));
    expect(blockRequest(d, VIRTIO_BLK_T_OUT, 3n, 512, false).status).toBe(VIRTIO_BLK_S_OK);
    expect(blockRequest(d, VIRTIO_BLK_T_FLUSH, 0n, 0, false).status).toBe(VIRTIO_BLK_S_OK);
    expect(blockRequest(d, VIRTIO_BLK_T_IN, 4n, 512, true).status).toBe(VIRTIO_BLK_S_IOERR);
    d.bus.zero(BUFFER, 1024);
    expect(blockRequest(d, VIRTIO_BLK_T_IN, 2n, 1024, true).status).toBe(VIRTIO_BLK_S_OK);
    expect(d.bytes(BUFFER + 512, 512)).toEqual(pattern(512, 77));
    drive.close();
    const file = readFileSync(path);
    expect(new Uint8Array(file.subarray(3 * 512, 4 * 512))).toEqual(pattern(512, 77));
    expect(new Uint8Array(file.subarray(0, 512))).toEqual(pattern(4 * 512 + 100, 5).subarray(0, 512));
  });

  it('opens read-only, refusing writes', () => {
    const path = join(dir, 'ro.img');
    writeFileSync(path, new Uint8Array(1024));
    const drive = openFileDrive(path, { readOnly: true });
    expect(drive.readOnly).toBe(true);
    expect(drive.warning).toBeUndefined();
    expect(() => drive.write(0, new Uint8Array(1))).toThrow(/read-only/);
    drive.close();
  });

  it('reports a missing file, a directory and an unreadable file on one line', () => {
    expect(() => openFileDrive(join(dir, 'missing.img'))).toThrow(/missing\.img: no such disk image$/);
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    expect(() => openFileDrive(sub)).toThrow(/sub: is a directory/);
    expect(() => openFileDrive(sub, { readOnly: true })).toThrow(/sub: is a directory/);
    if (process.getuid?.() !== 0) { // root reads anything
      const path = join(dir, 'locked.img');
      writeFileSync(path, new Uint8Array(512), { mode: 0o000 });
      expect(() => openFileDrive(path, { readOnly: true })).toThrow(/locked\.img: permission denied/);
    }
    try {
      openFileDrive(join(dir, 'missing.img'));
    } catch (e) {
      expect(e).toBeInstanceOf(Error);
      expect((e as Error).message).not.toContain('\n');
    }
  });
});
