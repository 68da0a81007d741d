// The hart state block: the one layout of guest CPU state in linear memory. Both the
// TypeScript engines and the Wasm code generator read offsets from here, so a
// field has exactly one home. Every slot is 8 bytes; values are stored as raw 64-bit
// patterns (read through a BigUint64Array).

/** Slot indices (multiply by 8 for the byte offset). x0..x31 are slots 0..31. */
export const SLOT = {
  pc: 32,
  priv: 33,
  // machine-mode CSRs
  mstatus: 34, medeleg: 35, mideleg: 36, mie: 37, mip: 38, mtvec: 39, mscratch: 40,
  mepc: 41, mcause: 42, mtval: 43, mcounteren: 44, menvcfg: 45, mcountinhibit: 46,
  // supervisor-mode CSRs (sstatus, sie and sip are views of the machine ones)
  stvec: 47, sscratch: 48, sepc: 49, scause: 50, stval: 51, scounteren: 52, senvcfg: 53,
  satp: 54,
  // counters: cycle = executed + cycleOffset, instret = retired + instretOffset
  executed: 55, retired: 56, cycleOffset: 57, instretOffset: 58,
  // LR/SC reservation: the physical address, or all ones when there is none
  reservation: 59,
  // mip.SEIP is the OR of a software-writable bit and the PLIC's S-context line; these
  // hold the two halves (as bit 9) so mip can always be recomputed from them
  seipSoftware: 60,
  seipExternal: 61,
  // JIT run state. budget: instructions the compiled code may still run in this slice
  // (its low 32 bits, as an i32). refund: instructions charged but not executed when a
  // fragment leaves early (i32). attention: set by a helper when the monitor must regain
  // control after the current instruction (i32). context: the id of the code context
  // (privilege, satp) the jump cache is tagged with (i32). chainedExits: counted by
  // compiled code when statistics are on (i64).
  budget: 62,
  refund: 63,
  attention: 64,
  context: 65,
  chainedExits: 66,
  // In-TC counter reads: executed + budget and retired + budget at the start of the
  // current run, so compiled code gets the exact count at any instruction as
  // base - budget - (instructions of its unit not yet reached), with no call.
  runBaseExecuted: 67,
  runBaseRetired: 68,
  // Deterministic clock: mtime = executed / 10 + mtimeOffset (src/machine/clock.ts).
  mtimeOffset: 69,
  // The fast interpreter writes results for x0 here, so it never needs to test rd (x0
  // itself is never written and always reads 0).
  sink: 70,
  // Instructions run by the fast interpreter and by tier-2 regions (i64, for --stats);
  // span: the executor span open now, kind (low i32) and budget at its start (high i32)
  // (src/jit/codegen/spans.ts).
  interpInsns: 71,
  regionInsns: 72,
  span: 73,
  // Instructions the monitor's interpreter ran for the JIT (trapped, illegal, faulting ones).
  monitorInsns: 74,
  // PMP WARL storage: pmpcfg0..15 (only even ones exist on RV64), pmpaddr0..63
  pmpcfg: 80,
  pmpaddr: 96,
  // In-TC emulations by sensitive class (counted by compiled code when statistics are
  // on), in the order of SENSITIVE_CLASSES (src/isa/sensitive.ts)
  intcCounts: 160,
} as const;

export const STATE_SLOTS = 176;
export const STATE_BYTES = STATE_SLOTS * 8;

/**
 * The instruction counts (executed, retired, and the JIT's run bases) as plain numbers,
 * read and written through a Uint32Array view of the state block: no BigInt is allocated
 * on the monitor's hot paths. The counts stay far below 2^53.
 */
export function readCount(words: Uint32Array, slot: number): number {
  return words[slot * 2 + 1] * 2 ** 32 + words[slot * 2];
}

export function writeCount(words: Uint32Array, slot: number, value: number): void {
  words[slot * 2] = value >>> 0;
  words[slot * 2 + 1] = Math.floor(value / 2 ** 32);
}

export const NO_RESERVATION = 0xffff_ffff_ffff_ffffn;

/** Slots that span several: their length. Every other field is one slot. */
const SPANS: Partial<Record<keyof typeof SLOT, number>> = { pmpcfg: 16, pmpaddr: 64, intcCounts: 16 };

// A layout mistake (two fields in one slot) would corrupt state silently: check it once.
{
  const owner = new Array<string>(STATE_SLOTS);
  for (let i = 0; i < 32; i++) owner[i] = `x${i}`;
  for (const [name, start] of Object.entries(SLOT) as [keyof typeof SLOT, number][]) {
    for (let i = start; i < start + (SPANS[name] ?? 1); i++) {
      if (i >= STATE_SLOTS || owner[i] !== undefined) throw new Error(`hart state: ${name} overlaps ${owner[i] ?? 'the end'}`);
      owner[i] = name;
    }
  }
}
