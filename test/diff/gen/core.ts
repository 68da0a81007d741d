// Program trees, generator options and the generator state shared by the item generators.
import fc from 'fast-check';
import { ALL_WRITABLE, C_WRITABLE, DPTR, LOOP, SP } from './registers.js';
import { Rng } from './rng.js';
import type { Asm, ListingEntry } from './asm.js';

export type ItemKind =
  | 'alu' | 'alu.c' | 'li' | 'mem' | 'mem.c' | 'mem.misaligned' | 'mem.fault' | 'mem.device'
  | 'amo' | 'lrsc' | 'fence' | 'csr' | 'trap' | 'branch' | 'jal' | 'jalr' | 'call' | 'loop'
  | 'smc' | 'timer' | 'softint' | 'wfi' | 'excursion' | 'code.read' | 'fetch.fault';

export interface Node {
  readonly kind: ItemKind;
  /** Nested item lists (skipped code, loop bodies, subroutines) that the minimizer may prune. */
  readonly lists: readonly (readonly Node[])[];
  emit(a: Asm, lists: readonly (readonly Node[])[]): void;
}

export function leaf(kind: ItemKind, emit: (a: Asm) => void): Node {
  return { kind, lists: [], emit: (a) => emit(a) };
}

export interface GenOptions {
  /** Top-level items (default: random 60..240). */
  items?: number;
  /** Misaligned policy (default: random, 30% 'trap'). */
  misaligned?: 'allow' | 'trap';
  /** Zabha and Zacas AMOs (default true): the reference interpreter implements them. */
  zabhaZacas?: boolean;
  /** Item kinds to leave out. */
  exclude?: readonly ItemKind[];
}

export interface ProgramSpec {
  seed: number;
  misaligned: 'allow' | 'trap';
  /** mtvec mode the prologue sets: 0 direct, 1 vectored. */
  mtvecMode: number;
  /** Where the items start, from BODY (even; 2 mod 4 puts 32-bit instructions across pages). */
  bodyOffset: number;
  /** Initial x0..x31 (x0 ignored). */
  seeds: readonly bigint[];
  data: Uint8Array;
  items: readonly Node[];
}

export interface Program {
  spec: ProgramSpec;
  image: Uint8Array;
  listing: ListingEntry[];
  /** Machine options both engines must use. */
  machine: { memoryMiB: number; misaligned: 'allow' | 'trap' };
  /** Number of nodes in the tree (for minimization reports). */
  nodes: number;
  /** How fast-check prints a counterexample. */
  [fc.toStringMethod]?: () => string;
}

export type Mode = 'M' | 'S' | 'U';

export interface Ctx {
  /** Registers the item may write. */
  writable: readonly number[];
  /** Registers that may hold a value across several instructions (writable minus t5/t6). */
  temps: readonly number[];
  depth: number;
  inLoop: boolean;
  mode: Mode;
  /** Weight factor for items that mostly trap (loop bodies use less, or the handler dominates). */
  trapScale: number;
}

// Values that break arithmetic: zero, signs, 32-bit boundaries, shift amounts.
const EDGE: readonly bigint[] = [
  0n, 1n, 2n, 0xffff_ffff_ffff_ffffn, 0xffff_ffff_ffff_fffen, 0x8000_0000_0000_0000n, 0x7fff_ffff_ffff_ffffn,
  0xffff_ffff_8000_0000n, 0x7fff_ffffn, 0x8000_0000n, 0xffff_ffffn, 0x1_0000_0000n, 0xffff_ffff_0000_0000n,
  0x8000_0000_0000_0001n, 31n, 32n, 63n, 64n, 0x7ffn, 0x800n, 0xffff_ffff_ffff_f800n, 0xffffn, 0x8000n, 0xffn,
  0x80n, 0x5555_5555_5555_5555n, 0xaaaa_aaaa_aaaa_aaaan, 0x0000_0001_ffff_ffffn, 0xffff_ffff_7fff_ffffn,
];
const IMM_EDGE: readonly number[] = [0, 1, -1, 2047, -2048, 31, 32, 63, 0x7f, -0x80, 0x400, -0x400];

/** The generator: one PRNG plus the per-program choices that shape register use. */
export class Gen {
  readonly rng: Rng;
  /** A few registers that sources and destinations prefer, so values flow between instructions. */
  readonly hot: number[];
  readonly zabhaZacas: boolean;
  readonly exclude: Set<ItemKind>;
  readonly misaligned: 'allow' | 'trap';

  constructor(seed: number, options: GenOptions) {
    this.rng = new Rng(seed);
    const rng = this.rng;
    this.misaligned = options.misaligned ?? (rng.bool(0.3) ? 'trap' : 'allow');
    this.zabhaZacas = options.zabhaZacas ?? true;
    this.exclude = new Set(options.exclude ?? []);
    this.hot = [];
    while (this.hot.length < 6) {
      const r = rng.pick(ALL_WRITABLE);
      if (!this.hot.includes(r)) this.hot.push(r);
    }
  }

  value(): bigint {
    const rng = this.rng;
    switch (rng.int(6)) {
      case 0: case 1: case 2: return rng.pick(EDGE);
      case 3: return rng.u64();
      case 4: return BigInt.asUintN(64, BigInt(rng.range(-5000, 5000)));
      default: return BigInt.asUintN(64, BigInt(rng.u32() | 0));
    }
  }
  imm12(): number { return this.rng.bool(0.4) ? this.rng.pick(IMM_EDGE) : this.rng.range(-2048, 2047); }
  src(): number {
    const rng = this.rng;
    if (rng.bool(0.45)) return rng.pick(this.hot);
    if (rng.bool(0.1)) return rng.pick([0, SP, DPTR, LOOP]);
    return rng.int(32);
  }
  rd(ctx: Ctx): number {
    const rng = this.rng;
    if (rng.bool(0.03)) return 0;
    if (rng.bool(0.5)) {
      const h = this.hot.filter((r) => ctx.writable.includes(r));
      if (h.length > 0) return rng.pick(h);
    }
    return rng.pick(ctx.writable);
  }
  temp(ctx: Ctx, avoid: readonly number[] = []): number {
    const ok = ctx.temps.filter((r) => !avoid.includes(r));
    return this.rng.pick(ok);
  }
  cTemp(ctx: Ctx, avoid: readonly number[] = []): number | undefined {
    const ok = C_WRITABLE.filter((r) => ctx.temps.includes(r) && !avoid.includes(r));
    return ok.length === 0 ? undefined : this.rng.pick(ok);
  }
}
