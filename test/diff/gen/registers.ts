// Register conventions of the generated code and the CSR numbers it uses.
import { range } from './rng.js';

// Registers
export const SP = 2, DPTR = 9, LOOP = 27, T5 = 30, T6 = 31;
const RESERVED = new Set([0, SP, DPTR, LOOP]);
export const ALL_WRITABLE: readonly number[] = range(1, 31).filter((r) => !RESERVED.has(r));
/** x8..x15 without x9: the compressed 3-bit register fields that body code may write. */
export const C_WRITABLE: readonly number[] = [8, 10, 11, 12, 13, 14, 15];

// CSR numbers (privileged spec, table 2.2-2.5)
export const CSR = {
  sstatus: 0x100, sie: 0x104, stvec: 0x105, scounteren: 0x106, senvcfg: 0x10a, sscratch: 0x140,
  sepc: 0x141, scause: 0x142, stval: 0x143, sip: 0x144, satp: 0x180,
  mstatus: 0x300, misa: 0x301, medeleg: 0x302, mideleg: 0x303, mie: 0x304, mtvec: 0x305,
  mcounteren: 0x306, menvcfg: 0x30a, mcountinhibit: 0x320, mhpmevent3: 0x323,
  mscratch: 0x340, mepc: 0x341, mcause: 0x342, mtval: 0x343, mip: 0x344,
  pmpcfg0: 0x3a0, pmpcfg2: 0x3a2, pmpaddr0: 0x3b0, pmpaddr1: 0x3b1,
  tselect: 0x7a0, tdata1: 0x7a1, tinfo: 0x7a4,
  mcycle: 0xb00, minstret: 0xb02, mhpmcounter3: 0xb03,
  cycle: 0xc00, time: 0xc01, instret: 0xc02, hpmcounter3: 0xc03,
  mvendorid: 0xf11, marchid: 0xf12, mimpid: 0xf13, mhartid: 0xf14, mconfigptr: 0xf15,
} as const;
