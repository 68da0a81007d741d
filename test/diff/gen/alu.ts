// Item generators: integer ALU (32-bit and compressed) and constants.
import { enc, I, li } from './encode.js';
import { leaf, type Ctx, type Gen, type Node } from './core.js';

const OP_RR: readonly [number, number, number][] = [ // opcode, f3, f7
  [0x33, 0, 0], [0x33, 0, 0x20], [0x33, 1, 0], [0x33, 2, 0], [0x33, 3, 0], [0x33, 4, 0], [0x33, 5, 0], [0x33, 5, 0x20],
  [0x33, 6, 0], [0x33, 7, 0],
  [0x33, 0, 1], [0x33, 1, 1], [0x33, 2, 1], [0x33, 3, 1], [0x33, 4, 1], [0x33, 5, 1], [0x33, 6, 1], [0x33, 7, 1],
  [0x3b, 0, 0], [0x3b, 0, 0x20], [0x3b, 1, 0], [0x3b, 5, 0], [0x3b, 5, 0x20],
  [0x3b, 0, 1], [0x3b, 4, 1], [0x3b, 5, 1], [0x3b, 6, 1], [0x3b, 7, 1],
];

export function aluWord(g: Gen, rd: number): number {
  const rng = g.rng;
  switch (rng.int(10)) {
    case 0: case 1: case 2: case 3: {
      const [opc, f3, f7] = rng.pick(OP_RR);
      return enc.r(opc, f3, f7, rd, g.src(), rng.bool(0.1) ? rd : g.src());
    }
    case 4: case 5: { // addi slti sltiu xori ori andi
      const f3 = rng.pick([0, 0, 2, 3, 4, 6, 7]);
      return enc.i(0x13, f3, rd, g.src(), g.imm12());
    }
    case 6: { // slli srli srai (6-bit shamt)
      const sh = rng.bool(0.3) ? rng.pick([0, 1, 31, 32, 63]) : rng.int(64);
      const kind = rng.int(3);
      return enc.i(0x13, kind === 0 ? 1 : 5, rd, g.src(), (kind === 2 ? 0x400 : 0) | sh);
    }
    case 7: { // addiw slliw srliw sraiw
      const kind = rng.int(4);
      if (kind === 0) return enc.i(0x1b, 0, rd, g.src(), g.imm12());
      const sh = rng.bool(0.3) ? rng.pick([0, 1, 31]) : rng.int(32);
      return enc.i(0x1b, kind === 1 ? 1 : 5, rd, g.src(), (kind === 3 ? 0x400 : 0) | sh);
    }
    case 8: return I.lui(rd, rng.bool(0.4) ? rng.pick([0, 1, 0x7ffff, 0x80000, 0xfffff, 0x80001]) : rng.int(1 << 20));
    default: return I.auipc(rd, rng.bool(0.5) ? rng.pick([0, 1, 0xfffff, 0x80000]) : rng.int(1 << 20));
  }
}

export function genAlu(g: Gen, ctx: Ctx): Node {
  const w = aluWord(g, g.rd(ctx));
  return leaf('alu', (a) => a.i32(w));
}

/** One random compressed ALU instruction (or a balanced c.addi16sp pair). */
export function genAluC(g: Gen, ctx: Ctx): Node {
  const rng = g.rng;
  const rd = g.rd(ctx);
  const rdC = g.cTemp(ctx) ?? 8;
  const cOk = ctx.writable.includes(rdC);
  const srcC = () => rng.range(8, 15);
  const nz6 = () => { let v = 0; while (v === 0) v = rng.range(-32, 31); return v; };
  let parcels: number[];
  switch (rng.int(13)) {
    case 0: { const v = rng.bool(0.1) ? 0 : rng.range(-32, 31); parcels = [enc.ci(0, v >> 5, rd, v, 1)]; break; } // c.addi (rd=0 / imm=0 are HINTs)
    case 1: { const r = rd === 0 ? rng.pick(ctx.writable) : rd; const v = rng.range(-32, 31); parcels = [enc.ci(1, v >> 5, r, v, 1)]; break; } // c.addiw
    case 2: { const v = rng.range(-32, 31); parcels = [enc.ci(2, v >> 5, rd, v, 1)]; break; } // c.li
    case 3: { // c.lui: rd != 0, 2; nzimm != 0
      const r = rd === 0 ? rng.pick(ctx.writable) : rd;
      const v = nz6();
      parcels = [enc.ci(3, v >> 5, r, v, 1)];
      break;
    }
    case 4: { // c.srli / c.srai / c.andi on x8..x15
      if (!cOk) return genAlu(g, ctx);
      const f2 = rng.int(3);
      const v = f2 === 2 ? rng.range(-32, 31) : rng.int(64);
      parcels = [enc.cshift(f2, rdC, v)];
      break;
    }
    case 5: { // c.sub c.xor c.or c.and c.subw c.addw
      if (!cOk) return genAlu(g, ctx);
      const w = rng.int(2);
      parcels = [enc.ca(w, rng.int(w ? 2 : 4), rdC, srcC())];
      break;
    }
    case 6: { const sh = rng.int(64); parcels = [enc.ci(0, sh >> 5, rd, sh, 2)]; break; } // c.slli
    case 7: { const s = g.src() || 1; parcels = [enc.cr(8, rd, s, 2)]; break; } // c.mv (rs2 != 0)
    case 8: { const s = g.src() || 1; parcels = [enc.cr(9, rd, s, 2)]; break; } // c.add
    case 9: { // c.addi4spn: rd' = sp + nzuimm (multiple of 4, 4..1020)
      if (!cOk) return genAlu(g, ctx);
      parcels = [enc.caddi4spn(rdC, rng.range(1, 255) * 4)];
      break;
    }
    case 10: { // c.addi16sp pair: sp returns to its value
      const v = rng.pick([16, 32, 48, 496, -16, -496, -32]);
      parcels = [enc.caddi16sp(v), enc.caddi16sp(-v)];
      break;
    }
    case 11: parcels = [I.cnop()]; break;
    default: { // HINTs: c.li/c.mv/c.add/c.slli with rd = 0
      const v = rng.range(1, 31);
      parcels = [rng.pick([enc.ci(2, 0, 0, v, 1), enc.cr(8, 0, v, 2), enc.cr(9, 0, v, 2), enc.ci(0, 0, 0, v, 2)])];
    }
  }
  return leaf('alu.c', (a) => { for (const p of parcels) a.i16(p); });
}

export function genLi(g: Gen, ctx: Ctx): Node {
  const words = li(g.rd(ctx) || g.rng.pick(ctx.writable), g.value());
  return leaf('li', (a) => a.words(words));
}
