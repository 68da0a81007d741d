// Where a virtio block device keeps its bytes. The machine layer only knows this
// interface; the CLI supplies a host file (src/cli/file-drive.ts), tests and browser
// embedders a Uint8Array.

export interface BlockBackend {
  /** Bytes. */
  readonly size: number;
  readonly readOnly: boolean;
  /** Fills `into` from byte `offset`; the caller keeps the range within `size`. */
  read(offset: number, into: Uint8Array): void;
  /** Stores `data` at byte `offset`; the caller keeps the range within `size`. */
  write(offset: number, data: Uint8Array): void;
  /** Makes completed writes durable. */
  flush(): void;
}

/** A disk in memory: the Uint8Array is the disk, shared, not copied. */
export class MemoryBlockBackend implements BlockBackend {
  /** How many times the guest flushed (for tests). */
  flushes = 0;

  constructor(readonly data: Uint8Array, readonly readOnly = false) {}

  get size(): number {
    return this.data.length;
  }

  read(offset: number, into: Uint8Array): void {
    this.checkRange(offset, into.length);
    into.set(this.data.subarray(offset, offset + into.length));
  }

  write(offset: number, data: Uint8Array): void {
    if (this.readOnly) throw new Error('write to a read-only disk');
    this.checkRange(offset, data.length);
    this.data.set(data, offset);
  }

  flush(): void {
    this.flushes++;
  }

  private checkRange(offset: number, length: number): void {
    if (offset < 0 || offset + length > this.data.length) {
      throw new RangeError(`disk range ${offset}+${length} lies outside its ${this.data.length} bytes`);
    }
  }
}
