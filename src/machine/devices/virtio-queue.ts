// Split virtqueues (VIRTIO 1.2, "Split Virtqueues"), seen from the device side: take the
// chains the driver made available, hand them back through the used ring.
//
// Everything in the rings is written by the guest, so nothing here trusts it: a chain is
// walked at most queue-size steps (a loop cannot hang us), every index is range-checked,
// and every buffer is proved to be RAM before the device touches any of it, so that a
// malformed request has no side effects at all. Breaches of the protocol throw
// MalformedRingError, which the transport turns into DEVICE_NEEDS_RESET; nothing else
// guest-controlled throws.
import type { Bus } from '../bus.js';
import { PAGE_SIZE } from '../layout.js';

/** What a virtio device needs of guest memory; a Bus, or a fake in tests. */
export type GuestMemory = Pick<Bus, 'readBytes' | 'writeBytes'>;

export const VIRTQ_DESC_F_NEXT = 1;
export const VIRTQ_DESC_F_WRITE = 2;
export const VIRTQ_DESC_F_INDIRECT = 4;
export const VIRTQ_AVAIL_F_NO_INTERRUPT = 1;
/** The largest queue size the split format allows. */
export const MAX_QUEUE_SIZE = 32768;

const DESCRIPTOR_BYTES = 16;
/** The spec forbids chains of more than 2^32 bytes; the limit also bounds the RAM probing below. */
const MAX_CHAIN_BYTES = 2 ** 32;
/** Descriptor addresses at or above 2^53 are not JS-exact and lie outside every RAM region anyway. */
const ADDRESS_LIMIT = 2 ** 53;

/** The driver broke the virtqueue protocol; the device must stop until it is reset. */
export class MalformedRingError extends Error {
  override name = 'MalformedRingError';
}

/** One guest buffer of a chain, known to be RAM. */
export interface GuestBuffer {
  readonly addr: number;
  readonly len: number;
}

/** Where the driver put a queue's three parts, and how many entries it has. */
export interface QueueLayout {
  readonly size: number;
  readonly descAddr: number;
  readonly driverAddr: number;
  readonly deviceAddr: number;
}

/**
 * A descriptor chain: its device-readable buffers, then its device-writable ones, each
 * group seen as one contiguous byte range (the spec lets the driver split a request's
 * fields across descriptors however it likes).
 */
export class DescriptorChain {
  readonly readableLength: number;
  readonly writableLength: number;

  constructor(
    readonly head: number,
    private readonly memory: GuestMemory,
    readonly readable: readonly GuestBuffer[],
    readonly writable: readonly GuestBuffer[],
  ) {
    this.readableLength = totalLength(readable);
    this.writableLength = totalLength(writable);
  }

  /** `length` bytes from `offset` into the device-readable range. */
  read(offset: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    forEachPiece(this.readable, offset, length, (addr, len, done) => {
      const bytes = this.memory.readBytes(addr, len);
      // The chain's buffers were probed when it was popped; this only fires for a memory
      // that changed under us (a fake in tests, or RAM remapped by a device callback).
      if (bytes === undefined) throw new MalformedRingError(`buffer at 0x${addr.toString(16)} is not RAM`);
      out.set(bytes, done);
    });
    return out;
  }

  /** Writes `data` at `offset` into the device-writable range. */
  write(offset: number, data: Uint8Array): void {
    forEachPiece(this.writable, offset, data.length, (addr, len, done) => {
      if (!this.memory.writeBytes(addr, data.subarray(done, done + len))) {
        throw new MalformedRingError(`buffer at 0x${addr.toString(16)} is not RAM`);
      }
    });
  }
}

function totalLength(buffers: readonly GuestBuffer[]): number {
  let total = 0;
  for (const b of buffers) total += b.len;
  return total;
}

/** Calls `visit` for each buffer piece of the byte range [offset, offset + length) of `buffers`. */
function forEachPiece(
  buffers: readonly GuestBuffer[], offset: number, length: number,
  visit: (addr: number, len: number, done: number) => void,
): void {
  if (offset < 0 || offset + length > totalLength(buffers)) {
    throw new RangeError(`chain range ${offset}+${length} lies outside its ${totalLength(buffers)} bytes`);
  }
  let skip = offset;
  let done = 0;
  for (const b of buffers) {
    if (done === length) return;
    if (skip >= b.len) { skip -= b.len; continue; }
    const len = Math.min(b.len - skip, length - done);
    visit(b.addr + skip, len, done);
    done += len;
    skip = 0;
  }
}

interface Descriptor {
  addr: number;
  len: number;
  flags: number;
  next: number;
}

/** The device's half of one split virtqueue. */
export class SplitVirtqueue {
  /** The free-running index of the next avail-ring entry to take. */
  private nextAvail = 0;
  /** The free-running index of the next used-ring entry to fill. */
  private nextUsed = 0;
  private usedSinceInterruptCheck = false;

  constructor(
    private readonly memory: GuestMemory,
    readonly layout: QueueLayout,
    /** Whether VIRTIO_F_INDIRECT_DESC was negotiated. */
    private readonly indirectAllowed: boolean,
  ) {
    const { size } = layout;
    if (!Number.isInteger(size) || size < 1 || size > MAX_QUEUE_SIZE || (size & (size - 1)) !== 0) {
      throw new RangeError(`queue size must be a power of two from 1 to ${MAX_QUEUE_SIZE}, got ${size}`);
    }
  }

  /** The next chain the driver made available, or null when it has offered nothing more. */
  pop(): DescriptorChain | null {
    const { size, driverAddr } = this.layout;
    const availIdx = this.readU16(driverAddr + 2, 'available ring');
    const outstanding = (availIdx - this.nextAvail) & 0xffff;
    if (outstanding === 0) return null;
    // More entries than the queue holds means the index is garbage, not a burst of work.
    if (outstanding > size) {
      throw new MalformedRingError(`available index ${availIdx} is ${outstanding} entries ahead of the device, more than the queue size ${size}`);
    }
    const head = this.readU16(driverAddr + 4 + 2 * (this.nextAvail % size), 'available ring');
    this.nextAvail = (this.nextAvail + 1) & 0xffff;
    return this.walk(head);
  }

  /** Gives a finished chain back to the driver, with the number of bytes written into it. */
  push(chain: DescriptorChain, written: number): void {
    const { size, deviceAddr } = this.layout;
    const entry = new Uint8Array(8);
    const view = new DataView(entry.buffer);
    view.setUint32(0, chain.head, true);
    view.setUint32(4, Math.min(written, 0xffff_ffff), true);
    this.writeOrFail(deviceAddr + 4 + 8 * (this.nextUsed % size), entry, 'used ring');
    this.nextUsed = (this.nextUsed + 1) & 0xffff;
    // The index goes last: the driver may consume the entry as soon as it sees it.
    this.writeOrFail(deviceAddr + 2, Uint8Array.of(this.nextUsed & 0xff, this.nextUsed >>> 8), 'used ring');
    this.usedSinceInterruptCheck = true;
  }

  /**
   * Whether the used entries added since the last call warrant an interrupt: some were
   * added and the driver did not set VIRTQ_AVAIL_F_NO_INTERRUPT.
   */
  takeInterrupt(): boolean {
    if (!this.usedSinceInterruptCheck) return false;
    this.usedSinceInterruptCheck = false;
    return (this.readU16(this.layout.driverAddr, 'available ring') & VIRTQ_AVAIL_F_NO_INTERRUPT) === 0;
  }

  /** Follows a chain from `head`, through at most one indirect table, checking everything. */
  private walk(head: number): DescriptorChain {
    const readable: GuestBuffer[] = [];
    const writable: GuestBuffer[] = [];
    let table: Uint8Array | null = null; // the indirect table once entered, else the main table
    let count = this.layout.size;
    let index = head;
    let steps = 0;
    let total = 0;
    for (;;) {
      if (index >= count) {
        throw new MalformedRingError(`descriptor index ${index} is out of range (${table ? 'indirect table' : 'queue'} has ${count})`);
      }
      // A chain visiting more descriptors than its table holds must revisit one: a loop.
      if (++steps > count) throw new MalformedRingError(`descriptor chain from head ${head} loops`);
      const d: Descriptor = table ? decodeDescriptor(table, index * DESCRIPTOR_BYTES) : this.readDescriptor(index);
      if (d.flags & VIRTQ_DESC_F_INDIRECT) {
        if (!this.indirectAllowed) throw new MalformedRingError('indirect descriptor used but VIRTIO_F_INDIRECT_DESC was not negotiated');
        if (table) throw new MalformedRingError('indirect descriptor inside an indirect table');
        if (d.flags & VIRTQ_DESC_F_NEXT) throw new MalformedRingError('indirect descriptor with the NEXT flag');
        if (d.len === 0 || d.len % DESCRIPTOR_BYTES !== 0 || d.len / DESCRIPTOR_BYTES > MAX_QUEUE_SIZE) {
          throw new MalformedRingError(`indirect table length ${d.len} is not a whole number of descriptors (at most ${MAX_QUEUE_SIZE})`);
        }
        table = d.addr < ADDRESS_LIMIT ? this.memory.readBytes(d.addr, d.len) ?? null : null;
        if (table === null) throw new MalformedRingError(`indirect table at 0x${d.addr.toString(16)} is not RAM`);
        count = d.len / DESCRIPTOR_BYTES;
        index = 0;
        steps = 0;
        continue;
      }
      const isWritable = (d.flags & VIRTQ_DESC_F_WRITE) !== 0;
      if (!isWritable && writable.length > 0) throw new MalformedRingError('device-readable descriptor after a device-writable one');
      total += d.len;
      if (total > MAX_CHAIN_BYTES) throw new MalformedRingError(`descriptor chain from head ${head} is longer than 2^32 bytes`);
      if (!this.isRam(d.addr, d.len)) {
        throw new MalformedRingError(`buffer 0x${d.addr.toString(16)}+0x${d.len.toString(16)} is not RAM`);
      }
      (isWritable ? writable : readable).push({ addr: d.addr, len: d.len });
      if (!(d.flags & VIRTQ_DESC_F_NEXT)) break;
      index = d.next;
    }
    return new DescriptorChain(head, this.memory, readable, writable);
  }

  private readDescriptor(index: number): Descriptor {
    const bytes = this.memory.readBytes(this.layout.descAddr + index * DESCRIPTOR_BYTES, DESCRIPTOR_BYTES);
    if (bytes === undefined) throw new MalformedRingError(`descriptor table at 0x${this.layout.descAddr.toString(16)} is not RAM`);
    return decodeDescriptor(bytes, 0);
  }

  /**
   * Whether [addr, addr + len) is all RAM, without copying it: one byte of every page it
   * touches, and its last byte, must read. RAM is mapped page by page (the P2M), so a
   * page that answers is wholly RAM.
   */
  private isRam(addr: number, len: number): boolean {
    if (len === 0) return true;
    if (addr + len > ADDRESS_LIMIT) return false;
    for (let p = addr; p < addr + len; p = (Math.floor(p / PAGE_SIZE) + 1) * PAGE_SIZE) {
      if (this.memory.readBytes(p, 1) === undefined) return false;
    }
    return this.memory.readBytes(addr + len - 1, 1) !== undefined;
  }

  private readU16(addr: number, what: string): number {
    const bytes = this.memory.readBytes(addr, 2);
    if (bytes === undefined) throw new MalformedRingError(`${what} at 0x${addr.toString(16)} is not RAM`);
    return bytes[0] | (bytes[1] << 8);
  }

  private writeOrFail(addr: number, data: Uint8Array, what: string): void {
    if (!this.memory.writeBytes(addr, data)) throw new MalformedRingError(`${what} at 0x${addr.toString(16)} is not RAM`);
  }
}

function decodeDescriptor(bytes: Uint8Array, at: number): Descriptor {
  const view = new DataView(bytes.buffer, bytes.byteOffset + at, DESCRIPTOR_BYTES);
  const low = view.getUint32(0, true);
  const high = view.getUint32(4, true);
  // An address with high bits beyond 2^53 becomes ADDRESS_LIMIT: outside RAM, and no
  // rounding can carry it back into range.
  const addr = high >= 2 ** 21 ? ADDRESS_LIMIT : high * 2 ** 32 + low;
  return { addr, len: view.getUint32(8, true), flags: view.getUint16(12, true), next: view.getUint16(14, true) };
}
