// CSR names objdump (binutils 2.40, privileged spec 1.12) prints that csr-numbers.ts does
// not define, because they belong to things this machine does not have: RV32 high
// halves, V, H, AIA, Smstateen, Sstc, Zkr and more of Sdtrig. The disassembler needs them
// only to print those numbers as objdump does; they are not architecture rvwasm knows,
// so they stay out of csr-numbers.ts. test/isa/disasm.test.ts checks every CSR number
// against objdump's output, so this list cannot drift silently.

import { csrName } from './csr-numbers.js';

const EXTRA: Record<number, string> = {
  // vector, Zkr
  0x008: 'vstart', 0x009: 'vxsat', 0x00a: 'vxrm', 0x00f: 'vcsr', 0x015: 'seed',
  0xc20: 'vl', 0xc21: 'vtype', 0xc22: 'vlenb',
  // supervisor: Smstateen, AIA, Sstc, Sscofpmf
  0x10c: 'sstateen0', 0x10d: 'sstateen1', 0x10e: 'sstateen2', 0x10f: 'sstateen3',
  0x114: 'sieh', 0x14d: 'stimecmp', 0x150: 'siselect', 0x151: 'sireg', 0x154: 'siph',
  0x15c: 'stopei', 0x15d: 'stimecmph', 0xda0: 'scountovf', 0xdb0: 'stopi',
  // virtual supervisor (H)
  0x200: 'vsstatus', 0x204: 'vsie', 0x205: 'vstvec', 0x214: 'vsieh', 0x240: 'vsscratch',
  0x241: 'vsepc', 0x242: 'vscause', 0x243: 'vstval', 0x244: 'vsip', 0x24d: 'vstimecmp',
  0x250: 'vsiselect', 0x251: 'vsireg', 0x254: 'vsiph', 0x25c: 'vstopei', 0x25d: 'vstimecmph',
  0x280: 'vsatp', 0xeb0: 'vstopi',
  // machine: AIA, Smstateen, RV32 high halves
  0x308: 'mvien', 0x309: 'mvip', 0x30c: 'mstateen0', 0x30d: 'mstateen1', 0x30e: 'mstateen2',
  0x30f: 'mstateen3', 0x310: 'mstatush', 0x313: 'midelegh', 0x314: 'mieh', 0x318: 'mvienh',
  0x319: 'mviph', 0x31a: 'menvcfgh', 0x31c: 'mstateen0h', 0x31d: 'mstateen1h',
  0x31e: 'mstateen2h', 0x31f: 'mstateen3h', 0x350: 'miselect', 0x351: 'mireg', 0x354: 'miph',
  0x35c: 'mtopei', 0x757: 'mseccfgh', 0xfb0: 'mtopi',
  0xb80: 'mcycleh', 0xb82: 'minstreth', 0xc80: 'cycleh', 0xc81: 'timeh', 0xc82: 'instreth',
  // hypervisor
  0x600: 'hstatus', 0x602: 'hedeleg', 0x603: 'hideleg', 0x604: 'hie', 0x605: 'htimedelta',
  0x606: 'hcounteren', 0x607: 'hgeie', 0x608: 'hvien', 0x609: 'hvictl', 0x60a: 'henvcfg',
  0x60c: 'hstateen0', 0x60d: 'hstateen1', 0x60e: 'hstateen2', 0x60f: 'hstateen3',
  0x613: 'hidelegh', 0x615: 'htimedeltah', 0x618: 'hvienh', 0x61a: 'henvcfgh',
  0x61c: 'hstateen0h', 0x61d: 'hstateen1h', 0x61e: 'hstateen2h', 0x61f: 'hstateen3h',
  0x643: 'htval', 0x644: 'hip', 0x645: 'hvip', 0x646: 'hviprio1', 0x647: 'hviprio2',
  0x64a: 'htinst', 0x655: 'hviph', 0x656: 'hviprio1h', 0x657: 'hviprio2h', 0x680: 'hgatp',
  0xe12: 'hgeip',
  // Sdtrig context registers
  0x5a8: 'scontext', 0x6a8: 'hcontext', 0x7a5: 'tcontrol', 0x7a8: 'mcontext', 0x7aa: 'mscontext',
};
for (let i = 3; i <= 31; i++) {
  EXTRA[0x720 + i] = `mhpmevent${i}h`;
  EXTRA[0xb80 + i] = `mhpmcounter${i}h`;
  EXTRA[0xc80 + i] = `hpmcounter${i}h`;
}

/** The CSR operand as objdump prints it: its name if objdump knows one, else 0x-hex. */
export function objdumpCsrName(num: number): string {
  return EXTRA[num] ?? csrName(num);
}
