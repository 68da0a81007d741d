// `rvwasm`: a thin shell over the embedding API. It parses options, feeds the console,
// and maps the run's outcome to an exit status; all engine logic lives below it.
import { writeFileSync } from 'node:fs';
import { Machine, type MachineOptions, type RunOutcome } from '../api/machine.js';
import { GuestImageError } from '../machine/image-error.js';
import { formatStats } from '../vmm/stats.js';
import { BOOT_HELP, HELP, UsageError, parseArgs, type BootArgs, type EngineArgs, type RunArgs } from './args.js';
import { fail, openDrive, readBootImages, readImage } from './files.js';
import { CONSOLE_HELP, EscapeFilter } from './console.js';
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
/** Ctrl-A x: as a shell reports a process ended by an interrupt. */
export const EXIT_QUIT = 130;
/** Host time per chunk on the interactive console. */
const INTERACTIVE_MILLIS = 50;

/** The Machine options `run` and `boot` share. */
function machineOptions(args: EngineArgs, console: Consoles, dumps: Promise<void>[]): MachineOptions {
  return {
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
      ...(args.compileThreshold === undefined ? {} : { compileThreshold: args.compileThreshold }),
      tier2: args.tier2 !== 'off',
      // Exact chained-exit counts cost a little speed, so only runs that report them pay.
      countChains: args.stats || args.statsJson !== undefined,
      countIntc: args.stats || args.statsJson !== undefined,
      binaryen: args.tier2 === 'binaryen',
      dump: args.dumpWasm === undefined ? undefined
        : (bytes, index) => dumps.push(dumpModule(bytes, args.dumpWasm!, `module-${String(index).padStart(5, '0')}`)),
    },
    output: (fd, data) => (fd === 2 ? console.stderr : console.stdout).write(data),
  };
}

interface Consoles { stdout: OutputBuffer; stderr: OutputBuffer }

async function checkEngine(args: EngineArgs): Promise<void> {
  if (args.engine === 'jit' && args.tier2 === 'binaryen' && !(await loadOptimizer())) {
    fail('--tier2 binaryen: the binaryen package cannot be loaded');
  }
}

async function run(args: RunArgs): Promise<number> {
  const bytes = readImage(args.image);
  await checkEngine(args);
  const dumps: Promise<void>[] = [];
  const consoles = { stdout: new OutputBuffer(1), stderr: new OutputBuffer(2) };
  const machine = new Machine(machineOptions(args, consoles, dumps));
  if (args.raw) machine.loadRaw(bytes, args.loadAddress, args.image);
  else machine.loadElf(bytes, args.image);
  if (args.trace) machine.trace((e) => consoles.stderr.writeText(formatTrace(e)));
  const input = new StdinFeed((bytes) => machine.sendInput(bytes));
  let outcome: RunOutcome;
  try {
    outcome = await runGuest(machine, args.maxInsns ?? Infinity, consoles, input, Infinity);
  } finally {
    input.close();
  }
  return finish(machine, args, outcome, dumps);
}

async function boot(args: BootArgs): Promise<number> {
  const images = readBootImages(args);
  await checkEngine(args);
  const drives = args.drives.map((path) => openDrive(path, args.snapshot));
  for (const d of drives) if (d.warning) process.stderr.write(`rvwasm: warning: ${d.warning}\n`);
  const dumps: Promise<void>[] = [];
  const consoles = { stdout: new OutputBuffer(1), stderr: new OutputBuffer(2) };
  const start = () => {
    const m = new Machine({ ...machineOptions(args, consoles, dumps), drives, rng: true });
    if (args.dumpDtb === undefined) m.boot(images);
    return m;
  };
  let machine = start();
  if (args.dumpDtb !== undefined) {
    writeOrFail(args.dumpDtb, machine.deviceTree({ bootargs: args.append }));
    return 0;
  }
  const escapes = args.escape ? new EscapeFilter() : null;
  let quit = false;
  const input = new StdinFeed((bytes) => {
    if (!escapes) { machine.sendInput(bytes); return; }
    const { forward, commands } = escapes.feed(bytes);
    if (forward.length > 0) machine.sendInput(forward);
    for (const command of commands) {
      if (command === 'quit') quit = true;
      else if (command === 'help') consoles.stderr.writeText(CONSOLE_HELP);
      else consoles.stderr.writeText(`\r\n${formatStats(machine.counters()).replace(/\n/g, '\r\n')}\r\n`);
    }
    consoles.stderr.flush();
  }, { raw: true });
  try {
    let left = args.maxInsns ?? Infinity;
    for (;;) {
      const outcome = await runGuest(machine, left, consoles, input, INTERACTIVE_MILLIS, () => quit);
      if (quit && (outcome.kind === 'limit' || outcome.kind === 'waiting')) {
        process.stderr.write('\nrvwasm: terminated by Ctrl-A x\n');
        return finish(machine, args, outcome, dumps, { quit: true });
      }
      if (outcome.kind !== 'reset') return finish(machine, args, outcome, dumps);
      if (!args.reboot) {
        process.stderr.write('rvwasm: the guest asked to reboot; stopping (--no-reboot)\n');
        return finish(machine, args, { kind: 'exit', code: 0 }, dumps);
      }
      // A reboot is a new machine from the same images and disks, as a reset would give.
      left -= Number(machine.instructionCount);
      consoles.stderr.writeText('rvwasm: rebooting\r\n');
      machine = start();
    }
  } finally {
    input.close();
    for (const d of drives) d.close();
  }
}

/**
 * Runs the guest in chunks, returning to the event loop between them so input can
 * arrive; waits for input when only input can wake the guest. `maxMillis` bounds a
 * chunk's host time (boot's console stays responsive while the guest sleeps).
 */
async function runGuest(machine: Machine, maxInsns: number, consoles: Consoles, input: StdinFeed,
  maxMillis: number, stop: () => boolean = () => false): Promise<RunOutcome> {
  let outcome: RunOutcome;
  let left = maxInsns;
  try {
    for (;;) {
      const chunk = Math.min(CHUNK, left);
      const before = machine.instructionCount;
      outcome = machine.run({ maxInsns: chunk, maxMillis });
      left -= Number(machine.instructionCount - before);
      consoles.stdout.flush();
      consoles.stderr.flush();
      if (outcome.kind === 'waiting') {
        // Only input can wake the guest now: wait for it, or give up when stdin has ended.
        if (!(await input.next())) machine.endInput();
      } else if (outcome.kind !== 'limit' || left <= 0) {
        break;
      } else {
        await new Promise((r) => setImmediate(r)); // let stdin events in
      }
      if (stop()) break;
    }
  } finally {
    consoles.stdout.flush();
    consoles.stderr.flush();
  }
  return outcome;
}

/**
 * Writes what --stats and --stats-json ask for and maps the outcome to an exit status.
 * After Ctrl-A x (`quit`), the run was stopped from outside: no limit to report.
 */
async function finish(machine: Machine, args: EngineArgs, outcome: RunOutcome, dumps: Promise<void>[],
  { quit = false } = {}): Promise<number> {
  try {
    await Promise.all(dumps);
  } catch (e) {
    fail(`cannot write the Wasm dump: ${(e as Error).message}`);
  }
  const stats = machine.counters();
  if (args.stats) process.stderr.write(`${formatStats(stats)}\n`);
  if (args.statsJson) writeOrFail(args.statsJson, `${JSON.stringify({ outcome, ...stats }, null, 2)}\n`);
  switch (outcome.kind) {
    case 'exit': return outcome.code === 0 ? 0 : (outcome.code & 0xff) || 1;
    case 'limit':
      if (quit) return EXIT_QUIT;
      process.stderr.write(`rvwasm: stopped after ${args.maxInsns} instructions (--max-insns)\n`);
      return EXIT_LIMIT;
    case 'waiting': return quit ? EXIT_QUIT : 0;
    case 'reset':
      process.stderr.write('rvwasm: the guest requested a reset, which rvwasm does not support yet\n');
      return 1;
    case 'halted':
      process.stderr.write(`rvwasm: ${outcome.message}\n`);
      return 1;
  }
}

function writeOrFail(path: string, data: string | Uint8Array): void {
  try {
    writeFileSync(path, data);
  } catch (e) {
    fail(`cannot write ${path}: ${(e as Error).message}`);
  }
}

async function main(argv: string[]): Promise<void> {
  let status: number;
  try {
    const args = parseArgs(argv);
    if (args.command === 'help') { process.stdout.write(`${HELP}\n`); return; }
    if (args.command === 'boot-help') { process.stdout.write(`${BOOT_HELP}\n`); return; }
    if (args.command === 'version') { process.stdout.write(`rvwasm ${VERSION}\n`); return; }
    status = args.command === 'run' ? await run(args) : await boot(args);
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
