// A host file as a virtio disk: synchronous node:fs calls, because block requests complete
// inside the guest's QueueNotify store and the run loop is synchronous.
import { closeSync, fstatSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import type { BlockBackend } from '../machine/devices/block-backend.js';
import { SECTOR_SIZE } from '../machine/devices/virtio-blk.js';
import { guestImageError } from '../machine/image-error.js';

export interface FileDriveOptions {
  readOnly?: boolean;
}

export class FileDrive implements BlockBackend {
  /**
   * Set when the file is not a whole number of 512-byte sectors: the guest sees only the
   * whole sectors, and the CLI should say so.
   */
  readonly warning: string | undefined;
  private fd: number | undefined;

  constructor(readonly path: string, fd: number, readonly size: number, readonly readOnly: boolean) {
    this.fd = fd;
    const tail = size % SECTOR_SIZE;
    this.warning = tail === 0 ? undefined
      : `${path}: size ${size} bytes is not a multiple of ${SECTOR_SIZE}; the last ${tail} bytes are not visible to the guest`;
  }

  read(offset: number, into: Uint8Array): void {
    const fd = this.openFd();
    for (let done = 0; done < into.length;) {
      const n = readSync(fd, into, done, into.length - done, offset + done);
      // The file shrank under us: what is gone reads as zeros, as a sparse hole would.
      if (n === 0) { into.fill(0, done); return; }
      done += n;
    }
  }

  write(offset: number, data: Uint8Array): void {
    if (this.readOnly) throw new Error(`${this.path}: the disk is read-only`);
    const fd = this.openFd();
    for (let done = 0; done < data.length;) done += writeSync(fd, data, done, data.length - done, offset + done);
  }

  flush(): void {
    if (!this.readOnly) fsyncSync(this.openFd());
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }

  private openFd(): number {
    if (this.fd === undefined) throw new Error(`${this.path}: the disk was closed`);
    return this.fd;
  }
}

/**
 * Opens `path` as a disk ("r+", or "r" when read-only). A missing file, a directory, a
 * file we may not open: a GuestImageError (an Error) with a one-line message.
 */
export function openFileDrive(path: string, options: FileDriveOptions = {}): FileDrive {
  const readOnly = options.readOnly ?? false;
  let fd: number;
  try {
    fd = openSync(path, readOnly ? 'r' : 'r+');
  } catch (e) {
    throw guestImageError(path, openProblem(e, readOnly));
  }
  try {
    const stat = fstatSync(fd);
    // Opening a directory read-only succeeds on Linux; only fstat tells.
    if (stat.isDirectory()) throw guestImageError(path, 'is a directory, not a disk image');
    if (!stat.isFile()) throw guestImageError(path, 'not a regular file; a disk image must be a file');
    return new FileDrive(path, fd, stat.size, readOnly);
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

function openProblem(e: unknown, readOnly: boolean): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT': return 'no such disk image';
    case 'EISDIR': return 'is a directory, not a disk image';
    case 'EACCES': case 'EPERM':
      return readOnly ? 'permission denied reading the disk image' : 'permission denied opening the disk image for writing (a read-only disk needs only read permission)';
    case 'EROFS': return 'the disk image is on a read-only file system; open it read-only';
    default: return `cannot open the disk image (${code ?? (e as Error).message})`;
  }
}
