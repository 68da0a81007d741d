// Command-line parsing for `rvwasm run`. Every mistake becomes a UsageError: one line on
// stderr and exit status 2.
import { DEFAULT_ADAPTIVE_THRESHOLD, ENGINES, type EngineName } from '../api/machine.js';
import { MAX_COMPILE_THRESHOLD, DEFAULT_JIT_OPTIONS } from '../jit/engine.js';
import { FRAME_PLACEMENTS, parseMmuMode, parsePolicy, SENSITIVE_CLASSES, TLB_MAX_ENTRIES, type FramePlacement } from '../api/index.js';

/** virtio-mmio slots for drives; the last of the board's eight holds the entropy device. */
export const MAX_DRIVES = 7;

export class UsageError extends Error {
  override name = 'UsageError';
}

/** Options `run` and `boot` share: the engine, the MMU, memory, limits and statistics. */
export interface EngineArgs {
  engine: EngineName;
  memoryMiB: number | undefined;
  maxInsns: number | undefined;
  stats: boolean;
  statsJson: string | undefined;
  realtime: boolean;
  misaligned: 'allow' | 'trap';
  dumpWasm: string | undefined;
  tier2: 'off' | 'regions' | 'binaryen';
  /** --sensitive as given (checked), or undefined. */
  sensitive: string | undefined;
  /** --adaptive threshold, 0 when off. */
  adaptive: number;
  /** --mmu as given (checked), or undefined. */
  mmu: string | undefined;
  /** --tlb entries per table, or undefined for the default. */
  tlbEntries: number | undefined;
  frames: FramePlacement | undefined;
  /** --compile-threshold, or undefined for the default. */
  compileThreshold: number | undefined;
}

export interface RunArgs extends EngineArgs {
  command: 'run';
  image: string;
  trace: boolean;
  raw: boolean;
  loadAddress: bigint | undefined;
}

export interface BootArgs extends EngineArgs {
  command: 'boot';
  /** Firmware file, or null for the monitor's own SBI (--bios none). */
  bios: string | null;
  kernel: string | undefined;
  initrd: string | undefined;
  append: string | undefined;
  dtb: string | undefined;
  /** Write the generated device tree here and exit. */
  dumpDtb: string | undefined;
  drives: string[];
  /** Drive writes stay in memory; the files are not changed. */
  snapshot: boolean;
  /** Ctrl-A x and friends on the console (off with --no-escape). */
  escape: boolean;
  /** A reboot request starts the machine again (off with --no-reboot: the run ends). */
  reboot: boolean;
}

export type Args = RunArgs | BootArgs | { command: 'help' } | { command: 'boot-help' } | { command: 'version' };

export const HELP = `rvwasm - a RISC-V RV64 virtual machine monitor with a WebAssembly JIT

Usage:
  rvwasm run <image> [options]   run a bare-metal RV64 guest (ELF, or raw with --raw)
  rvwasm boot [options]          boot firmware and a kernel on the virt board
                                 (rvwasm boot --help for its options)
  rvwasm --help                  this text
  rvwasm --version               the version

Options for run:
  --engine <name>         execution engine: jit (default; cold code runs on a fast
                          interpreter written in WebAssembly, hot code is compiled to
                          WebAssembly) or interp (the reference interpreter)
  -m, --memory <MiB>      guest RAM size in MiB (default 128), at 0x80000000
  --max-insns <N>         stop after N instructions with exit status 124
  --stats                 print a summary of the run on stderr at exit
  --stats-json <file>     write the same summary as JSON to <file>
  --trace                 print every executed instruction (pc, bits, disassembly) on
                          stderr; runs on the interpreter
  --realtime              mtime follows the host clock (default: derived from the
                          instruction count, 10 instructions per 100 ns tick, deterministic)
  --misaligned <policy>   misaligned loads/stores: allow (default; they complete) or
                          trap (address-misaligned exceptions, for firmware to emulate)
  --tier2 <mode>          hot code: regions (default; recompiled as larger functions with
                          loops kept inside Wasm), binaryen (regions, also optimized by
                          binaryen: slower to compile) or off
  --sensitive <policy>    how compiled code handles sensitive instructions: trap (leave
                          to the monitor, which emulates), callout (call the monitor and
                          carry on) or intc (emulate inline where possible; the default),
                          for all classes, with per-class overrides, e.g.
                          --sensitive intc,csr-write=callout,ecall=trap. Classes:
                          ${SENSITIVE_CLASSES.slice(0, 6).join(', ')},
                          ${SENSITIVE_CLASSES.slice(6).join(', ')}
  --adaptive[=N]          adaptive retranslation: a site that traps N times (default
                          ${DEFAULT_ADAPTIVE_THRESHOLD}) is retranslated in-TC; without --sensitive, starts from trap
  --mmu <mode>            how TLB misses in compiled code are served: shadow (default;
                          shadow page tables, guest page tables write-protected) or
                          ept (nested two-dimensional walks through a G-stage table;
                          also called nested). The guest sees the same either way
  --tlb <entries>         entries in each software TLB table, a power of two from 1 to
                          ${TLB_MAX_ENTRIES} (default 256; one table per privilege level and
                          access kind)
  --frames <placement>    guest RAM pages over machine frames: linear (default) or
                          scattered (a fixed shuffle, to show nothing assumes contiguity)
  --compile-threshold <N> the fast interpreter runs a block of code N times before the
                          JIT compiles it (default ${DEFAULT_JIT_OPTIONS.compileThreshold}; 0 compiles everything on
                          first use; 'never' interprets everything)
  --dump-wasm <dir>       write every Wasm module the JIT emits to <dir> as .wasm and .wat
  --raw                   the image is a raw binary, not an ELF
  --load-address <addr>   where --raw loads and starts (default 0x80000000)

Exit status:
  the guest's own code (HTIF tohost or the syscon finisher; 0 = pass),
  124 when --max-insns runs out, 1 when the guest halts or resets with no way to go on,
  2 for bad input (options, missing or malformed image).

The guest console (NS16550A UART at 0x10000000, or HTIF) is stdout; stdin feeds the UART.`;

export const BOOT_HELP = `rvwasm boot - boot firmware and a kernel on the virt board, as qemu-system-riscv64 -M virt

Usage:
  rvwasm boot --kernel <Image> [--initrd <file>] [--append <cmdline>] [options]
  rvwasm boot --bios <firmware> [--kernel <next stage>] [options]

Images:
  --bios <file|none>      machine-mode firmware, e.g. OpenSBI's fw_jump.elf or
                          fw_dynamic.elf (ELF or raw, at 0x80000000). none (the default):
                          the monitor serves SBI itself (base, timer, IPI, RFENCE, HSM,
                          system reset, debug console and the legacy calls) and the
                          kernel starts in S-mode
  --kernel <file>         the next stage: a Linux Image (raw, at 0x80200000) or an ELF
                          such as U-Boot's uboot.elf (at its physical addresses)
  --initrd <file>         an initramfs, placed halfway up RAM (at most 128 MiB in)
  --append <cmdline>      the kernel command line (/chosen/bootargs)
  --dtb <file>            use this device tree blob instead of the generated one
  --dumpdtb <file>        write the generated device tree blob to <file> and exit
  --drive <file>          a raw disk image as a virtio block device (vda, vdb, ...; at
                          most ${MAX_DRIVES}); guest writes go to the file
  --snapshot              guest writes to drives stay in memory; the files are unchanged

Machine:
  -m, --memory <MiB>      guest RAM in MiB (default 128)
  --icount                mtime follows the instruction count (10 instructions per
                          100 ns tick) and idle time is skipped: deterministic and fast.
                          Default: mtime follows the host clock, as on QEMU
  --no-escape             pass Ctrl-A to the guest; quit with the guest's poweroff only
  --no-reboot             when the guest asks to reboot, stop (status 0) instead of
                          starting the machine again from the same images and drives

Engine and statistics (as for run): --engine, --mmu, --tlb, --frames, --sensitive,
  --adaptive, --tier2, --compile-threshold, --misaligned, --dump-wasm, --max-insns,
  --stats, --stats-json

Console:
  The guest's UART is the terminal: stdin in raw mode when it is a terminal. Ctrl-A x
  quits, Ctrl-A s prints the counters so far, Ctrl-A h lists the commands, Ctrl-A
  Ctrl-A sends Ctrl-A. The board has a CLINT, a PLIC, an NS16550A UART, the syscon
  poweroff/reboot device and eight virtio-mmio slots (drives, then an entropy device).

Exit status:
  0 when the guest powers off (or asks to reboot, with --no-reboot), the failure
  code when it reports one, 124 when --max-insns runs out, 1 when it halts, 2 for bad
  input, 130 after Ctrl-A x.`;

function parseCount(flag: string, text: string | undefined): number {
  if (text === undefined) throw new UsageError(`${flag} needs a value`);
  if (!/^\d+$/.test(text.replace(/_/g, ''))) throw new UsageError(`${flag} expects a whole number, got "${text}"`);
  const n = Number(text.replace(/_/g, ''));
  if (!Number.isSafeInteger(n)) throw new UsageError(`${flag} value ${text} is too large`);
  return n;
}

function parseAddress(flag: string, text: string | undefined): bigint {
  if (text === undefined) throw new UsageError(`${flag} needs a value`);
  if (!/^(0x[0-9a-f_]+|\d+)$/i.test(text)) throw new UsageError(`${flag} expects an address like 0x80000000, got "${text}"`);
  return BigInt(text.replace(/_/g, ''));
}

export function parseArgs(argv: string[]): Args {
  if (argv.length === 0) throw new UsageError('no command given; try "rvwasm --help"');
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') return { command: 'help' };
  if (command === '--version' || command === '-V') return { command: 'version' };
  if (command === 'run') return parseRun(rest);
  if (command === 'boot') return parseBoot(rest);
  throw new UsageError(`unknown command "${command}"; try "rvwasm --help"`);
}

function engineDefaults(): EngineArgs {
  return {
    engine: 'jit', memoryMiB: undefined, maxInsns: undefined, stats: false, statsJson: undefined,
    realtime: false, misaligned: 'allow', dumpWasm: undefined, tier2: 'regions',
    sensitive: undefined, adaptive: 0, mmu: undefined, tlbEntries: undefined, frames: undefined,
    compileThreshold: undefined,
  };
}

/** Walks `argv`, giving each option to `take`; returns the operands (non-options). */
function eachOption(argv: string[], take: (flag: string, option: OptionValue) => boolean | 'help'): string[] | 'help' {
  const operands: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const option: OptionValue = {
      inline,
      value: () => inline ?? argv[++i],
      none: () => { if (inline !== undefined) throw new UsageError(`${flag} takes no value`); },
    };
    if (flag === '-h' || flag === '--help') return 'help';
    if (take(flag, option)) continue;
    if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option "${arg}"; try "rvwasm --help"`);
    operands.push(arg);
  }
  return operands;
}

interface OptionValue {
  /** The value given as --flag=value, if any. */
  inline: string | undefined;
  /** The option's value: inline, or the next argument. */
  value(): string | undefined;
  /** Throws if a flag that takes no value was given one. */
  none(): void;
}

/** Handles the options run and boot share; false for any other flag. */
function takeEngineOption(args: EngineArgs & { engineGiven?: boolean }, flag: string, o: OptionValue): boolean {
  switch (flag) {
    case '--engine': {
      const v = o.value();
      if (v === undefined) throw new UsageError('--engine needs a value');
      if (!(ENGINES as readonly string[]).includes(v)) throw new UsageError(`unknown engine "${v}" (available: ${ENGINES.join(', ')})`);
      args.engine = v as EngineName;
      args.engineGiven = true;
      return true;
    }
    case '-m': case '--memory': args.memoryMiB = parseCount(flag, o.value()); return true;
    case '--max-insns': args.maxInsns = parseCount(flag, o.value()); return true;
    case '--stats': o.none(); args.stats = true; return true;
    case '--stats-json': {
      const v = o.value();
      if (!v) throw new UsageError('--stats-json needs a file name');
      args.statsJson = v;
      return true;
    }
    case '--misaligned': {
      const v = o.value();
      if (v !== 'allow' && v !== 'trap') throw new UsageError(`--misaligned expects allow or trap, got "${v ?? ''}"`);
      args.misaligned = v;
      return true;
    }
    case '--tier2': {
      const v = o.value();
      if (v !== 'off' && v !== 'regions' && v !== 'binaryen') throw new UsageError(`--tier2 expects off, regions or binaryen, got "${v ?? ''}"`);
      args.tier2 = v;
      return true;
    }
    case '--sensitive': {
      const v = o.value();
      if (!v) throw new UsageError('--sensitive needs a policy, e.g. trap, callout, intc or intc,csr-write=callout');
      try {
        parsePolicy(v);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      args.sensitive = v;
      return true;
    }
    case '--adaptive':
      if (o.inline === undefined) {
        args.adaptive = DEFAULT_ADAPTIVE_THRESHOLD;
      } else {
        args.adaptive = parseCount(flag, o.inline);
        if (args.adaptive < 1) throw new UsageError('--adaptive=N needs N >= 1');
      }
      return true;
    case '--mmu': {
      const v = o.value();
      if (!v || parseMmuMode(v) === undefined) throw new UsageError(`--mmu expects shadow, ept or nested, got "${v ?? ''}"`);
      args.mmu = v;
      return true;
    }
    case '--tlb': {
      const n = parseCount(flag, o.value());
      if (n < 1 || n > TLB_MAX_ENTRIES || (n & (n - 1)) !== 0) {
        throw new UsageError(`--tlb expects a power of two from 1 to ${TLB_MAX_ENTRIES}, got ${n}`);
      }
      args.tlbEntries = n;
      return true;
    }
    case '--frames': {
      const v = o.value();
      if (!FRAME_PLACEMENTS.includes(v as FramePlacement)) throw new UsageError(`--frames expects linear or scattered, got "${v ?? ''}"`);
      args.frames = v as FramePlacement;
      return true;
    }
    case '--compile-threshold': {
      const v = o.value();
      const n = v === 'never' ? MAX_COMPILE_THRESHOLD : parseCount(flag, v);
      if (n > MAX_COMPILE_THRESHOLD) {
        throw new UsageError(`--compile-threshold expects a number from 0 to ${MAX_COMPILE_THRESHOLD} or 'never', got ${v}`);
      }
      args.compileThreshold = n;
      return true;
    }
    case '--dump-wasm': {
      const v = o.value();
      if (!v) throw new UsageError('--dump-wasm needs a directory');
      args.dumpWasm = v;
      return true;
    }
  }
  return false;
}

/** The engine options that only make sense with the JIT. */
function checkEngineArgs(args: EngineArgs): void {
  if (args.dumpWasm !== undefined && args.engine !== 'jit') throw new UsageError('--dump-wasm needs --engine jit');
  if (args.engine !== 'jit' && args.sensitive !== undefined) throw new UsageError('--sensitive needs --engine jit (the interpreter always emulates)');
  if (args.engine !== 'jit' && args.adaptive > 0) throw new UsageError('--adaptive needs --engine jit');
  if (args.engine !== 'jit' && args.mmu !== undefined) throw new UsageError('--mmu needs --engine jit (the interpreter walks page tables itself)');
  if (args.engine !== 'jit' && args.tlbEntries !== undefined) throw new UsageError('--tlb needs --engine jit (the interpreter has no TLB)');
  if (args.engine !== 'jit' && args.compileThreshold !== undefined) throw new UsageError('--compile-threshold needs --engine jit');
}

function parseRun(argv: string[]): Args {
  const args: RunArgs & { engineGiven?: boolean } = {
    ...engineDefaults(), command: 'run', image: '', trace: false, raw: false, loadAddress: undefined,
  };
  const operands = eachOption(argv, (flag, o) => {
    switch (flag) {
      case '--trace': o.none(); args.trace = true; return true;
      case '--realtime': o.none(); args.realtime = true; return true;
      case '--raw': o.none(); args.raw = true; return true;
      case '--load-address': args.loadAddress = parseAddress(flag, o.value()); return true;
    }
    return takeEngineOption(args, flag, o);
  });
  if (operands === 'help') return { command: 'help' };
  if (operands.length === 0) throw new UsageError('run needs an image file: rvwasm run <image>');
  if (operands.length > 1) throw new UsageError(`only one image may be given (got "${operands[0]}" and "${operands[1]}")`);
  if (args.loadAddress !== undefined && !args.raw) throw new UsageError('--load-address only applies with --raw');
  if (args.trace) {
    if (args.engineGiven && args.engine !== 'interp') throw new UsageError('--trace needs --engine interp (compiled code has no per-instruction hook)');
    args.engine = 'interp';
  }
  checkEngineArgs(args);
  delete args.engineGiven;
  args.image = operands[0];
  return args;
}

function parseBoot(argv: string[]): Args {
  const args: BootArgs & { engineGiven?: boolean } = {
    ...engineDefaults(), command: 'boot', realtime: true, bios: null, kernel: undefined, initrd: undefined,
    append: undefined, dtb: undefined, dumpDtb: undefined, drives: [], snapshot: false, escape: true, reboot: true,
  };
  const file = (flag: string, v: string | undefined): string => {
    if (!v) throw new UsageError(`${flag} needs a file name`);
    return v;
  };
  const operands = eachOption(argv, (flag, o) => {
    switch (flag) {
      case '--bios': {
        const v = file(flag, o.value());
        args.bios = v === 'none' ? null : v;
        return true;
      }
      case '--kernel': args.kernel = file(flag, o.value()); return true;
      case '--initrd': args.initrd = file(flag, o.value()); return true;
      case '--append': {
        const v = o.value();
        if (v === undefined) throw new UsageError('--append needs a command line');
        args.append = v;
        return true;
      }
      case '--dtb': args.dtb = file(flag, o.value()); return true;
      case '--dumpdtb': args.dumpDtb = file(flag, o.value()); return true;
      case '--drive': args.drives.push(file(flag, o.value())); return true;
      case '--snapshot': o.none(); args.snapshot = true; return true;
      case '--icount': o.none(); args.realtime = false; return true;
      case '--no-escape': o.none(); args.escape = false; return true;
      case '--no-reboot': o.none(); args.reboot = false; return true;
    }
    return takeEngineOption(args, flag, o);
  });
  if (operands === 'help') return { command: 'boot-help' };
  if (operands.length > 0) throw new UsageError(`unexpected argument "${operands[0]}": boot takes its images as --bios, --kernel and --initrd`);
  if (args.bios === null && args.kernel === undefined && args.dumpDtb === undefined) {
    throw new UsageError('boot needs --kernel <image> (with --bios none, the default) or --bios <firmware>; try "rvwasm boot --help"');
  }
  if (args.drives.length > MAX_DRIVES) throw new UsageError(`at most ${MAX_DRIVES} drives (virtio-mmio slots) can be attached`);
  checkEngineArgs(args);
  delete args.engineGiven;
  return args;
}
