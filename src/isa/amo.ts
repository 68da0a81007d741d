// The shape of every atomic memory operation: what it computes and on how many bytes.
// One table, read by the decoder's callers, the disassembler and the executors.
import { Op } from './opcodes.js';

export enum AmoKind { SWAP, ADD, XOR, AND, OR, MIN, MAX, MINU, MAXU, CAS }

export interface AmoShape {
  readonly kind: AmoKind;
  /** Access width in bytes; 16 only for amocas.q. */
  readonly bytes: 1 | 2 | 4 | 8 | 16;
  /** The mnemonic without ordering suffix, e.g. "amoadd.w". */
  readonly name: string;
}

const KINDS: [AmoKind, string][] = [
  [AmoKind.SWAP, 'amoswap'], [AmoKind.ADD, 'amoadd'], [AmoKind.XOR, 'amoxor'], [AmoKind.AND, 'amoand'],
  [AmoKind.OR, 'amoor'], [AmoKind.MIN, 'amomin'], [AmoKind.MAX, 'amomax'], [AmoKind.MINU, 'amominu'],
  [AmoKind.MAXU, 'amomaxu'],
];
/** The first op of each width's run; every run lists the kinds in KINDS order. */
const RUNS: [Op, 1 | 2 | 4 | 8, string][] = [
  [Op.AMOSWAP_B, 1, 'b'], [Op.AMOSWAP_H, 2, 'h'], [Op.AMOSWAP_W, 4, 'w'], [Op.AMOSWAP_D, 8, 'd'],
];

const SHAPES = new Map<Op, AmoShape>();
for (const [first, bytes, suffix] of RUNS) {
  KINDS.forEach(([kind, name], i) => SHAPES.set(first + i, { kind, bytes, name: `${name}.${suffix}` }));
}
for (const [op, bytes, suffix] of [[Op.AMOCAS_B, 1, 'b'], [Op.AMOCAS_H, 2, 'h'], [Op.AMOCAS_W, 4, 'w'],
  [Op.AMOCAS_D, 8, 'd'], [Op.AMOCAS_Q, 16, 'q']] as const) {
  SHAPES.set(op, { kind: AmoKind.CAS, bytes, name: `amocas.${suffix}` });
}

/** The shape of an AMO (not LR/SC), or undefined for any other operation. */
export function amoShape(op: Op): AmoShape | undefined {
  return SHAPES.get(op);
}
