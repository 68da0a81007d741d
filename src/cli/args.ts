// Command-line parsing for `rvwasm run`. Every mistake becomes a UsageError: one line on
// stderr and exit status 2.
import { DEFAULT_ADAPTIVE_THRESHOLD, ENGINES, type EngineName } from '../api/machine.js';
import { FRAME_PLACEMENTS, parseMmuMode, parsePolicy, SENSITIVE_CLASSES, TLB_MAX_ENTRIES, type FramePlacement } from '../api/index.js';

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface RunArgs {
  command: 'run';
  image: string;
  engine: EngineName;
  memoryMiB: number | undefined;
  maxInsns: number | undefined;
  stats: boolean;
  statsJson: string | undefined;
  trace: boolean;
  realtime: boolean;
  misaligned: 'allow' | 'trap';
  raw: boolean;
  dumpWasm: string | undefined;
  tier2: 'off' | 'regions' | 'binaryen';
  loadAddress: bigint | undefined;
  /** --sensitive as given (checked), or undefined. */
  sensitive: string | undefined;
  /** --adaptive threshold, 0 when off. */
  adaptive: number;
  /** --mmu as given (checked), or undefined. */
  mmu: string | undefined;
  /** --tlb entries per table, or undefined for the default. */
  tlbEntries: number | undefined;
  frames: FramePlacement | undefined;
}

export type Args = RunArgs | { command: 'help' } | { command: 'version' };

export const HELP = `rvwasm - a RISC-V RV64 virtual machine monitor with a WebAssembly JIT

Usage:
  rvwasm run <image> [options]   run a bare-metal RV64 guest (ELF, or raw with --raw)
  rvwasm --help                  this text
  rvwasm --version               the version

Options for run:
  --engine <name>         execution engine: jit (default; guest code is compiled to
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
  --dump-wasm <dir>       write every Wasm module the JIT emits to <dir> as .wasm and .wat
  --raw                   the image is a raw binary, not an ELF
  --load-address <addr>   where --raw loads and starts (default 0x80000000)

Exit status:
  the guest's own code (HTIF tohost or the syscon finisher; 0 = pass),
  124 when --max-insns runs out, 1 when the guest halts or resets with no way to go on,
  2 for bad input (options, missing or malformed image).

The guest console (NS16550A UART at 0x10000000, or HTIF) is stdout; stdin feeds the UART.`;

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
  if (command !== 'run') throw new UsageError(`unknown command "${command}"; try "rvwasm --help"`);

  const args: RunArgs = {
    command: 'run', image: '', engine: 'jit', memoryMiB: undefined, maxInsns: undefined,
    stats: false, statsJson: undefined, trace: false, realtime: false, misaligned: 'allow', raw: false, loadAddress: undefined, dumpWasm: undefined, tier2: 'regions',
    sensitive: undefined, adaptive: 0, mmu: undefined, tlbEntries: undefined, frames: undefined,
  };
  let image: string | undefined;
  let engineGiven = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string | undefined => inline ?? rest[++i];
    const noValue = () => { if (inline !== undefined) throw new UsageError(`${flag} takes no value`); };
    switch (flag) {
      case '-h': case '--help': return { command: 'help' };
      case '--engine': {
        const v = value();
        if (v === undefined) throw new UsageError('--engine needs a value');
        if (!(ENGINES as readonly string[]).includes(v)) throw new UsageError(`unknown engine "${v}" (available: ${ENGINES.join(', ')})`);
        args.engine = v as RunArgs['engine'];
        engineGiven = true;
        break;
      }
      case '-m': case '--memory': args.memoryMiB = parseCount(flag, value()); break;
      case '--max-insns': args.maxInsns = parseCount(flag, value()); break;
      case '--stats': noValue(); args.stats = true; break;
      case '--stats-json': {
        const v = value();
        if (!v) throw new UsageError('--stats-json needs a file name');
        args.statsJson = v;
        break;
      }
      case '--trace': noValue(); args.trace = true; break;
      case '--realtime': noValue(); args.realtime = true; break;
      case '--raw': noValue(); args.raw = true; break;
      case '--misaligned': {
        const v = value();
        if (v !== 'allow' && v !== 'trap') throw new UsageError(`--misaligned expects allow or trap, got "${v ?? ''}"`);
        args.misaligned = v;
        break;
      }
      case '--load-address': args.loadAddress = parseAddress(flag, value()); break;
      case '--tier2': {
        const v = value();
        if (v !== 'off' && v !== 'regions' && v !== 'binaryen') throw new UsageError(`--tier2 expects off, regions or binaryen, got "${v ?? ''}"`);
        args.tier2 = v;
        break;
      }
      case '--sensitive': {
        const v = value();
        if (!v) throw new UsageError('--sensitive needs a policy, e.g. trap, callout, intc or intc,csr-write=callout');
        try {
          parsePolicy(v);
        } catch (e) {
          throw new UsageError((e as Error).message);
        }
        args.sensitive = v;
        break;
      }
      case '--adaptive':
        if (inline === undefined) {
          args.adaptive = DEFAULT_ADAPTIVE_THRESHOLD;
        } else {
          args.adaptive = parseCount(flag, inline);
          if (args.adaptive < 1) throw new UsageError('--adaptive=N needs N >= 1');
        }
        break;
      case '--mmu': {
        const v = value();
        if (!v || parseMmuMode(v) === undefined) throw new UsageError(`--mmu expects shadow, ept or nested, got "${v ?? ''}"`);
        args.mmu = v;
        break;
      }
      case '--tlb': {
        const n = parseCount(flag, value());
        if (n < 1 || n > TLB_MAX_ENTRIES || (n & (n - 1)) !== 0) {
          throw new UsageError(`--tlb expects a power of two from 1 to ${TLB_MAX_ENTRIES}, got ${n}`);
        }
        args.tlbEntries = n;
        break;
      }
      case '--frames': {
        const v = value();
        if (!FRAME_PLACEMENTS.includes(v as FramePlacement)) throw new UsageError(`--frames expects linear or scattered, got "${v ?? ''}"`);
        args.frames = v as FramePlacement;
        break;
      }
      case '--dump-wasm': {
        const v = value();
        if (!v) throw new UsageError('--dump-wasm needs a directory');
        args.dumpWasm = v;
        break;
      }
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option "${arg}"; try "rvwasm --help"`);
        if (image !== undefined) throw new UsageError(`only one image may be given (got "${image}" and "${arg}")`);
        image = arg;
    }
  }
  if (image === undefined) throw new UsageError('run needs an image file: rvwasm run <image>');
  if (args.loadAddress !== undefined && !args.raw) throw new UsageError('--load-address only applies with --raw');
  if (args.trace) {
    if (engineGiven && args.engine !== 'interp') throw new UsageError('--trace needs --engine interp (compiled code has no per-instruction hook)');
    args.engine = 'interp';
  }
  if (args.dumpWasm !== undefined && args.engine !== 'jit') throw new UsageError('--dump-wasm needs --engine jit');
  if (args.engine !== 'jit' && args.sensitive !== undefined) throw new UsageError('--sensitive needs --engine jit (the interpreter always emulates)');
  if (args.engine !== 'jit' && args.adaptive > 0) throw new UsageError('--adaptive needs --engine jit');
  if (args.engine !== 'jit' && args.mmu !== undefined) throw new UsageError('--mmu needs --engine jit (the interpreter walks page tables itself)');
  if (args.engine !== 'jit' && args.tlbEntries !== undefined) throw new UsageError('--tlb needs --engine jit (the interpreter has no TLB)');
  args.image = image;
  return args;
}
