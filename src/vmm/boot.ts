// Booting firmware and kernels as QEMU's virt board does: where the firmware, the kernel,
// the initrd and the device tree go in RAM, and the registers each stage starts with.
// With no firmware (`--bios none`) the monitor serves SBI itself and the kernel starts
// in S-mode, as if firmware had just handed over to it.
import { PRIV } from '../isa/csr-numbers.js';
import type { Board } from '../machine/board.js';
import { buildVirtDeviceTree } from '../machine/device-tree.js';
import { parseElf, type ElfImage } from '../machine/elf.js';
import { SLOT } from '../machine/hart-state.js';
import { GuestImageError } from '../machine/image-error.js';
import { PAGE_SIZE } from '../machine/layout.js';
import { rawImage } from '../machine/raw-image.js';
import type { SbiFirmware } from './sbi.js';

export interface BootImages {
  /** Machine-mode firmware (OpenSBI's fw_jump or fw_dynamic, ELF or raw), or null for the monitor's SBI. */
  bios: Uint8Array | null;
  biosName?: string;
  /** The next stage: a Linux `Image`, or an ELF (U-Boot's `uboot.elf`, a vmlinux-like ELF with physical addresses), or raw code. */
  kernel?: Uint8Array;
  kernelName?: string;
  initrd?: Uint8Array;
  /** The kernel command line (/chosen/bootargs). */
  append?: string;
  /** A device tree blob to use instead of the generated one. */
  dtb?: Uint8Array;
}

/** Where everything went, for messages, tests and --stats. */
export interface BootLayout {
  biosEntry: bigint | null;
  kernelStart: bigint | null;
  kernelEnd: bigint | null;
  initrd: { start: bigint; end: bigint } | null;
  dtb: { start: bigint; size: number };
  /** OpenSBI's fw_dynamic_info block (a2 for the firmware), or null without firmware. */
  fwDynamicInfo: bigint | null;
  /** Privilege level and pc the hart starts at. */
  startPrivilege: number;
  startPc: bigint;
}

const MiB = 1n << 20n;
/** RV64 kernels and the stage after OpenSBI sit on 2 MiB boundaries (a megapage). */
const KERNEL_ALIGN = 2n * MiB;
/** QEMU keeps the device tree below 3 GiB of RAM so 32-bit-addressing firmware can reach it. */
const DTB_LIMIT = 3072n * MiB;
/** A Linux RISC-V `Image` header: "RSC\x05" at byte 56. */
const IMAGE_MAGIC2 = 0x0543_5352;
const IMAGE_HEADER_SIZE = 64;
/** OpenSBI's struct fw_dynamic_info: magic "OSBI", version 2, next_addr, next_mode, options, boot_hart. */
const FW_DYNAMIC_MAGIC = 0x4942_534fn;
const FW_DYNAMIC_VERSION = 2n;
const FW_DYNAMIC_NEXT_MODE_S = 1n;

/**
 * Loads the images into `board`'s RAM, writes the device tree, and sets up the hart to
 * start at the firmware (M-mode) or, without firmware, at the kernel (S-mode, with
 * `sbi` serving its calls). Throws GuestImageError for images that do not fit or parse.
 */
export function bootBoard(board: Board, images: BootImages, sbi: SbiFirmware | null): BootLayout {
  const ramBase = BigInt(board.bus.ramBase);
  const ramEnd = BigInt(board.bus.ramEnd);
  if (images.bios === null && images.kernel === undefined) {
    throw new GuestImageError('nothing to boot: give a kernel, or firmware with --bios');
  }
  if (images.bios === null && sbi === null) throw new Error('bootBoard: --bios none needs the monitor\'s SBI');
  const hart = board.hart;
  let biosEntry: bigint | null = null;
  let biosEnd = ramBase;
  if (images.bios !== null) {
    const name = images.biosName ?? 'bios';
    const placed = board.place(loadable(images.bios, ramBase, name), name);
    biosEntry = placed.entry;
    biosEnd = placed.end;
  }

  let kernelStart: bigint | null = null;
  let kernelEnd: bigint | null = null;
  let kernelEntry: bigint | null = null;
  if (images.kernel !== undefined) {
    const name = images.kernelName ?? 'kernel';
    // A raw kernel goes on the first 2 MiB boundary past the firmware: 0x80200000 after
    // OpenSBI, and the same without firmware so both runs see one memory layout.
    const at = alignUp(biosEnd > ramBase + KERNEL_ALIGN ? biosEnd : ramBase + KERNEL_ALIGN, KERNEL_ALIGN);
    const image = loadable(images.kernel, at, name);
    const placed = board.place(image, name);
    kernelStart = image.segments.reduce((lo, s) => (s.paddr < lo ? s.paddr : lo), placed.end);
    kernelEnd = alignUp(kernelStart + linuxImageSize(images.kernel, placed.end - kernelStart), BigInt(PAGE_SIZE));
    if (kernelEnd > ramEnd) throw new GuestImageError(`${name}: the kernel needs RAM up to 0x${kernelEnd.toString(16)}; try a larger -m`);
    kernelEntry = placed.entry;
    if (biosEntry !== null && kernelStart < biosEnd) {
      throw new GuestImageError(`${name}: the kernel at 0x${kernelStart.toString(16)} overlaps the firmware (which ends at 0x${biosEnd.toString(16)})`);
    }
  }

  // The device tree and fw_dynamic_info share the last 2 MiB block below min(RAM end, 3 GiB).
  const dtbBlock = alignDown((ramEnd < ramBase + DTB_LIMIT ? ramEnd : ramBase + DTB_LIMIT) - 1n, KERNEL_ALIGN);
  const initrd = images.initrd === undefined ? null : placeInitrd(images.initrd, kernelEnd ?? biosEnd, ramBase, ramEnd, dtbBlock);
  if (initrd) board.bus.writeBytes(Number(initrd.start), images.initrd!);
  const dtb = images.dtb ?? buildVirtDeviceTree(board.describe({
    bootargs: images.append,
    initrd: initrd ? { start: Number(initrd.start), end: Number(initrd.end) } : undefined,
  }));
  const fwInfoAt = alignUp(dtbBlock + BigInt(dtb.length), 8n);
  if (fwInfoAt + 48n > ramEnd || dtbBlock < (kernelEnd ?? biosEnd)) {
    throw new GuestImageError(`the device tree (${dtb.length} bytes) does not fit in RAM above the kernel; try a larger -m`);
  }
  board.bus.writeBytes(Number(dtbBlock), dtb);

  let fwDynamicInfo: bigint | null = null;
  if (biosEntry !== null) {
    fwDynamicInfo = fwInfoAt;
    const next = kernelEntry ?? ramBase + KERNEL_ALIGN;
    const info = new BigUint64Array([FW_DYNAMIC_MAGIC, FW_DYNAMIC_VERSION, next, FW_DYNAMIC_NEXT_MODE_S, 0n, 0n]);
    board.bus.writeBytes(Number(fwInfoAt), new Uint8Array(info.buffer));
    hart.reset(biosEntry);
    hart.setReg(12, fwInfoAt); // a2: fw_dynamic reads it; fw_jump ignores it
  } else {
    hart.reset(kernelEntry!);
    sbi!.prepareHart();
    hart.state[SLOT.priv] = BigInt(PRIV.S);
    hart.privilegeChanged();
  }
  hart.setReg(10, 0n); // a0 = hartid
  hart.setReg(11, dtbBlock); // a1 = device tree
  return {
    biosEntry, kernelStart, kernelEnd, initrd,
    dtb: { start: dtbBlock, size: dtb.length },
    fwDynamicInfo,
    startPrivilege: hart.priv,
    startPc: hart.pc,
  };
}

/** An ELF is loaded at its physical addresses; anything else is a raw image at `at`. */
function loadable(bytes: Uint8Array, at: bigint, name: string): ElfImage {
  const isElf = bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
  return isElf ? parseElf(bytes, name) : rawImage(bytes, at, name);
}

/**
 * How much RAM a kernel occupies from its start: a Linux `Image` says so in its header
 * (image_size covers .bss, which the file does not); anything else, what was loaded.
 */
function linuxImageSize(bytes: Uint8Array, loaded: bigint): bigint {
  if (bytes.length < IMAGE_HEADER_SIZE) return loaded;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(56, true) !== IMAGE_MAGIC2) return loaded;
  const imageSize = view.getBigUint64(16, true);
  return imageSize > loaded ? imageSize : loaded;
}

/**
 * Where the initrd goes. Like QEMU: far enough above the kernel that a kernel which
 * grows (or firmware that moves the device tree, as OpenSBI's fw_jump does to 32 MiB
 * above the kernel) does not overwrite it — half of RAM, at most 128 MiB in — and
 * otherwise just below the device tree.
 */
function placeInitrd(initrd: Uint8Array, after: bigint, ramBase: bigint, ramEnd: bigint, dtbBlock: bigint): { start: bigint; end: bigint } {
  const size = BigInt(initrd.length);
  const ram = ramEnd - ramBase;
  const preferred = alignUp(ramBase + KERNEL_ALIGN + (ram / 2n < 128n * MiB ? ram / 2n : 128n * MiB), BigInt(PAGE_SIZE));
  if (preferred >= after && preferred + size <= dtbBlock) return { start: preferred, end: preferred + size };
  const below = alignDown(dtbBlock - size, BigInt(PAGE_SIZE));
  if (below >= after) return { start: below, end: below + size };
  throw new GuestImageError(`the initrd (${initrd.length} bytes) does not fit in RAM above the kernel; try a larger -m`);
}

function alignUp(v: bigint, a: bigint): bigint {
  return (v + a - 1n) & ~(a - 1n);
}

function alignDown(v: bigint, a: bigint): bigint {
  return v & ~(a - 1n);
}
