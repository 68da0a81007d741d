// Measuring what the differential programs exercise: executed instructions by operation,
// class and compressed form, traps by cause, time by program region.
import { decode } from '../../src/isa/decode.js';
import { Op } from '../../src/isa/opcodes.js';
import type { Snapshot } from './compare.js';
import { regionOf } from './program-gen.js';

/** The RVC mnemonic of a 16-bit parcel (its quadrant/funct3 slot), for the coverage mix. */
export function compressedName(h: number): string {
  if (decode(h).op === Op.ILLEGAL) return 'c.<illegal>';
  const f3 = h >>> 13, rd = (h >>> 7) & 31, rs2 = (h >>> 2) & 31;
  switch (h & 3) {
    case 0: return ['c.addi4spn', 'c.fld', 'c.lw', 'c.ld', '?', 'c.fsd', 'c.sw', 'c.sd'][f3];
    case 1:
      if (f3 === 3) return rd === 2 ? 'c.addi16sp' : 'c.lui';
      if (f3 === 4) {
        const f2 = (h >>> 10) & 3;
        if (f2 < 3) return ['c.srli', 'c.srai', 'c.andi'][f2];
        return (h & 0x1000 ? ['c.subw', 'c.addw'] : ['c.sub', 'c.xor', 'c.or', 'c.and'])[(h >>> 5) & 3];
      }
      return ['c.addi', 'c.addiw', 'c.li', '', '', 'c.j', 'c.beqz', 'c.bnez'][f3];
    default:
      if (f3 === 4) {
        if ((h & 0x1000) === 0) return rs2 === 0 ? 'c.jr' : 'c.mv';
        return rs2 !== 0 ? 'c.add' : rd === 0 ? 'c.ebreak' : 'c.jalr';
      }
      return ['c.slli', 'c.fldsp', 'c.lwsp', 'c.ldsp', '', 'c.fsdsp', 'c.swsp', 'c.sdsp'][f3];
  }
}

export const COMPRESSED_FORMS: readonly string[] = [
  'c.addi4spn', 'c.lw', 'c.ld', 'c.sw', 'c.sd', 'c.addi', 'c.addiw', 'c.li', 'c.addi16sp', 'c.lui', 'c.srli',
  'c.srai', 'c.andi', 'c.sub', 'c.xor', 'c.or', 'c.and', 'c.subw', 'c.addw', 'c.j', 'c.beqz', 'c.bnez', 'c.slli',
  'c.lwsp', 'c.ldsp', 'c.jr', 'c.mv', 'c.ebreak', 'c.jalr', 'c.add', 'c.swsp', 'c.sdsp', 'c.<illegal>',
];

const CLASS_OF: [string, (op: Op) => boolean][] = [
  ['mul/div', (op) => op >= Op.MUL && op <= Op.REMUW],
  ['alu', (op) => (op >= Op.ADDI && op <= Op.SRAW) || op === Op.LUI || op === Op.AUIPC],
  ['branch', (op) => op >= Op.BEQ && op <= Op.BGEU],
  ['jump', (op) => op === Op.JAL || op === Op.JALR],
  ['load', (op) => op >= Op.LB && op <= Op.LWU],
  ['store', (op) => op >= Op.SB && op <= Op.SD],
  ['lr/sc', (op) => op === Op.LR_W || op === Op.LR_D || op === Op.SC_W || op === Op.SC_D],
  ['amo', (op) => op >= Op.LR_W && op <= Op.AMOCAS_Q],
  ['csr', (op) => op >= Op.CSRRW && op <= Op.CSRRCI],
  ['fence', (op) => op === Op.FENCE || op === Op.FENCE_I],
  ['system', (op) => op === Op.ECALL || op === Op.EBREAK || op >= Op.MRET],
  ['illegal', (op) => op === Op.ILLEGAL],
];

/** Counts of executed instructions by operation, class and compressed form, plus traps by cause. */
export class Mix {
  readonly ops = new Map<string, number>();
  readonly classes = new Map<string, number>();
  readonly compressed = new Map<string, number>();
  readonly exceptions = new Map<string, number>();
  readonly interrupts = new Map<string, number>();
  /** Executed instructions by program region (how much time the trap handler takes). */
  readonly regions = new Map<string, number>();
  instructions = 0;
  /** Executed 32-bit instructions whose second half is on the next page. */
  pageStraddling = 0;
  executedTotal = 0;
  programs = 0;
  private readonly cache = new Map<number, [string, string, string | undefined]>();

  /** A trace hook for runProgram. */
  readonly onInsn = (bits: number, pc: bigint): void => {
    let c = this.cache.get(bits);
    if (c === undefined) {
      const insn = decode(bits);
      const cls = CLASS_OF.find(([, f]) => f(insn.op))?.[0] ?? 'other';
      c = [Op[insn.op], cls, insn.len === 2 ? compressedName(bits & 0xffff) : undefined];
      this.cache.set(bits, c);
    }
    this.instructions++;
    bump(this.ops, c[0]);
    bump(this.classes, c[1]);
    if (c[2] !== undefined) bump(this.compressed, c[2]);
    bump(this.regions, regionOf(Number(pc)));
    if ((pc & 0xfffn) === 0xffen && (bits & 3) === 3) this.pageStraddling++;
  };

  addRun(s: Snapshot): void {
    this.programs++;
    this.executedTotal += Number(s.instructionCount);
    for (const [k, v] of Object.entries(s.counters.exceptions)) bump(this.exceptions, k, v);
    for (const [k, v] of Object.entries(s.counters.interrupts)) bump(this.interrupts, k, v);
  }

  format(): string {
    const fmt = (m: Map<string, number>, total?: number) => [...m].sort((x, y) => y[1] - x[1])
      .map(([k, v]) => `${k} ${v}${total ? ` (${((100 * v) / total).toFixed(1)}%)` : ''}`).join(', ');
    const cTotal = [...this.compressed.values()].reduce((a, b) => a + b, 0);
    return [
      `programs ${this.programs}, instructions executed ${this.executedTotal} (traced ${this.instructions}; ${cTotal} compressed; `
        + `${this.pageStraddling} 32-bit ones straddling a page boundary)`,
      `regions: ${fmt(this.regions, this.instructions)}`,
      `classes: ${fmt(this.classes, this.instructions)}`,
      `operations (${this.ops.size} distinct): ${fmt(this.ops)}`,
      `compressed forms (${this.compressed.size} distinct): ${fmt(this.compressed)}`,
      `exceptions: ${fmt(this.exceptions)}`,
      `interrupts: ${fmt(this.interrupts)}`,
    ].join('\n');
  }
}

function bump(m: Map<string, number>, k: string, by = 1): void {
  m.set(k, (m.get(k) ?? 0) + by);
}
