// Item generators: CSR accesses, traps, interrupts, privilege excursions and fetch faults.
import { decode } from '../../../src/isa/decode.js';
import { Op } from '../../../src/isa/opcodes.js';
import { RAM_END } from './layout.js';
import { CSR } from './registers.js';
import { enc, I, li } from './encode.js';
import { leaf, type Ctx, type Gen, type Mode, type Node } from './core.js';
import { genList } from './items.js';

const RW_CSRS: readonly number[] = [
  CSR.mscratch, CSR.sscratch, CSR.mepc, CSR.mcause, CSR.mtval, CSR.sepc, CSR.scause, CSR.stval, CSR.stvec,
  CSR.mcounteren, CSR.scounteren, CSR.menvcfg, CSR.senvcfg, CSR.pmpcfg0, CSR.pmpcfg2, CSR.pmpaddr0, CSR.pmpaddr1,
  CSR.medeleg, CSR.mideleg, CSR.mcycle, CSR.minstret, CSR.mhpmcounter3, CSR.mhpmevent3, CSR.tselect, CSR.tdata1,
  CSR.mcountinhibit,
];
const READ_CSRS: readonly number[] = [
  CSR.misa, CSR.mvendorid, CSR.marchid, CSR.mimpid, CSR.mhartid, CSR.mconfigptr, CSR.cycle, CSR.time, CSR.instret,
  CSR.hpmcounter3, CSR.mstatus, CSR.sstatus, CSR.mie, CSR.sie, CSR.mip, CSR.sip, CSR.mtvec, CSR.tinfo, CSR.satp,
  CSR.mcycle, CSR.minstret,
];
/** mstatus bits that may flip: everything writable except MIE (interrupt fragments own it). */
const MSTATUS_FLIPS: readonly number[] = [1, 5, 7, 8, 11, 12, 17, 18, 19, 20, 21, 22, 0, 9, 13, 15, 32, 34, 36];
const SSTATUS_FLIPS: readonly number[] = [1, 5, 8, 18, 19, 0, 13];
/** CSRs that do not exist here, or that the access form makes illegal. */
const ILLEGAL_CSRS: readonly number[] = [0x001, 0x002, 0x003, 0x015, 0x7c0, 0x800, 0x5c0, 0xbc0, 0xfc0, 0x321, 0x7b0, 0x34a, 0x747];

export function genCsr(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  const rd = rng.bool(0.2) ? 0 : g.rd(ctx);
  const t = g.temp(ctx);
  let words: number[];
  const form = rng.int(3); // rw, rs, rc
  switch (rng.weighted<number>([[6, 0], [6, 1], [3, 2], [1.5, 3], [1, 4], [1, 5], [1, 6], [1.5 * ctx.trapScale, 7]])) {
    case 0: { // read-write CSRs with arbitrary values
      const csr = rng.pick(RW_CSRS);
      if (rng.bool(0.35)) words = [enc.csr(5 + form, rd, rng.int(32), csr)];
      else words = [enc.csr(1 + form, rd, g.src(), csr)];
      break;
    }
    case 1: // reads (csrrs/csrrc with x0 do not write, so read-only CSRs are fine)
      words = [enc.csr(rng.pick([2, 3, 6, 7]), rd || g.rng.pick(ctx.writable), 0, rng.pick(READ_CSRS))];
      break;
    case 2: { // mstatus/sstatus: set or clear a few bits (never MIE)
      const s = rng.bool(0.7);
      let mask = 0n;
      for (let i = rng.range(1, 3); i > 0; i--) mask |= 1n << BigInt(rng.pick(s ? MSTATUS_FLIPS : SSTATUS_FLIPS));
      words = [...li(t, mask), enc.csr(rng.bool() ? 2 : 3, rd, t, s ? CSR.mstatus : CSR.sstatus)];
      break;
    }
    case 3: // mtvec: toggle vectored mode, or ask for a reserved mode (WARL -> direct)
      words = [enc.csr(rng.bool() ? 6 : 7, rd, rng.pick([1, 1, 2, 3]), CSR.mtvec)];
      break;
    case 4: // satp: bare, or modes this machine ignores (Sv48, Sv57, reserved)
      words = [...li(t, (BigInt(rng.pick([0, 9, 10, 3])) << 60n) | (rng.bool() ? 0n : BigInt(rng.u32()))), I.csrrw(rd, CSR.satp, t)];
      break;
    case 5: { // mip/sip/sie software-writable bits
      const csr = rng.pick([CSR.mip, CSR.mip, CSR.sip, CSR.sie]);
      words = [enc.csr(5 + rng.int(3), rd, rng.pick([2, 2, 0, 3, 16]), csr)];
      if (rng.bool()) words = [...li(t, rng.pick([0x2n, 0x20n, 0x200n, 0x222n, 0xaaan])), enc.csr(1 + form, rd, t, csr)];
      break;
    }
    case 6: // counters: write mcycle/minstret, freeze/unfreeze them
      words = [...li(t, g.value()), enc.csr(1 + form, rd, t, rng.pick([CSR.mcycle, CSR.minstret, CSR.mcountinhibit, CSR.mcountinhibit]))];
      if (rng.bool(0.5)) words = [enc.csr(5 + form, rd, rng.pick([1, 4, 5, 0]), CSR.mcountinhibit)];
      break;
    default: { // illegal: missing CSRs, writes to read-only CSRs
      if (rng.bool()) words = [enc.csr(rng.pick([1, 2, 3, 5, 6, 7]), rd, rng.range(1, 31), rng.pick(ILLEGAL_CSRS))];
      else words = [enc.csr(rng.pick([1, 5]), rd, rng.int(32), rng.pick([CSR.cycle, CSR.mhartid, CSR.mvendorid, CSR.time, CSR.instret]))];
    }
  }
  return leaf('csr', (a) => a.words(words));
}

const ILLEGAL16: readonly number[] = [
  0x0000, 0x0004, 0x0018, 0x2000, 0x2084, 0x8000, 0x9c00, 0x6101, 0x6081, 0x8002, 0x4002, 0x6002, 0x2002,
  0xa002, 0xa000, 0x9c41, 0x9c61, 0x2001,
];

export function illegal32(g: Gen): number {
  const rng = g.rng;
  for (;;) {
    const w = rng.weighted<() => number>([
      [3, () => (rng.u32() | 3) >>> 0],
      [1, () => 0xffffffff],
      [1, () => enc.i(rng.pick([0x07, 0x27, 0x43, 0x47, 0x53, 0x0b, 0x2b, 0x5b, 0x7b, 0x57]), rng.int(8), rng.int(32), rng.int(32), rng.int(4096))],
      [1, () => enc.r(0x33, rng.int(8), rng.pick([0x02, 0x04, 0x40, 0x7f]), rng.int(32), rng.int(32), rng.int(32))],
      [1, () => enc.i(0x73, 4, rng.int(32), rng.int(32), rng.int(4096))],
      [1, () => enc.i(0x13, 1, rng.int(32), rng.int(32), 0x400 | rng.int(64))],
      [1, () => enc.r(0x2f, rng.range(5, 7), rng.int(128), rng.int(32), rng.int(32), rng.int(32))],
    ])();
    if (decode(w).op === Op.ILLEGAL) return w;
  }
}

export function genTrap(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  void ctx;
  switch (rng.weighted<number>([[3, 0], [2, 1], [2, 2], [4, 3], [3, 4]])) {
    case 0: return leaf('trap', (a) => a.i32(I.ecall()));
    case 1: return leaf('trap', (a) => a.i32(I.ebreak()));
    case 2: return leaf('trap', (a) => a.i16(0x9002)); // c.ebreak
    case 3: { const w = illegal32(g); return leaf('trap', (a) => a.i32(w)); }
    default: { const h = rng.pick(ILLEGAL16); return leaf('trap', (a) => a.i16(h)); }
  }
}

/** Arm the CLINT timer a little ahead of mtime, enable MTIE and (usually) MIE. */
export function genTimer(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  const t = g.temp(ctx);
  const v = g.temp(ctx, [t]);
  const delta = rng.bool(0.1) ? rng.range(-2, 0) : rng.range(1, 40);
  const words = [
    I.lui(t, 0x200c), I.ld(v, t, -8), I.addi(v, v, delta), I.lui(t, 0x2004), I.sd(v, t, 0),
    I.addi(v, 0, 0x80), I.csrrs(0, CSR.mie, v),
  ];
  if (rng.bool(0.85)) words.push(I.csrrsi(0, CSR.mstatus, 8));
  return leaf('timer', (a) => a.words(words));
}

/** A software interrupt: mip.SSIP written by M-mode, or the CLINT's msip. */
export function genSoftint(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  let words: number[];
  if (rng.bool()) {
    words = [I.csrrsi(0, CSR.mip, 2), I.csrrsi(0, CSR.mie, 2), I.csrrsi(0, CSR.mstatus, 8)];
    for (let i = words.length - 1; i > 0; i--) { const j = rng.int(i + 1); [words[i], words[j]] = [words[j], words[i]]; }
  } else {
    const t = g.temp(ctx);
    const v = g.temp(ctx, [t]);
    words = [I.lui(t, 0x2000), I.addi(v, 0, 1), I.sw(v, t, 0), I.csrrsi(0, CSR.mie, 8), I.csrrsi(0, CSR.mstatus, 8)];
  }
  return leaf('softint', (a) => a.words(words));
}

export function genWfi(g: Gen, ctx: Ctx): Node {
  void g; void ctx;
  return leaf('wfi', (a) => a.i32(I.wfi()));
}

/** mret into U or S mode, run a few items there, and come back with ecall. */
export function genExcursion(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  const mode: Mode = rng.bool() ? 'U' : 'S';
  const t = g.temp(ctx);
  const inner: Ctx = { ...ctx, mode, depth: ctx.depth + 1 };
  const body = genList(g, inner, rng.range(2, 10));
  const mpie = rng.int(3); // leave, set or clear MPIE (MIE after mret)
  return {
    kind: 'excursion', lists: [body],
    emit: (a, lists) => {
      const there = a.newLabel();
      a.words([
        I.csrrci(0, CSR.mstatus, 8), // no interrupt between the mepc write and mret
        I.csrrw(0, CSR.medeleg, 0), I.csrrw(0, CSR.mideleg, 0),
        I.lui(t, 2), I.addi(t, t, -2048), I.csrrc(0, CSR.mstatus, t), // MPP = U
      ]);
      if (mode === 'S') a.words([I.lui(t, 1), I.addi(t, t, -2048), I.csrrs(0, CSR.mstatus, t)]); // MPP = S
      if (mpie > 0) a.words([I.addi(t, 0, 0x80), mpie === 1 ? I.csrrs(0, CSR.mstatus, t) : I.csrrc(0, CSR.mstatus, t)]);
      a.pcrel(t, there, (lo) => I.addi(t, t, lo));
      a.i32(I.csrrw(0, CSR.mepc, t));
      a.i32(I.mret());
      a.bind(there);
      a.annotate(`${mode}-mode`);
      a.emitList(lists[0]);
      a.annotate('back to M');
      a.i32(I.ecall());
    },
  };
}

/**
 * A jump to where nothing can be fetched (unmapped addresses, a device, a 32-bit
 * instruction whose second half lies past the end of RAM). The resume address goes to
 * the log header first; the handler returns there.
 */
export function genFetchFault(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  const t = g.temp(ctx);
  const u = g.temp(ctx, [t]);
  const straddle = rng.bool(0.3);
  const target = straddle ? BigInt(RAM_END - 2)
    : rng.pick([0n, 0x1000n, 0x0200_0000n, 0x1000_0000n, BigInt(RAM_END), 0x7fff_fffen, 0xffff_ffff_8000_0000n]);
  const form = rng.int(3);
  const rd = rng.bool(0.5) ? 0 : g.rd({ ...ctx, writable: ctx.writable.filter((r) => r !== 1 || form !== 2) });
  return leaf('fetch.fault', (a) => {
    const back = a.newLabel();
    a.pcrel(t, back, (lo) => I.addi(t, t, lo));
    a.pcrel(u, a.logLabel, (lo) => I.addi(u, u, lo));
    a.i32(I.sd(t, u, 8));
    a.words(li(t, target));
    if (straddle) a.words([I.addi(u, 0, 0x13), I.sh(u, t, 0)]); // the low half of an addi
    if (form === 2 && ctx.writable.includes(1)) a.i16(enc.cr(9, t, 0, 2)); // c.jalr
    else if (form === 1) a.i16(enc.cr(8, t, 0, 2)); // c.jr
    else a.i32(I.jalr(rd, t, 0));
    a.bind(back);
  });
}
