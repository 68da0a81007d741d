// virtio block device (VIRTIO 1.2, "Block Device"; DeviceID 2): one request queue, 512-byte
// sectors, requests IN, OUT, FLUSH and GET_ID served synchronously at notify time against a
// BlockBackend. A request the disk cannot satisfy (past the end, a write to a read-only
// disk, a host I/O error) completes with IOERR; only a request whose framing is broken
// (no header, nowhere to put the status) is a protocol breach that needs a reset.
import type { AccessSize } from '../bus.js';
import type { BlockBackend } from './block-backend.js';
import type { VirtioDevice } from './virtio-mmio.js';
import { MalformedRingError, type DescriptorChain, type SplitVirtqueue } from './virtio-queue.js';

export const VIRTIO_BLK_DEVICE_ID = 2;
export const SECTOR_SIZE = 512;

export const VIRTIO_BLK_F_SEG_MAX = 1n << 2n;
export const VIRTIO_BLK_F_RO = 1n << 5n;
export const VIRTIO_BLK_F_BLK_SIZE = 1n << 6n;
export const VIRTIO_BLK_F_FLUSH = 1n << 9n;

export const VIRTIO_BLK_T_IN = 0;
export const VIRTIO_BLK_T_OUT = 1;
export const VIRTIO_BLK_T_FLUSH = 4;
export const VIRTIO_BLK_T_GET_ID = 8;

export const VIRTIO_BLK_S_OK = 0;
export const VIRTIO_BLK_S_IOERR = 1;
export const VIRTIO_BLK_S_UNSUPP = 2;

/** QEMU's default for virtio-blk: deep enough for Linux's request merging. */
export const VIRTIO_BLK_QUEUE_SIZE = 256;
/** The GET_ID string is at most 20 bytes, NUL-padded, unterminated when exactly 20 long. */
export const VIRTIO_BLK_ID_BYTES = 20;

/** type (le32), reserved (le32), sector (le64). */
const HEADER_BYTES = 16;
/**
 * Requests are copied between disk and guest in pieces this big: a guest can describe a
 * buffer of up to 4 GiB, and the host should not allocate that much for it at once.
 */
const CHUNK_BYTES = 256 * 1024;

/** Offsets in struct virtio_blk_config. */
const CONFIG_CAPACITY = 0;
const CONFIG_SEG_MAX = 12;
const CONFIG_BLK_SIZE = 20;
/** Up to and including the write-zeroes fields, so drivers that read past blk_size see zeros. */
const CONFIG_BYTES = 60;

export interface VirtioBlkOptions {
  /** The GET_ID answer (the disk's serial number in the guest); ASCII, cut to 20 bytes. */
  id?: string;
}

export class VirtioBlk implements VirtioDevice {
  readonly name = 'blk';
  readonly deviceId = VIRTIO_BLK_DEVICE_ID;
  readonly features: bigint;
  readonly queueSizes = [VIRTIO_BLK_QUEUE_SIZE];
  /** Whole sectors; a trailing partial sector of the backend is not visible to the guest. */
  readonly capacity: number;
  private readonly config = new Uint8Array(CONFIG_BYTES);
  private readonly id = new Uint8Array(VIRTIO_BLK_ID_BYTES);

  constructor(private readonly backend: BlockBackend, options: VirtioBlkOptions = {}) {
    this.capacity = Math.floor(backend.size / SECTOR_SIZE);
    // SEG_MAX lets Linux send scatter-gather requests (without it, one segment each);
    // FLUSH tells the driver the disk has a write cache worth flushing.
    this.features = VIRTIO_BLK_F_SEG_MAX | VIRTIO_BLK_F_BLK_SIZE | VIRTIO_BLK_F_FLUSH | (backend.readOnly ? VIRTIO_BLK_F_RO : 0n);
    const view = new DataView(this.config.buffer);
    view.setBigUint64(CONFIG_CAPACITY, BigInt(this.capacity), true);
    // Two descriptors of every chain go to the header and the status byte.
    view.setUint32(CONFIG_SEG_MAX, VIRTIO_BLK_QUEUE_SIZE - 2, true);
    view.setUint32(CONFIG_BLK_SIZE, SECTOR_SIZE, true);
    const id = options.id ?? 'rvwasm-disk';
    for (let i = 0; i < Math.min(id.length, VIRTIO_BLK_ID_BYTES); i++) this.id[i] = id.charCodeAt(i) & 0x7f;
  }

  readConfig(offset: number, size: AccessSize): bigint {
    let value = 0n;
    for (let i = size - 1; i >= 0; i--) value = (value << 8n) | BigInt(this.config[offset + i] ?? 0);
    return value;
  }

  writeConfig(): void {
    // Nothing is writable: the only writable field, writeback, needs VIRTIO_BLK_F_CONFIG_WCE.
  }

  reset(): void {
    // Requests complete at notify time, so there is no in-flight state to drop.
  }

  processQueue(_index: number, queue: SplitVirtqueue): void {
    for (let chain = queue.pop(); chain !== null; chain = queue.pop()) {
      queue.push(chain, this.serve(chain));
    }
  }

  /** Carries out one request; returns the bytes written into the chain (data and status). */
  private serve(chain: DescriptorChain): number {
    if (chain.readableLength < HEADER_BYTES) throw new MalformedRingError(`block request header is ${chain.readableLength} bytes, not ${HEADER_BYTES}`);
    if (chain.writableLength < 1) throw new MalformedRingError('block request has no device-writable byte for its status');
    const header = new DataView(chain.read(0, HEADER_BYTES).buffer);
    const type = header.getUint32(0, true);
    const sector = header.getBigUint64(8, true);
    const statusAt = chain.writableLength - 1;
    let written = 0;
    let status: number;
    switch (type) {
      case VIRTIO_BLK_T_IN: {
        const result = this.readSectors(chain, sector, statusAt);
        written = result.written;
        status = result.status;
        break;
      }
      case VIRTIO_BLK_T_OUT:
        status = this.writeSectors(chain, sector, chain.readableLength - HEADER_BYTES);
        break;
      case VIRTIO_BLK_T_FLUSH:
        status = this.tryBackend(() => this.backend.flush());
        break;
      case VIRTIO_BLK_T_GET_ID:
        written = Math.min(VIRTIO_BLK_ID_BYTES, statusAt);
        chain.write(0, this.id.subarray(0, written));
        status = VIRTIO_BLK_S_OK;
        break;
      default:
        status = VIRTIO_BLK_S_UNSUPP;
    }
    chain.write(statusAt, Uint8Array.of(status));
    return written + 1;
  }

  /** IN: disk → the chain's writable bytes before the status. */
  private readSectors(chain: DescriptorChain, sector: bigint, length: number): { status: number; written: number } {
    const offset = this.diskOffset(sector, length);
    if (offset === undefined) return { status: VIRTIO_BLK_S_IOERR, written: 0 };
    const chunk = new Uint8Array(Math.min(length, CHUNK_BYTES));
    for (let done = 0; done < length; done += chunk.length) {
      const piece = chunk.subarray(0, Math.min(chunk.length, length - done));
      if (this.tryBackend(() => this.backend.read(offset + done, piece)) !== VIRTIO_BLK_S_OK) {
        return { status: VIRTIO_BLK_S_IOERR, written: done };
      }
      chain.write(done, piece);
    }
    return { status: VIRTIO_BLK_S_OK, written: length };
  }

  /** OUT: the chain's readable bytes after the header → disk. */
  private writeSectors(chain: DescriptorChain, sector: bigint, length: number): number {
    const offset = this.diskOffset(sector, length);
    if (offset === undefined || this.backend.readOnly) return VIRTIO_BLK_S_IOERR;
    for (let done = 0; done < length; done += CHUNK_BYTES) {
      const piece = chain.read(HEADER_BYTES + done, Math.min(CHUNK_BYTES, length - done));
      if (this.tryBackend(() => this.backend.write(offset + done, piece)) !== VIRTIO_BLK_S_OK) return VIRTIO_BLK_S_IOERR;
    }
    return VIRTIO_BLK_S_OK;
  }

  /** The byte offset of a transfer of `length` bytes at `sector`, or undefined if it is not whole sectors within the disk. */
  private diskOffset(sector: bigint, length: number): number | undefined {
    if (length % SECTOR_SIZE !== 0) return undefined;
    if (sector * BigInt(SECTOR_SIZE) + BigInt(length) > BigInt(this.capacity * SECTOR_SIZE)) return undefined;
    return Number(sector) * SECTOR_SIZE;
  }

  /** A host I/O failure is the guest's IOERR, never an exception out of the device. */
  private tryBackend(io: () => void): number {
    try {
      io();
      return VIRTIO_BLK_S_OK;
    } catch {
      return VIRTIO_BLK_S_IOERR;
    }
  }
}
