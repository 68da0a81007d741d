// The virt board's test finisher ("sifive,test" syscon): a 32-bit store ends the run.
import type { AccessSize, MmioDevice } from '../bus.js';

export const SYSCON_BASE = 0x0010_0000;
const FINISHER_PASS = 0x5555;
const FINISHER_FAIL = 0x3333;
const FINISHER_RESET = 0x7777;

export type PowerEvent = { kind: 'pass' } | { kind: 'fail'; code: number } | { kind: 'reset' };

export class Syscon implements MmioDevice {
  readonly name = 'syscon';
  readonly base = SYSCON_BASE;
  readonly size = 0x1000;

  constructor(private readonly onPower: (event: PowerEvent) => void) {}

  read(): bigint {
    return 0n;
  }

  write(offset: number, size: AccessSize, value: bigint): void {
    // 16- and 32-bit stores, as on QEMU (OpenSBI writes 16 bits; a failure code needs 32).
    if (offset !== 0 || size < 2) return;
    const v = Number(value & 0xffff_ffffn);
    const kind = v & 0xffff;
    if (kind === FINISHER_PASS) this.onPower({ kind: 'pass' });
    else if (kind === FINISHER_FAIL) this.onPower({ kind: 'fail', code: v >>> 16 });
    else if (kind === FINISHER_RESET) this.onPower({ kind: 'reset' });
  }
}
