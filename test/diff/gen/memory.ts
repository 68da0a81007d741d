// Item generators: loads and stores (aligned, misaligned, compressed, faulting, devices, code).
import { RAM_END } from './layout.js';
import { DPTR } from './registers.js';
import { enc, I, li } from './encode.js';
import { leaf, type Ctx, type Gen, type Node } from './core.js';

// Loads: f3 0 lb, 1 lh, 2 lw, 3 ld, 4 lbu, 5 lhu, 6 lwu. Stores: 0 sb, 1 sh, 2 sw, 3 sd.
const LOAD_SIZE = [1, 2, 4, 8, 1, 2, 4];

/** A data-region access at x9 + off (off in [-0x1000, 0x1000 - size]); one or two instructions. */
function dataAccess(g: Gen, ctx: Ctx, off: number, store: boolean, f3: number): number[] {
  const rng = g.rng;
  const insn = (base: number, imm: number) =>
    store ? I.store(f3, g.src(), base, imm) : I.load(f3, rng.bool(0.03) ? 0 : g.rd(ctx), base, imm);
  if (off >= -2048 && off <= 2047 && rng.bool(0.6)) return [insn(DPTR, off)];
  const t = g.temp(ctx);
  const o1 = Math.max(-2048, Math.min(2047, off - rng.range(-2048, 2047)));
  const o2 = off - o1;
  if (o2 < -2048 || o2 > 2047) return [I.addi(t, DPTR, off >= 0 ? 2047 : -2048), insn(t, off - (off >= 0 ? 2047 : -2048))];
  return [I.addi(t, DPTR, o1), insn(t, o2)];
}

export function genMem(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  const store = rng.bool(0.45);
  const f3 = store ? rng.int(4) : rng.int(7);
  const size = store ? 1 << f3 : LOAD_SIZE[f3];
  const off = Math.floor(rng.range(-0x1000, 0x1000 - size) / size) * size;
  const words = dataAccess(g, ctx, off, store, f3);
  return leaf('mem', (a) => a.words(words));
}

/** Misaligned and page-crossing accesses (complete under 'allow', trap under 'trap'). */
export function genMemMisaligned(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  const store = rng.bool(0.45);
  const f3 = store ? rng.range(1, 3) : rng.pick([1, 2, 3, 5, 6]);
  const size = store ? 1 << f3 : LOAD_SIZE[f3];
  let off: number;
  if (rng.bool(0.5)) off = -rng.range(1, size - 1); // straddles the page boundary at x9
  else { do off = rng.range(-0x1000, 0x1000 - size); while (off % size === 0); }
  const words = dataAccess(g, ctx, off, store, f3);
  return leaf('mem.misaligned', (a) => a.words(words));
}

/** Compressed loads and stores: sp-relative, x9-relative, and through a temp in x8..x15. */
export function genMemC(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  const parcels: number[] = [];
  const words: number[] = [];
  const wide = rng.bool();
  const store = rng.bool(0.45);
  const rdC = g.cTemp(ctx);
  const srcC = () => rng.range(8, 15);
  const kind = rng.int(3);
  if (kind === 0) { // sp-relative
    const rd = g.rd(ctx) || rng.pick(ctx.writable);
    if (wide) { const imm = rng.int(64) * 8; parcels.push(store ? enc.csdsp(g.src(), imm) : enc.cldsp(rd, imm)); }
    else { const imm = rng.int(64) * 4; parcels.push(store ? enc.cswsp(g.src(), imm) : enc.clwsp(rd, imm)); }
  } else {
    let base = DPTR;
    if (kind === 2 && rdC !== undefined) { // a temp base, sometimes misaligned or just below the page boundary
      base = rdC;
      words.push(I.addi(base, DPTR, rng.bool(0.5) ? -rng.range(1, 16) : rng.range(-2000, 1800)));
    }
    const dest = g.cTemp(ctx, base === DPTR ? [] : [base]);
    if (!store && dest === undefined) return genMem(g, ctx);
    const r = store ? srcC() : dest!;
    if (wide) parcels.push(enc.clsd(store ? 7 : 3, base, r, rng.int(32) * 8));
    else parcels.push(enc.clsw(store ? 6 : 2, base, r, rng.int(32) * 4));
  }
  return leaf('mem.c', (a) => { a.words(words); for (const p of parcels) a.i16(p); });
}

/** Accesses that fault: unmapped physical addresses, the end of RAM, misaligned device accesses. */
export function genMemFault(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  const t = g.temp(ctx);
  const addr = rng.pick([0n, 0x1000n, 0x7fff_fff8n, BigInt(RAM_END), BigInt(RAM_END - 4), BigInt(RAM_END - 8),
    0xffff_ffff_8000_0000n, 0x4000_0000n, 0x0200_bff9n, 0x1_8000_0000n, 0x8000_0000_0000_0000n]);
  const store = rng.bool(0.45);
  const f3 = store ? rng.int(4) : rng.int(7);
  const w = store ? I.store(f3, g.src(), t, 0) : I.load(f3, g.rd(ctx), t, 0);
  const words = [...li(t, addr), w];
  return leaf('mem.fault', (a) => a.words(words));
}

/** Device registers whose behaviour is deterministic: CLINT mtime/mtimecmp/msip, UART THR/LSR/SCR. */
export function genMemDevice(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  const t = g.temp(ctx);
  let words: number[];
  switch (rng.int(5)) {
    case 0: words = [I.lui(t, 0x200c), I.ld(g.rd(ctx), t, -8)]; break; // mtime
    case 1: words = [I.lui(t, 0x200c), I.load(rng.pick([2, 6]), g.rd(ctx), t, -8)]; break; // mtime low half
    case 2: words = [I.lui(t, 0x2004), I.ld(g.rd(ctx), t, 0)]; break; // mtimecmp
    case 3: { // UART: write a printable byte to THR, or the scratch register, and read LSR/SCR/MSR
      const v = g.temp(ctx, [t]);
      words = [I.lui(t, 0x10000), I.addi(v, 0, rng.range(0x20, 0x7e)), I.store(0, v, t, rng.pick([0, 7])),
        I.load(4, g.rd(ctx), t, rng.pick([5, 6, 7]))];
      break;
    }
    default: words = [I.lui(t, 0x2000), I.load(2, g.rd(ctx), t, 0)]; // msip
  }
  return leaf('mem.device', (a) => a.words(words));
}

/** Loads of the program's own instructions (code pages as data). */
export function genCodeRead(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  const t = g.temp(ctx);
  const f3 = rng.int(7);
  const off = rng.range(-64, 64) & ~(rng.bool(0.7) ? LOAD_SIZE[f3] - 1 : 0);
  const words = [I.auipc(t, 0), I.load(f3, g.rd(ctx), t, off)];
  return leaf('code.read', (a) => a.words(words));
}
