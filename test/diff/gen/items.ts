// Choosing items: the weight table, nesting rules and the item-kind -> generator map.
import type { Ctx, Gen, ItemKind, Node } from './core.js';
import { genAlu, genAluC, genLi } from './alu.js';
import { genCodeRead, genMem, genMemC, genMemDevice, genMemFault, genMemMisaligned } from './memory.js';
import { genAmo, genFence, genLrSc } from './atomics.js';
import { genCsr, genExcursion, genFetchFault, genSoftint, genTimer, genTrap, genWfi } from './system.js';
import { genBranch, genCall, genJal, genJalr, genLoop, genSmc } from './control.js';

type Weighted = readonly (readonly [number, ItemKind])[];

const TOP_WEIGHTS: Weighted = [
  [30, 'alu'], [12, 'alu.c'], [4, 'li'], [12, 'mem'], [5, 'mem.c'], [4, 'mem.misaligned'], [2, 'mem.fault'],
  [1.5, 'mem.device'], [4, 'amo'], [2, 'lrsc'], [2, 'fence'], [7, 'csr'], [4, 'trap'], [6, 'branch'], [2, 'jal'],
  [2, 'jalr'], [2, 'call'], [4, 'loop'], [1.2, 'smc'], [1, 'timer'], [0.8, 'softint'], [0.4, 'wfi'],
  [1, 'excursion'], [0.5, 'code.read'], [0.6, 'fetch.fault'],
];
/** Items that trap every time or most of the time they run. */
const TRAPPY: ReadonlySet<ItemKind> = new Set(['trap', 'mem.fault', 'fetch.fault', 'mem.misaligned', 'softint', 'timer']);
const NESTED_EXCLUDED: ReadonlySet<ItemKind> = new Set(['loop', 'excursion', 'wfi']);
/** Inside U/S excursions: no M-only fragments. */
const EXCURSION_EXCLUDED: ReadonlySet<ItemKind> = new Set(['loop', 'excursion', 'smc', 'timer', 'softint']);

function genItem(g: Gen, ctx: Ctx): Node {
  const table = TOP_WEIGHTS.filter(([, k]) => {
    if (g.exclude.has(k)) return false;
    if (ctx.mode !== 'M' && EXCURSION_EXCLUDED.has(k)) return false;
    if ((ctx.depth > 0 || ctx.inLoop) && NESTED_EXCLUDED.has(k)) return false;
    if (ctx.depth >= 3 && (k === 'branch' || k === 'call')) return false;
    return true;
  }).map(([w, k]) => [TRAPPY.has(k) ? w * ctx.trapScale : w, k] as const);
  const kind = g.rng.weighted(table);
  return GENERATORS[kind](g, ctx);
}

export function genList(g: Gen, ctx: Ctx, n: number): Node[] {
  const out: Node[] = [];
  for (let i = 0; i < n; i++) out.push(genItem(g, ctx));
  return out;
}

const GENERATORS: Record<ItemKind, (g: Gen, ctx: Ctx) => Node> = {
  'alu': genAlu, 'alu.c': genAluC, 'li': genLi, 'mem': genMem, 'mem.c': genMemC, 'mem.misaligned': genMemMisaligned,
  'mem.fault': genMemFault, 'mem.device': genMemDevice, 'amo': genAmo, 'lrsc': genLrSc, 'fence': genFence,
  'csr': genCsr, 'trap': genTrap, 'branch': genBranch, 'jal': genJal, 'jalr': genJalr, 'call': genCall,
  'loop': genLoop, 'smc': genSmc, 'timer': genTimer, 'softint': genSoftint, 'wfi': genWfi,
  'excursion': genExcursion, 'code.read': genCodeRead, 'fetch.fault': genFetchFault,
};
