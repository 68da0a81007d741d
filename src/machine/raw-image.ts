/**
 * A raw binary (a flat image such as OpenSBI's fw_jump.bin or a Linux `Image`) described
 * in the same shape as a parsed ELF: one RWX segment at the load address, entry = load
 * address, no symbols. As with parseElf, the segment's data is the input itself, not a copy.
 */
import type { ElfImage } from './elf.js';
import { guestImageError } from './image-error.js';

const ADDRESS_LIMIT = 1n << 64n;

/** Describes `bytes` loaded at `loadAddress`; throws GuestImageError for an empty file or an address that does not fit. */
export function rawImage(bytes: Uint8Array, loadAddress: bigint, fileName?: string): ElfImage {
  if (bytes.byteLength === 0) throw guestImageError(fileName, 'empty file');
  if (loadAddress < 0n || loadAddress >= ADDRESS_LIMIT) {
    throw guestImageError(fileName, `load address ${loadAddress} is not a 64-bit physical address`);
  }
  const size = BigInt(bytes.byteLength);
  if (loadAddress + size > ADDRESS_LIMIT) {
    throw guestImageError(
      fileName,
      `a ${size}-byte image loaded at 0x${loadAddress.toString(16)} runs past the end of the 64-bit address space`,
    );
  }
  return {
    entry: loadAddress,
    segments: [{ paddr: loadAddress, vaddr: loadAddress, data: bytes, memSize: size, flags: 7 }],
    symbols: new Map(),
  };
}
