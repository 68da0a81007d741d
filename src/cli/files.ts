// Host files the guest is given: images to load and disks to attach. Every problem with
// one is a one-line message and exit status 2, never a stack trace.
import { readFileSync, statSync } from 'node:fs';
import type { BootOptions } from '../api/machine.js';
import { MemoryBlockBackend } from '../machine/devices/block-backend.js';
import type { BootArgs } from './args.js';
import { openFileDrive, type FileDrive } from './file-drive.js';

export const EXIT_USAGE = 2;

export function fail(message: string, status = EXIT_USAGE): never {
  process.stderr.write(`rvwasm: ${message}\n`);
  process.exit(status);
}

export function readImage(path: string): Uint8Array {
  try {
    const st = statSync(path);
    if (st.isDirectory()) fail(`${path}: is a directory, not a guest image`);
    if (st.size === 0) fail(`${path}: empty file`);
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') fail(`${path}: no such file`);
    if (code === 'EACCES') fail(`${path}: permission denied`);
    if (code !== undefined) fail(`${path}: cannot read (${code})`);
    throw e;
  }
}

/** The images `rvwasm boot` names, read whole. */
export function readBootImages(args: BootArgs): BootOptions {
  return {
    bios: args.bios === null ? null : readImage(args.bios),
    biosName: args.bios ?? undefined,
    kernel: args.kernel === undefined ? undefined : readImage(args.kernel),
    kernelName: args.kernel,
    initrd: args.initrd === undefined ? undefined : readImage(args.initrd),
    append: args.append,
    dtb: args.dtb === undefined ? undefined : readImage(args.dtb),
  };
}

/** A disk the guest may change: the file itself, or with --snapshot a copy in memory. */
export function openDrive(path: string, snapshot: boolean): FileDrive | SnapshotDrive {
  if (snapshot) return new SnapshotDrive(readImage(path));
  return openFileDrive(path);
}

/** --snapshot: the whole image in memory, writes kept there and dropped at exit. */
export class SnapshotDrive extends MemoryBlockBackend {
  readonly warning = undefined;
  close(): void {}
}
