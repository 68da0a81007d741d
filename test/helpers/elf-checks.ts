// Shared fixtures and checks for the ELF loader tests (test/machine/elf-*.test.ts).
import { expect } from 'vitest';
import { parseElf, type ElfImage } from '../../src/machine/elf.js';
import { GuestImageError } from '../../src/machine/image-error.js';
import { buildElf, STT_FUNC, STT_OBJECT, type BuiltElf, type ElfSpec } from './elf-writer.js';

export const TEXT = Uint8Array.from({ length: 64 }, (_, i) => (i * 7 + 1) & 0xff);
export const DATA = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);

export const goodSpec = (): ElfSpec => ({
  segments: [
    { vaddr: 0x8000_0000n, data: TEXT, flags: 5 },
    { vaddr: 0x8000_1000n, data: DATA, memSize: 0x1000n, flags: 6 },
  ],
  symbols: [
    { name: '_start', value: 0x8000_0000n, type: STT_FUNC },
    { name: 'tohost', value: 0x8000_1000n, type: STT_OBJECT },
    { name: 'fromhost', value: 0x8000_1008n, type: STT_OBJECT },
  ],
});
export const good = (): BuiltElf => buildElf(goodSpec());

/** Runs `fn`, which must throw a GuestImageError; returns its message. */
export function imageError(fn: () => unknown): string {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  if (thrown === undefined) throw new Error('expected a GuestImageError, but the call succeeded');
  if (!(thrown instanceof GuestImageError)) throw thrown;
  expect(thrown.name).toBe('GuestImageError');
  expect(thrown.message).not.toMatch(/[\r\n]/);
  return thrown.message;
}

/** parseElf(bytes, 'x.elf') must fail with a message matching `pattern`. */
export function rejects(bytes: Uint8Array, pattern: RegExp | string): string {
  const message = imageError(() => parseElf(bytes, 'x.elf'));
  expect(message.startsWith('x.elf: ')).toBe(true);
  if (typeof pattern === 'string') expect(message).toBe(`x.elf: ${pattern}`);
  else expect(message).toMatch(pattern);
  return message;
}

/** What any input must give: a sane image, or a GuestImageError. Never anything else. */
export function parseOrImageError(bytes: Uint8Array): ElfImage | GuestImageError {
  let image: ElfImage;
  try {
    image = parseElf(bytes, 'fuzz.elf');
  } catch (e) {
    if (!(e instanceof GuestImageError)) throw e;
    // Plain checks, not expect(): this runs once per byte of a real ELF.
    if (!e.message.startsWith('fuzz.elf: ') || /[\r\n]/.test(e.message)) throw new Error(`bad message: ${JSON.stringify(e.message)}`);
    return e;
  }
  expect(image.segments.length).toBeGreaterThan(0);
  const limit = 1n << 64n;
  for (const s of image.segments) {
    expect(BigInt(s.data.length) <= s.memSize).toBe(true);
    expect(s.memSize > 0n).toBe(true);
    expect(s.paddr + s.memSize <= limit).toBe(true);
    expect(s.vaddr + s.memSize <= limit).toBe(true);
    expect(s.flags & ~7).toBe(0);
  }
  const sorted = [...image.segments].sort((a, b) => (a.paddr < b.paddr ? -1 : a.paddr > b.paddr ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) expect(sorted[i - 1]!.paddr + sorted[i - 1]!.memSize <= sorted[i]!.paddr).toBe(true);
  return image;
}
