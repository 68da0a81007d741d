// The CSR file: which CSRs exist, who may access them, and every side effect of reading
// or writing one. This is the single home of CSR semantics: the interpreter, the
// monitor's trap path and the JIT's callouts all go through executeCsr().
import { CAUSE, CSR, MSTATUS, PRIV, csrIsReadOnly, csrMinPrivilege } from '../isa/csr-numbers.js';
import { SLOT } from './hart-state.js';
import { raise } from './trap.js';

/** What a CSR access may need from outside the hart state block. */
export interface CsrEnvironment {
  readonly state: BigUint64Array;
  /** The CLINT's mtime, for the time CSR. */
  mtime(): bigint;
  /** satp, mstatus.MPRV/SUM/MXR/MPP or privilege changed: cached translations are stale. */
  translationChanged(): void;
  /** mie, mip, mideleg or an xIE bit changed: pending interrupts must be re-evaluated. */
  interruptsChanged(): void;
}

const MASK64 = 0xffff_ffff_ffff_ffffn;
/** RV64 (MXL=2) with A, C, I, M, S, U. */
export const MISA_VALUE = (2n << 62n) | (1n << 0n) | (1n << 2n) | (1n << 8n) | (1n << 12n) | (1n << 18n) | (1n << 20n);
/** UXL and SXL are fixed at 2 (64-bit). */
const XLEN_FIELDS = (2n << 32n) | (2n << 34n);
const MSTATUS_WRITABLE = MSTATUS.SIE | MSTATUS.MIE | MSTATUS.SPIE | MSTATUS.MPIE | MSTATUS.SPP |
  MSTATUS.MPP | MSTATUS.MPRV | MSTATUS.SUM | MSTATUS.MXR | MSTATUS.TVM | MSTATUS.TW | MSTATUS.TSR;
const SSTATUS_VISIBLE = MSTATUS.SIE | MSTATUS.SPIE | MSTATUS.UBE | MSTATUS.SPP | MSTATUS.VS | MSTATUS.FS |
  MSTATUS.XS | MSTATUS.SUM | MSTATUS.MXR | MSTATUS.UXL | MSTATUS.SD;
const SSTATUS_WRITABLE = MSTATUS.SIE | MSTATUS.SPIE | MSTATUS.SPP | MSTATUS.SUM | MSTATUS.MXR;
const STATUS_TRANSLATION_BITS = MSTATUS.MPRV | MSTATUS.SUM | MSTATUS.MXR | MSTATUS.MPP;
const STATUS_INTERRUPT_BITS = MSTATUS.MIE | MSTATUS.SIE;
/** Exceptions that may be delegated: all defined causes except ecall from M. */
const MEDELEG_WRITABLE = 0b1011_0011_1111_1111n;
const S_INTERRUPTS = (1n << 1n) | (1n << 5n) | (1n << 9n);
const ALL_INTERRUPTS = S_INTERRUPTS | (1n << 3n) | (1n << 7n) | (1n << 11n);
/** Bits of mip that M-mode software may write; MSIP, MTIP and MEIP come from devices. */
const MIP_WRITABLE = S_INTERRUPTS;
const SIP_WRITABLE = 1n << 1n;
const SEIP = 1n << 9n;
const ENVCFG_WRITABLE = 1n; // FIOM only: no Zicbo*, Svpbmt or Sstc
const SATP_MODE_BARE = 0n;
const SATP_MODE_SV39 = 8n;
const PMPADDR_MASK = (1n << 54n) - 1n;

/**
 * How a CSR with no read side effects and no access rule beyond its privilege level is
 * read: a state slot, optionally masked by a constant or by another slot, or a constant.
 * readCsr uses this table, and compiled code reads these CSRs inline from it (in-TC).
 */
export type CsrReadForm =
  | { readonly slot: number; readonly mask?: bigint; readonly maskSlot?: number }
  | { readonly value: bigint };

const PLAIN_READS = new Map<number, CsrReadForm>([
  [CSR.sstatus, { slot: SLOT.mstatus, mask: SSTATUS_VISIBLE }],
  [CSR.sie, { slot: SLOT.mie, maskSlot: SLOT.mideleg }],
  [CSR.sip, { slot: SLOT.mip, maskSlot: SLOT.mideleg }],
  [CSR.stvec, { slot: SLOT.stvec }], [CSR.scounteren, { slot: SLOT.scounteren }],
  [CSR.senvcfg, { slot: SLOT.senvcfg }], [CSR.sscratch, { slot: SLOT.sscratch }],
  [CSR.sepc, { slot: SLOT.sepc }], [CSR.scause, { slot: SLOT.scause }], [CSR.stval, { slot: SLOT.stval }],
  [CSR.mvendorid, { value: 0n }], [CSR.marchid, { value: 0n }], [CSR.mimpid, { value: 0n }],
  [CSR.mhartid, { value: 0n }], [CSR.mconfigptr, { value: 0n }], [CSR.misa, { value: MISA_VALUE }],
  [CSR.mstatus, { slot: SLOT.mstatus }], [CSR.medeleg, { slot: SLOT.medeleg }],
  [CSR.mideleg, { slot: SLOT.mideleg }], [CSR.mie, { slot: SLOT.mie }], [CSR.mip, { slot: SLOT.mip }],
  [CSR.mtvec, { slot: SLOT.mtvec }], [CSR.mcounteren, { slot: SLOT.mcounteren }],
  [CSR.menvcfg, { slot: SLOT.menvcfg }], [CSR.mcountinhibit, { slot: SLOT.mcountinhibit }],
  [CSR.mscratch, { slot: SLOT.mscratch }], [CSR.mepc, { slot: SLOT.mepc }],
  [CSR.mcause, { slot: SLOT.mcause }], [CSR.mtval, { slot: SLOT.mtval }],
]);

export function plainCsrRead(num: number): CsrReadForm | undefined {
  return PLAIN_READS.get(num);
}

function readPlain(s: BigUint64Array, form: CsrReadForm): bigint {
  if ('value' in form) return form.value;
  let v = s[form.slot];
  if (form.mask !== undefined) v &= form.mask;
  if (form.maskSlot !== undefined) v &= s[form.maskSlot];
  return v;
}

/**
 * CSRs whose write only stores the value, masked, into their slot: no side effect, no
 * other rule. writeCsr uses this table, and compiled code writes these inline (in-TC).
 */
export interface CsrWriteForm { readonly slot: number; readonly mask: bigint }

const PLAIN_WRITES = new Map<number, CsrWriteForm>([
  [CSR.mepc, { slot: SLOT.mepc, mask: ~1n & MASK64 }], [CSR.sepc, { slot: SLOT.sepc, mask: ~1n & MASK64 }],
  [CSR.mcause, { slot: SLOT.mcause, mask: MASK64 }], [CSR.scause, { slot: SLOT.scause, mask: MASK64 }],
  [CSR.mtval, { slot: SLOT.mtval, mask: MASK64 }], [CSR.stval, { slot: SLOT.stval, mask: MASK64 }],
  [CSR.mscratch, { slot: SLOT.mscratch, mask: MASK64 }], [CSR.sscratch, { slot: SLOT.sscratch, mask: MASK64 }],
]);

export function plainCsrWrite(num: number): CsrWriteForm | undefined {
  return PLAIN_WRITES.get(num);
}

/**
 * mstatus and sstatus writes: the bits each may change, the fields always set, and which
 * changed bits stale translations or may make an interrupt deliverable. Compiled code
 * writes a status inline when no translation bit changes (src/jit/codegen/sensitive.ts).
 */
export const STATUS_WRITE = {
  writable: new Map<number, bigint>([[CSR.mstatus, MSTATUS_WRITABLE], [CSR.sstatus, SSTATUS_WRITABLE]]),
  fixed: XLEN_FIELDS,
  translationBits: STATUS_TRANSLATION_BITS,
  interruptBits: STATUS_INTERRUPT_BITS,
} as const;

/** Which privilege levels' counteren bits gate a counter read (cycle, time, instret, hpm). */
function checkCounterAccess(s: BigUint64Array, num: number, priv: number): void {
  const bit = 1n << BigInt(num - CSR.cycle);
  if (priv < PRIV.M && (s[SLOT.mcounteren] & bit) === 0n) illegal();
  if (priv < PRIV.S && (s[SLOT.scounteren] & bit) === 0n) illegal();
}

function illegal(): never {
  // The engine fills mtval with the instruction bits (see InsnBits in the callers).
  raise(CAUSE.ILLEGAL_INSTRUCTION);
}

function isHpm(num: number, base: number): boolean {
  return num >= base && num <= base + 28;
}

/** Reads a CSR. Throws an illegal-instruction TrapSignal if it does not exist here. */
export function readCsr(env: CsrEnvironment, num: number, priv: number): bigint {
  const s = env.state;
  const plain = PLAIN_READS.get(num);
  if (plain) return readPlain(s, plain);
  switch (num) {
    case CSR.cycle: case CSR.time: case CSR.instret:
      checkCounterAccess(s, num, priv);
      if (num === CSR.time) return env.mtime();
      return num === CSR.cycle ? cycleValue(s) : instretValue(s);
    case CSR.mcycle: return cycleValue(s);
    case CSR.minstret: return instretValue(s);
    case CSR.satp:
      if (priv === PRIV.S && (s[SLOT.mstatus] & MSTATUS.TVM)) illegal();
      return s[SLOT.satp];
    // Sdtrig with no triggers: tselect is hard-wired to 0 and tdata1 reads type 0
    // ("no trigger here"), which is how firmware and tests learn there are none.
    case CSR.tselect: case CSR.tdata1: case CSR.tdata2: case CSR.tdata3: return 0n;
    case CSR.tinfo: return 1n; // only type 0 (none) is "supported"
  }
  if (isHpm(num, CSR.hpmcounter3)) { checkCounterAccess(s, num, priv); return 0n; }
  if (isHpm(num, CSR.mhpmcounter3) || isHpm(num, CSR.mhpmevent3)) return 0n;
  if (num >= CSR.pmpcfg0 && num <= CSR.pmpcfg15 && (num & 1) === 0) return s[SLOT.pmpcfg + num - CSR.pmpcfg0];
  if (num >= CSR.pmpaddr0 && num <= CSR.pmpaddr63) return s[SLOT.pmpaddr + num - CSR.pmpaddr0];
  return illegal();
}

/**
 * The two architectural counters. A running counter is its source count plus an offset;
 * while mcountinhibit stops it, the offset slot holds its frozen value instead.
 */
const COUNTERS = {
  cycle: { source: SLOT.executed, offset: SLOT.cycleOffset, inhibit: 1n },
  instret: { source: SLOT.retired, offset: SLOT.instretOffset, inhibit: 4n },
} as const;
type Counter = (typeof COUNTERS)[keyof typeof COUNTERS];

function counterValue(s: BigUint64Array, c: Counter): bigint {
  if (s[SLOT.mcountinhibit] & c.inhibit) return s[c.offset];
  return (s[c.source] + s[c.offset]) & MASK64;
}

/**
 * A CSR write to a counter takes precedence over the writing instruction's own increment,
 * so a running counter's offset is taken against the count after this instruction.
 */
function setCounter(s: BigUint64Array, c: Counter, value: bigint): void {
  s[c.offset] = s[SLOT.mcountinhibit] & c.inhibit ? value : (value - s[c.source] - 1n) & MASK64;
}

/** Starting or stopping a counter keeps its value; the writing instruction still counts. */
function setInhibit(s: BigUint64Array, value: bigint): void {
  const running = (c: Counter) => (s[c.source] + 1n + s[c.offset]) & MASK64;
  const frozen = { cycle: counterValue(s, COUNTERS.cycle), instret: counterValue(s, COUNTERS.instret) };
  const before = s[SLOT.mcountinhibit];
  for (const [name, c] of Object.entries(COUNTERS) as [keyof typeof COUNTERS, Counter][]) {
    const was = (before & c.inhibit) !== 0n, now = (value & c.inhibit) !== 0n;
    if (!was && now) s[c.offset] = running(c);
    if (was && !now) s[c.offset] = (frozen[name] - s[c.source] - 1n) & MASK64;
  }
  s[SLOT.mcountinhibit] = value;
}

function cycleValue(s: BigUint64Array): bigint {
  return counterValue(s, COUNTERS.cycle);
}
function instretValue(s: BigUint64Array): bigint {
  return counterValue(s, COUNTERS.instret);
}

/**
 * Writes a CSR, applying its WARL rules and side effects. The caller has already
 * checked that the CSR exists, is writable and is accessible (readCsr + checkAccess).
 */
function writeCsr(env: CsrEnvironment, num: number, value: bigint): void {
  const s = env.state;
  const plain = PLAIN_WRITES.get(num);
  if (plain) { s[plain.slot] = value & plain.mask; return; }
  switch (num) {
    case CSR.mstatus: {
      const old = s[SLOT.mstatus];
      let v = (old & ~MSTATUS_WRITABLE) | (value & MSTATUS_WRITABLE);
      if (((v & MSTATUS.MPP) >> 11n) === 2n) v = (v & ~MSTATUS.MPP) | (old & MSTATUS.MPP); // MPP=2 is reserved
      setStatus(env, v);
      return;
    }
    case CSR.sstatus:
      setStatus(env, (s[SLOT.mstatus] & ~SSTATUS_WRITABLE) | (value & SSTATUS_WRITABLE));
      return;
    case CSR.medeleg: s[SLOT.medeleg] = value & MEDELEG_WRITABLE; return;
    case CSR.mideleg: s[SLOT.mideleg] = value & S_INTERRUPTS; env.interruptsChanged(); return;
    case CSR.mie: s[SLOT.mie] = value & ALL_INTERRUPTS; env.interruptsChanged(); return;
    case CSR.mip: {
      // SEIP reads as software bit | PLIC line; only the software bit is written.
      s[SLOT.seipSoftware] = value & SEIP;
      const writable = (value & MIP_WRITABLE) | s[SLOT.seipExternal];
      s[SLOT.mip] = (s[SLOT.mip] & ~MIP_WRITABLE) | writable;
      env.interruptsChanged();
      return;
    }
    case CSR.sie: {
      const m = s[SLOT.mideleg];
      s[SLOT.mie] = (s[SLOT.mie] & ~m) | (value & m);
      env.interruptsChanged();
      return;
    }
    case CSR.sip: {
      const m = s[SLOT.mideleg] & SIP_WRITABLE;
      s[SLOT.mip] = (s[SLOT.mip] & ~m) | (value & m);
      env.interruptsChanged();
      return;
    }
    case CSR.mtvec: s[SLOT.mtvec] = legalTvec(value); return;
    case CSR.stvec: s[SLOT.stvec] = legalTvec(value); return;
    case CSR.mcounteren: s[SLOT.mcounteren] = value & 0xffff_ffffn; return;
    case CSR.scounteren: s[SLOT.scounteren] = value & 0xffff_ffffn; return;
    case CSR.menvcfg: s[SLOT.menvcfg] = value & ENVCFG_WRITABLE; return;
    case CSR.senvcfg: s[SLOT.senvcfg] = value & ENVCFG_WRITABLE; return;
    // CY and IR stop mcycle and minstret; the hpm counters are always zero anyway.
    case CSR.mcountinhibit: setInhibit(s, value & 0xffff_fffdn); return;
    case CSR.mcycle: setCounter(s, COUNTERS.cycle, value); return;
    case CSR.minstret: setCounter(s, COUNTERS.instret, value); return;
    case CSR.satp: {
      const mode = value >> 60n;
      // WARL: an unsupported mode leaves satp unchanged (Linux probes Sv57/Sv48 this way).
      if (mode !== SATP_MODE_BARE && mode !== SATP_MODE_SV39) return;
      s[SLOT.satp] = value;
      env.translationChanged();
      return;
    }
  }
  if (num >= CSR.pmpcfg0 && num <= CSR.pmpcfg15) { s[SLOT.pmpcfg + num - CSR.pmpcfg0] = value; return; }
  if (num >= CSR.pmpaddr0 && num <= CSR.pmpaddr63) { s[SLOT.pmpaddr + num - CSR.pmpaddr0] = value & PMPADDR_MASK; return; }
  // Everything else that exists is read-only zero or ignores writes (hpm counters and
  // events, trigger registers): WARL with a single legal value.
}

function setStatus(env: CsrEnvironment, value: bigint): void {
  const s = env.state;
  const old = s[SLOT.mstatus];
  s[SLOT.mstatus] = value | XLEN_FIELDS;
  const changed = old ^ s[SLOT.mstatus];
  if (changed & STATUS_TRANSLATION_BITS) env.translationChanged();
  if (changed & STATUS_INTERRUPT_BITS) env.interruptsChanged();
}

/** Direct (0) and vectored (1) are the legal modes; a reserved mode is replaced by direct. */
function legalTvec(value: bigint): bigint {
  const mode = value & 3n;
  return (value & ~3n) | (mode < 2n ? mode : 0n);
}

/** The CSR instruction forms, as the decoder names them. */
export enum CsrOp { RW, RS, RC }

/**
 * Executes one Zicsr instruction's CSR side: returns the old value (what rd receives).
 * `src` is rs1's value or the zero-extended immediate; `writes` is false for
 * csrrs/csrrc with rs1 = x0 (or uimm = 0), which must not write (or trap as a write).
 * `reads` is false for csrrw/csrrwi with rd = x0, which must not read.
 */
export function executeCsr(env: CsrEnvironment, op: CsrOp, num: number, src: bigint, priv: number, writes: boolean, reads: boolean): bigint {
  if (priv < csrMinPrivilege(num)) illegal();
  if (writes && csrIsReadOnly(num)) illegal();
  // Reading validates existence and access rules even when the value is not needed.
  const old = readCsr(env, num, priv);
  if (writes) {
    // csrrs/csrrc on mip modify the software SEIP bit, not the OR with the PLIC line.
    const base = num === CSR.mip ? (old & ~SEIP) | env.state[SLOT.seipSoftware] : old;
    const value = op === CsrOp.RW ? src : op === CsrOp.RS ? base | src : base & ~src;
    writeCsr(env, num, value & MASK64);
  }
  return reads ? old : 0n;
}

/** The state a hart has after reset, as far as the CSR file is concerned. */
export function resetCsrs(s: BigUint64Array): void {
  s[SLOT.mstatus] = XLEN_FIELDS;
  s[SLOT.priv] = BigInt(PRIV.M);
}
