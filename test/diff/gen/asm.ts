// The assembler that lays out generated programs.
import { BASE, IMAGE_SIZE } from './layout.js';
import { sext12 } from './rng.js';
import { enc, I } from './encode.js';
import type { Node } from './core.js';

// The assembler: straight emission with labels, iterated until label addresses are
// stable (branch relaxation: c.b* -> b* -> inverted b* over a jal).

export type Label = number;

export interface ListingEntry {
  addr: number;
  len: number;
  /** Bytes that are never executed as written (jumped-over junk, padding). */
  data: boolean;
  note?: string;
}

const MAX_BYTES = IMAGE_SIZE;

export class Asm {
  readonly bytes = new Uint8Array(MAX_BYTES);
  pc: number;
  readonly labels = new Map<Label, number>();
  readonly listing: ListingEntry[] = [];
  /** False when this pass used a label address it did not know yet, or relaxed a branch. */
  settled = true;
  private nextLabel = 0;
  private relaxSeq = 0;
  private note: string | undefined;
  /** The trap log's label (its second doubleword holds the resume address after a fetch fault). */
  logLabel: Label = -1;

  constructor(readonly prev: Map<Label, number>, readonly levels: Map<number, number>) {
    this.pc = BASE;
  }

  newLabel(): Label { return this.nextLabel++; }
  bind(l: Label): void { this.labels.set(l, this.pc); }
  /** Annotates the next emitted instruction in the listing. */
  annotate(note: string): void { this.note = this.note === undefined ? note : `${this.note}; ${note}`; }

  /** A label's address: this pass's if bound already, else the previous pass's guess. */
  addr(l: Label): number {
    const a = this.labels.get(l) ?? this.prev.get(l);
    if (a === undefined) { this.settled = false; return this.pc; }
    return a;
  }

  private put(len: number, value: number, data: boolean): void {
    const off = this.pc - BASE;
    if (off + len > MAX_BYTES) throw new Error('program image overflow');
    for (let i = 0; i < len; i++) this.bytes[off + i] = (value >>> (8 * i)) & 0xff;
    const entry: ListingEntry = { addr: this.pc, len, data };
    if (this.note !== undefined && !data) { entry.note = this.note; this.note = undefined; }
    this.listing.push(entry);
    this.pc += len;
  }

  i32(w: number): void { this.put(4, w >>> 0, false); }
  i16(h: number): void { this.put(2, h & 0xffff, false); }
  words(ws: readonly number[]): void { for (const w of ws) this.i32(w); }
  /** Never-executed bytes (even count). */
  junk(bytes: readonly number[]): void {
    for (let i = 0; i + 1 < bytes.length; i += 2) this.put(2, bytes[i] | (bytes[i + 1] << 8), true);
  }
  /** Moves to `addr` (forward), filling with zero bytes. */
  org(addr: number): void {
    if (addr < this.pc) throw new Error(`org 0x${addr.toString(16)} is behind pc 0x${this.pc.toString(16)}`);
    this.pc = addr;
  }
  /** Pads with c.nop to a multiple of 4, then `extra` more c.nop parcels. */
  alignNop(extra = 0): void {
    if (this.pc & 2) this.i16(I.cnop());
    for (let i = 0; i < extra; i++) this.i16(I.cnop());
  }

  /** auipc rd, %hi; then `second(lo)` (an addi/jalr/load with the low 12 bits). */
  pcrel(rd: number, target: Label, second: (lo: number) => number, extra = 0): void {
    const d = this.addr(target) - this.pc + extra;
    const lo = sext12(d & 0xfff);
    this.i32(I.auipc(rd, ((d - lo) / 4096) & 0xfffff));
    this.i32(second(lo));
  }

  private level(initial: number): [number, number] {
    const id = this.relaxSeq++;
    return [id, this.levels.get(id) ?? initial];
  }
  private relax(id: number, level: number): void {
    this.levels.set(id, level + 1);
    this.settled = false;
  }

  /**
   * A conditional branch to `target`. f3: 0 beq, 1 bne, 4 blt, 5 bge, 6 bltu, 7 bgeu.
   * With `compressed`, beq/bne against x0 on x8..x15 start as c.beqz/c.bnez.
   */
  branch(f3: number, rs1: number, rs2: number, target: Label, compressed: boolean): void {
    const canC = compressed && rs2 === 0 && (f3 === 0 || f3 === 1) && rs1 >= 8 && rs1 <= 15;
    const [id, level] = this.level(canC ? 0 : 1);
    const off = this.addr(target) - this.pc;
    if (level === 0) {
      if (off < -256 || off > 254) this.relax(id, level);
      this.i16(enc.cb(f3 === 0 ? 6 : 7, rs1, off));
    } else if (level === 1) {
      if (off < -4096 || off > 4094) this.relax(id, level);
      this.i32(enc.b(f3, rs1, rs2, off));
    } else {
      this.i32(enc.b(f3 ^ 1, rs1, rs2, 8));
      this.i32(enc.j(0, this.addr(target) - this.pc));
    }
  }

  /** jal rd, target; c.j when rd = x0 and `compressed`. */
  jump(rd: number, target: Label, compressed: boolean): void {
    const [id, level] = this.level(compressed && rd === 0 ? 0 : 1);
    const off = this.addr(target) - this.pc;
    if (level === 0) {
      if (off < -2048 || off > 2046) this.relax(id, level);
      this.i16(enc.cj(off));
    } else {
      this.i32(enc.j(rd, off));
    }
  }

  emitList(nodes: readonly Node[]): void {
    for (const n of nodes) {
      this.annotate(n.kind);
      n.emit(this, n.lists);
    }
  }
}
