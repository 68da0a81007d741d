// `rvwasm`: a thin shell over the embedding API. It parses options, feeds the console,
// and maps the run's outcome to an exit status; all engine logic lives below it.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { Machine, type RunOutcome } from '../api/machine.js';
import { GuestImageError } from '../machine/image-error.js';
import { formatStats } from '../vmm/stats.js';
import { HELP, UsageError, parseArgs, type RunArgs } from './args.js';
import { OutputBuffer } from './output.js';
import { loadOptimizer } from '../jit/optimize.js';
import { dumpModule } from '../jit/wasm/dump.js';
import { StdinFeed } from './stdin.js';
import { formatTrace } from './trace.js';

declare const __RVWASM_VERSION__: string;
const VERSION = typeof __RVWASM_VERSION__ === 'string' ? __RVWASM_VERSION__ : 'development';

/** Instructions per chunk between returns to the event loop (so stdin can arrive). */
const CHUNK = 4_000_000;
export const EXIT_LIMIT = 124;
export const EXIT_USAGE = 2;

function fail(message: string, status = EXIT_USAGE): never {
  process.stderr.write(`rvwasm: ${message}\n`);
  process.exit(status);
}

function readImage(path: string): Uint8Array {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) fail(`${path}: is a directory, not a guest image`);
    size = st.size;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') fail(`${path}: no such file`);
    if (code === 'EACCES') fail(`${path}: permission denied`);
    throw e;
  }
  if (size === 0) fail(`${path}: empty file`);
  return new Uint8Array(readFileSync(path));
}

async function run(args: RunArgs): Promise<number> {
  const bytes = readImage(args.image);
  if (args.engine === 'jit' && args.tier2 === 'binaryen' && !(await loadOptimizer())) {
    fail('--tier2 binaryen: the binaryen package cannot be loaded');
  }
  const dumps: Promise<void>[] = [];
  const stdout = new OutputBuffer(1);
  const stderr = new OutputBuffer(2);
  const machine = new Machine({
    engine: args.engine,
    memoryMiB: args.memoryMiB,
    realtime: args.realtime,
    misaligned: args.misaligned,
    sensitive: args.sensitive,
    adaptive: args.adaptive,
    mmu: args.mmu,
    frames: args.frames,
    jit: {
      ...(args.tlbEntries === undefined ? {} : { tlbEntries: args.tlbEntries }),
      tier2: args.tier2 !== 'off',
      // Exact chained-exit counts cost a little speed, so only runs that report them pay.
      countChains: args.stats || args.statsJson !== undefined,
      countIntc: args.stats || args.statsJson !== undefined,
      binaryen: args.tier2 === 'binaryen',
      dump: args.dumpWasm === undefined ? undefined
        : (bytes, index) => dumps.push(dumpModule(bytes, args.dumpWasm!, `module-${String(index).padStart(5, '0')}`)),
    },
    output: (fd, data) => (fd === 2 ? stderr : stdout).write(data),
  });
  if (args.raw) machine.loadRaw(bytes, args.loadAddress, args.image);
  else machine.loadElf(bytes, args.image);
  if (args.trace) machine.trace((e) => stderr.writeText(formatTrace(e)));

  const input = new StdinFeed((bytes) => machine.sendInput(bytes));
  let outcome: RunOutcome;
  let left = args.maxInsns ?? Infinity;
  try {
    for (;;) {
      const chunk = Math.min(CHUNK, left);
      const before = machine.instructionCount;
      outcome = machine.run({ maxInsns: chunk });
      left -= Number(machine.instructionCount - before);
      stdout.flush();
      stderr.flush();
      if (outcome.kind === 'waiting') {
        // Only input can wake the guest now: wait for it, or give up when stdin has ended.
        if (!(await input.next())) machine.endInput();
      } else if (outcome.kind !== 'limit' || left <= 0) {
        break;
      } else {
        await new Promise((r) => setImmediate(r)); // let stdin events in
      }
    }
  } finally {
    stdout.flush();
    stderr.flush();
    input.close();
  }

  try {
    await Promise.all(dumps);
  } catch (e) {
    fail(`cannot write the Wasm dump: ${(e as Error).message}`);
  }
  const stats = machine.counters();
  if (args.stats) process.stderr.write(`${formatStats(stats)}\n`);
  if (args.statsJson) {
    try {
      writeFileSync(args.statsJson, `${JSON.stringify({ outcome, ...stats }, null, 2)}\n`);
    } catch (e) {
      fail(`cannot write ${args.statsJson}: ${(e as Error).message}`);
    }
  }
  switch (outcome.kind) {
    case 'exit': return outcome.code === 0 ? 0 : (outcome.code & 0xff) || 1;
    case 'limit':
      process.stderr.write(`rvwasm: stopped after ${args.maxInsns} instructions (--max-insns)\n`);
      return EXIT_LIMIT;
    case 'reset':
      process.stderr.write('rvwasm: the guest requested a reset, which rvwasm does not support yet\n');
      return 1;
    case 'halted':
      process.stderr.write(`rvwasm: ${outcome.message}\n`);
      return 1;
  }
}

async function main(argv: string[]): Promise<void> {
  let status: number;
  try {
    const args = parseArgs(argv);
    if (args.command === 'help') { process.stdout.write(`${HELP}\n`); return; }
    if (args.command === 'version') { process.stdout.write(`rvwasm ${VERSION}\n`); return; }
    status = await run(args);
  } catch (e) {
    if (e instanceof UsageError || e instanceof GuestImageError || e instanceof RangeError) fail(e.message);
    if (process.env.RVWASM_DEBUG) throw e;
    fail(`internal error: ${(e as Error).message} (set RVWASM_DEBUG=1 for a stack trace)`, 70);
  }
  process.exit(status);
}

// Writing to a closed pipe (rvwasm ... | head) is not an error worth a stack trace.
process.stdout.on('error', () => process.exit(0));
void main(process.argv.slice(2));
