// One translation unit -> one Wasm function body.
import { Op } from '../../isa/opcodes.js';
import { EXIT } from '../exits.js';
import type { Tu } from '../tu.js';
import { emitAlu } from './alu.js';
import { emitControl } from './control.js';
import { Fragment } from './fragment.js';
import { emitMemory } from './memory.js';
import type { ModuleContext } from './module-context.js';

export function compileTu(ctx: ModuleContext, tu: Tu): Uint8Array {
  const f = new Fragment(ctx);
  const n = tu.insns.length;
  if (n > 0) f.chargeBudget(n, tu.pc);
  for (let k = 0; k < n; k++) {
    const insn = tu.insns[k];
    const pc = tu.pcs[k];
    const nextPc = k + 1 < n ? tu.pcs[k + 1] : tu.nextPc;
    if (emitAlu(f, insn, pc)) continue;
    if (emitMemory(f, insn, { pc, nextPc, index: k, count: n })) continue;
    if (insn.op === Op.FENCE) continue; // one hart: ordering is free
    if (emitControl(f, insn, pc)) {
      if (k !== n - 1) throw new Error('a control transfer must end its unit');
      return f.c.finish();
    }
    throw new Error(`no code generation for ${Op[insn.op]} at 0x${pc.toString(16)}`);
  }
  if (tu.end === 'monitor') f.exit(EXIT.MONITOR, tu.nextPc);
  else f.chain(tu.nextPc);
  return f.c.finish();
}
