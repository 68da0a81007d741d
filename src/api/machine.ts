// The embedding API: `import { Machine } from 'rvwasm'`. A thin, typed face over the
// monitor; the CLI uses nothing else.
import { disassemble } from '../isa/disasm.js';
import { PRIV } from '../isa/csr-numbers.js';
import { readCsr } from '../machine/csr-file.js';
import { SLOT } from '../machine/hart-state.js';
import { TrapSignal } from '../machine/trap.js';
import { DEFAULT_RAM_MIB, DRAM_BASE } from '../machine/layout.js';
import { collectStats, type RunStats } from '../vmm/stats.js';
import type { JitOptions } from '../jit/engine.js';
import { resolvePolicy, type SensitiveOptions } from '../jit/lowering.js';
import { FRAME_PLACEMENTS, type FramePlacement } from '../machine/p2m.js';
import { MMU_MODES, parseMmuMode } from '../mmu/mmu.js';
import { VirtualMachine, type EngineName, type RunOutcome } from '../vmm/vm.js';
import type { BootLayout } from '../vmm/boot.js';
import { buildVirtDeviceTree } from '../machine/device-tree.js';
import type { ChosenOptions } from '../machine/board.js';
import type { BlockBackend } from '../machine/devices/block-backend.js';

export type { BlockBackend, BootLayout, EngineName, RunOutcome, RunStats };

export interface MachineOptions {
  /** Guest RAM in MiB (default 128). */
  memoryMiB?: number;
  /** Execution engine: 'jit' (default) compiles guest code to WebAssembly; 'interp' is the reference interpreter. */
  engine?: EngineName;
  /** mtime from the host clock instead of the instruction count (non-deterministic). */
  realtime?: boolean;
  /**
   * Misaligned loads and stores: 'allow' (default) completes them as hardware with
   * Zicclsm does; 'trap' raises address-misaligned so firmware can emulate them.
   */
  misaligned?: 'allow' | 'trap';
  /**
   * JIT settings: `tlbEntries` (power of two, default 256), `batch` (units per Wasm
   * module, default 16), `maxFragments` (TC size bound), `compileThreshold` (entries of a
   * block the fast interpreter runs before it is compiled, default 50,000; 0 compiles on
   * first use; MAX_COMPILE_THRESHOLD never), `sharedCode` (compiled code reads the VM's
   * base from its parameter), `dump` (receives every module).
   */
  jit?: Partial<JitOptions>;
  /**
   * How compiled code handles sensitive instructions: 'trap' (leave to the monitor, which
   * emulates), 'callout' (call the monitor and carry on) or 'intc' (inline where possible;
   * the default), for every class, or per class: a string as on the command line
   * ('intc,csr-write=callout') or `{ default: 'intc', classes: { 'csr-write': 'callout' } }`.
   * Classes: counter, trap-setup, satp, status, csr-read, csr-write, xret, wfi, sfence,
   * fence-i, ecall, mmio. JIT only (the interpreter always emulates).
   */
  sensitive?: string | SensitiveOptions;
  /**
   * Adaptive retranslation: a site that traps this many times is retranslated in-TC
   * (true: 64). When `sensitive` is not given it starts from 'trap'. JIT only.
   */
  adaptive?: number | boolean;
  /**
   * How the monitor's MMU serves TLB misses: 'shadow' (the default: shadow page tables,
   * guest page tables write-protected) or 'ept' (nested two-dimensional walks through a
   * G-stage table; 'nested' is another name for it). Both give the guest the same
   * results. JIT only (the interpreter walks the guest's tables itself).
   */
  mmu?: string;
  /**
   * How guest RAM pages are placed over machine frames: 'linear' (default) or
   * 'scattered' (a fixed shuffle: no two neighbouring guest pages are neighbours in
   * machine memory; for testing that nothing assumes contiguous RAM).
   */
  frames?: FramePlacement;
  /** Receives guest console output (UART and HTIF); fd is 1 or 2. Default: discarded. */
  output?: (fd: number, bytes: Uint8Array) => void;
  /**
   * Disks for the guest: virtio block devices in the first virtio-mmio slots (Linux's
   * vda, vdb, ...), at most 7. `MemoryBlockBackend` wraps a Uint8Array.
   */
  drives?: readonly BlockBackend[];
  /** A virtio entropy device (host crypto.getRandomValues) in the last virtio-mmio slot. */
  rng?: boolean;
}

/** What to boot (see Machine.boot). */
export interface BootOptions {
  /**
   * Machine-mode firmware such as OpenSBI's fw_jump or fw_dynamic (ELF or raw, loaded at
   * 0x80000000), or null: the monitor serves SBI itself and the kernel starts in S-mode.
   */
  bios: Uint8Array | null;
  /** The next stage: a Linux Image, or an ELF such as U-Boot's (raw images go at 0x80200000). */
  kernel?: Uint8Array;
  initrd?: Uint8Array;
  /** Kernel command line. */
  append?: string;
  /** A device tree blob to use instead of the generated one. */
  dtb?: Uint8Array;
  /** File names, for messages. */
  biosName?: string;
  kernelName?: string;
}

export interface RunOptions {
  /** Stop after this many more instructions (outcome 'limit'). */
  maxInsns?: number;
  /**
   * Stop (outcome 'limit') once this much host time has passed, checked between slices
   * and while the guest idles: an interactive host gets control back this often.
   */
  maxMillis?: number;
}

/** One executed instruction, for tracing. */
export interface TraceEvent {
  pc: bigint;
  /** 0 = U, 1 = S, 3 = M */
  privilege: number;
  /** The instruction bits. */
  bits: number;
  length: 2 | 4;
  text: string;
}

export const ENGINES: readonly EngineName[] = ['jit', 'interp'];

/** Traps at one site before adaptive retranslation, when it is turned on without a number. */
export const DEFAULT_ADAPTIVE_THRESHOLD = 64;

export class Machine {
  private readonly vm: VirtualMachine;
  readonly engine: EngineName;

  constructor(options: MachineOptions = {}) {
    const engine = options.engine ?? 'jit';
    if (!ENGINES.includes(engine)) throw new RangeError(`unknown engine "${engine}" (available: ${ENGINES.join(', ')})`);
    this.engine = engine;
    const adaptive = options.adaptive === true ? DEFAULT_ADAPTIVE_THRESHOLD : options.adaptive || 0;
    if (!Number.isSafeInteger(adaptive) || adaptive < 0) throw new RangeError(`adaptive: expected a positive whole number, got ${options.adaptive}`);
    if (engine !== 'jit' && (options.sensitive !== undefined || adaptive > 0)) {
      throw new RangeError('sensitive and adaptive choose how compiled code handles sensitive instructions: they need the jit engine');
    }
    const sensitive = resolvePolicy(options.sensitive ?? (adaptive > 0 ? 'trap' : undefined));
    const mmu = options.mmu === undefined ? undefined : parseMmuMode(options.mmu);
    if (options.mmu !== undefined && mmu === undefined) {
      throw new RangeError(`unknown MMU mode "${options.mmu}" (available: ${MMU_MODES.join(', ')}, nested = ept)`);
    }
    if (engine !== 'jit' && mmu !== undefined) throw new RangeError('mmu chooses how compiled code\'s TLB misses are served: it needs the jit engine');
    if (options.frames !== undefined && !FRAME_PLACEMENTS.includes(options.frames)) {
      throw new RangeError(`unknown frame placement "${options.frames}" (available: ${FRAME_PLACEMENTS.join(', ')})`);
    }
    this.vm = new VirtualMachine({
      ramMiB: options.memoryMiB ?? DEFAULT_RAM_MIB,
      realtime: options.realtime ?? false,
      misaligned: options.misaligned ?? 'allow',
      engine,
      frames: options.frames,
      jit: { sensitive, adaptive, ...(mmu ? { mmu } : {}), ...options.jit },
      output: options.output ?? (() => {}),
      drives: options.drives,
      rng: options.rng,
    });
  }

  /**
   * Boots as QEMU's virt board does: firmware at 0x80000000, the kernel on the next
   * 2 MiB boundary, the initrd halfway up RAM (at most 128 MiB in), and the generated
   * device tree in the last 2 MiB block; a0 = hart id, a1 = device tree, a2 =
   * fw_dynamic_info. Throws GuestImageError when something does not fit or parse.
   */
  boot(options: BootOptions): BootLayout {
    return this.vm.boot(options);
  }

  /** The device tree blob this machine gives its guest, with these /chosen settings. */
  deviceTree(chosen: ChosenOptions = {}): Uint8Array {
    return buildVirtDeviceTree(this.vm.board.describe(chosen));
  }

  /** Loads an ELF64 RISC-V executable at its physical addresses. Throws GuestImageError. */
  loadElf(bytes: Uint8Array, name = 'image'): void {
    this.vm.loadElf(bytes, name);
  }

  /** Loads a raw binary at `address` (default: start of DRAM) and starts there. */
  loadRaw(bytes: Uint8Array, address: bigint = BigInt(DRAM_BASE), name = 'image'): void {
    this.vm.loadRaw(bytes, address, name);
  }

  run(options: RunOptions = {}): RunOutcome {
    return this.vm.run(options.maxInsns ?? Infinity, options.maxMillis ?? Infinity);
  }

  get pc(): bigint { return this.vm.board.hart.pc; }
  set pc(v: bigint) { this.vm.board.hart.pc = v; }
  /** 0 = U, 1 = S, 3 = M */
  get privilege(): number { return this.vm.board.hart.priv; }

  /** Integer register x0..x31 as an unsigned 64-bit value. */
  getRegister(index: number): bigint {
    checkRegister(index);
    return this.vm.board.hart.reg(index);
  }

  setRegister(index: number, value: bigint): void {
    checkRegister(index);
    this.vm.board.hart.setReg(index, value);
  }

  /**
   * Reads a CSR as M-mode software would (no side effects beyond the read). Throws
   * RangeError for a CSR this machine does not implement.
   */
  readCsr(num: number): bigint {
    try {
      return readCsr(this.vm.csrEnv, num, PRIV.M);
    } catch (e) {
      if (e instanceof TrapSignal) throw new RangeError(`CSR 0x${num.toString(16)} is not implemented`);
      throw e;
    }
  }

  /** Reads guest-physical RAM. Throws RangeError outside RAM. */
  readMemory(address: bigint, length: number): Uint8Array {
    const bytes = address < 2n ** 53n ? this.vm.board.bus.readBytes(Number(address), length) : undefined;
    if (!bytes) throw new RangeError(`0x${address.toString(16)}+${length} is not guest RAM`);
    return bytes;
  }

  writeMemory(address: bigint, bytes: Uint8Array): void {
    if (address >= 2n ** 53n || !this.vm.board.bus.writeBytes(Number(address), bytes)) {
      throw new RangeError(`0x${address.toString(16)}+${bytes.length} is not guest RAM`);
    }
  }

  /** Bytes for the guest's UART receiver (its stdin). */
  sendInput(bytes: Uint8Array): void {
    this.vm.board.uart.pushInput(bytes);
  }

  /** No more input will be sent: a guest waiting only for device input is not waiting for anything. */
  endInput(): void {
    this.vm.endInput();
  }

  /** Instructions executed so far (including ones that raised exceptions). */
  get instructionCount(): bigint { return this.vm.board.hart.state[SLOT.executed]; }

  counters(): RunStats {
    return collectStats(this.vm);
  }

  /**
   * Calls `sink` before every instruction executes (slow; for --trace). Pass null to stop.
   * Only the interpreter can do this: compiled code has no per-instruction hook.
   */
  trace(sink: ((e: TraceEvent) => void) | null): void {
    if (sink && this.engine !== 'interp') throw new RangeError('instruction tracing needs the interp engine');
    this.vm.interp.trace = sink && ((pc, insn, privilege) =>
      sink({ pc, privilege, bits: insn.raw, length: insn.len, text: disassemble(insn, pc) }));
  }
}

function checkRegister(index: number): void {
  if (!Number.isInteger(index) || index < 0 || index > 31) throw new RangeError(`register index must be 0..31, got ${index}`);
}
