// CSR addresses (privileged spec 20211203, unprivileged spec 20191213) and the names
// objdump prints for them. Whether a CSR is implemented is the machine's business
// (src/machine/csr-file.ts); this file only knows the architecture.

export const CSR = {
  // unprivileged counters
  cycle: 0xc00, time: 0xc01, instret: 0xc02,
  hpmcounter3: 0xc03, hpmcounter31: 0xc1f,
  // supervisor
  sstatus: 0x100, sie: 0x104, stvec: 0x105, scounteren: 0x106,
  senvcfg: 0x10a,
  sscratch: 0x140, sepc: 0x141, scause: 0x142, stval: 0x143, sip: 0x144,
  satp: 0x180,
  // machine information
  mvendorid: 0xf11, marchid: 0xf12, mimpid: 0xf13, mhartid: 0xf14, mconfigptr: 0xf15,
  // machine trap setup
  mstatus: 0x300, misa: 0x301, medeleg: 0x302, mideleg: 0x303, mie: 0x304, mtvec: 0x305,
  mcounteren: 0x306,
  menvcfg: 0x30a,
  mcountinhibit: 0x320,
  mhpmevent3: 0x323, mhpmevent31: 0x33f,
  // machine trap handling
  mscratch: 0x340, mepc: 0x341, mcause: 0x342, mtval: 0x343, mip: 0x344,
  mtinst: 0x34a, mtval2: 0x34b,
  // memory protection
  pmpcfg0: 0x3a0, pmpcfg15: 0x3af,
  pmpaddr0: 0x3b0, pmpaddr63: 0x3ef,
  mseccfg: 0x747,
  // machine counters
  mcycle: 0xb00, minstret: 0xb02,
  mhpmcounter3: 0xb03, mhpmcounter31: 0xb1f,
  // debug triggers (Sdtrig)
  tselect: 0x7a0, tdata1: 0x7a1, tdata2: 0x7a2, tdata3: 0x7a3, tinfo: 0x7a4,
  // debug mode
  dcsr: 0x7b0, dpc: 0x7b1, dscratch0: 0x7b2, dscratch1: 0x7b3,
} as const;

const NAMED: Record<number, string> = {};
for (const [name, num] of Object.entries(CSR)) NAMED[num] = name;
for (let i = 3; i <= 31; i++) {
  NAMED[CSR.hpmcounter3 + i - 3] = `hpmcounter${i}`;
  NAMED[CSR.mhpmcounter3 + i - 3] = `mhpmcounter${i}`;
  NAMED[CSR.mhpmevent3 + i - 3] = `mhpmevent${i}`;
}
for (let i = 0; i < 16; i++) NAMED[CSR.pmpcfg0 + i] = `pmpcfg${i}`;
for (let i = 0; i < 64; i++) NAMED[CSR.pmpaddr0 + i] = `pmpaddr${i}`;
// Floating-point CSRs: rvwasm does not implement F/D yet, but objdump names them.
NAMED[0x001] = 'fflags'; NAMED[0x002] = 'frm'; NAMED[0x003] = 'fcsr';

/** The objdump spelling of a CSR: its name when it has one, else 0x-prefixed hex. */
export function csrName(num: number): string {
  return NAMED[num] ?? `0x${num.toString(16)}`;
}

/** CSR address bits [9:8]: the lowest privilege level that may access it. */
export function csrMinPrivilege(num: number): number {
  return (num >>> 8) & 3;
}

/** CSR address bits [11:10] === 0b11 mark a read-only CSR. */
export function csrIsReadOnly(num: number): boolean {
  return (num >>> 10) === 3;
}

// mstatus fields (RV64)
export const MSTATUS = {
  SIE: 1n << 1n, MIE: 1n << 3n, SPIE: 1n << 5n, UBE: 1n << 6n, MPIE: 1n << 7n, SPP: 1n << 8n,
  VS: 3n << 9n, MPP: 3n << 11n, FS: 3n << 13n, XS: 3n << 15n, MPRV: 1n << 17n, SUM: 1n << 18n,
  MXR: 1n << 19n, TVM: 1n << 20n, TW: 1n << 21n, TSR: 1n << 22n,
  UXL: 3n << 32n, SXL: 3n << 34n, SBE: 1n << 36n, MBE: 1n << 37n, SD: 1n << 63n,
} as const;

// Interrupt numbers (mip/mie bit positions and mcause codes with the top bit set).
export const IRQ = { SSI: 1, MSI: 3, STI: 5, MTI: 7, SEI: 9, MEI: 11 } as const;

// Exception causes.
export const CAUSE = {
  MISALIGNED_FETCH: 0, FETCH_ACCESS: 1, ILLEGAL_INSTRUCTION: 2, BREAKPOINT: 3,
  MISALIGNED_LOAD: 4, LOAD_ACCESS: 5, MISALIGNED_STORE: 6, STORE_ACCESS: 7,
  USER_ECALL: 8, SUPERVISOR_ECALL: 9, MACHINE_ECALL: 11,
  FETCH_PAGE_FAULT: 12, LOAD_PAGE_FAULT: 13, STORE_PAGE_FAULT: 15,
} as const;

export const PRIV = { U: 0, S: 1, M: 3 } as const;
