// One --trace line per executed instruction: privilege, pc, bits and disassembly.
import type { TraceEvent } from '../api/machine.js';

const PRIV = ['U', 'S', '?', 'M'];

export function formatTrace(e: TraceEvent): string {
  const bits = e.length === 2 ? e.bits.toString(16).padStart(4, '0').padEnd(8) : e.bits.toString(16).padStart(8, '0');
  return `${PRIV[e.privilege]} ${e.pc.toString(16).padStart(16, '0')}: ${bits}  ${e.text}\n`;
}
