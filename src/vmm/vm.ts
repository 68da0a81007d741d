// The monitor's run loop: runs the engine in slices bounded by the instruction limit and
// the next timer event, services HTIF, idles on WFI, and records why the run ended.
import { IRQ } from '../isa/csr-numbers.js';
import { Board, type BoardOptions } from '../machine/board.js';
import { TIMEBASE_HZ } from '../machine/clock.js';
import type { CsrEnvironment } from '../machine/csr-file.js';
import type { PowerEvent } from '../machine/devices/syscon.js';
import { parseElf } from '../machine/elf.js';
import { SLOT } from '../machine/hart-state.js';
import { rawImage } from '../machine/raw-image.js';
import { Interpreter, StopReason } from '../interp/interpreter.js';
import { TRAP_LOOP_LIMIT } from '../machine/hart.js';
import { exceptionName } from './stats.js';
import type { MisalignedPolicy } from '../mmu/guest-memory.js';
import { DEFAULT_JIT_OPTIONS, JitEngine, type JitOptions } from '../jit/engine.js';
import { JitExecutor } from './jit-executor.js';
import { MonitorCallouts } from './callouts.js';
import { bootBoard, type BootImages, type BootLayout } from './boot.js';
import { SbiFirmware } from './sbi.js';

/** How a run ended. */
export type RunOutcome =
  | { kind: 'exit'; code: number }
  | { kind: 'limit' }
  | { kind: 'reset' }
  | { kind: 'halted'; message: string }
  /**
   * WFI with only external (PLIC) interrupts enabled: host input may wake the guest.
   * Deliver input (or call endInput()) and run again.
   */
  | { kind: 'waiting' };

export type EngineName = 'jit' | 'interp';

export interface VmOptions extends Omit<BoardOptions, 'power'> {
  misaligned: MisalignedPolicy;
  engine: EngineName;
  jit?: Partial<JitOptions>;
}

/** Unwakeable WFIs in a row (no trap between them) before the run is declared halted. */
export const UNWAKEABLE_WFI_LIMIT = 1000;
const EXTERNAL_INTERRUPTS = (1n << BigInt(IRQ.MEI)) | (1n << BigInt(IRQ.SEI));

/** Instructions per slice when nothing else bounds it: how often the monitor looks up. */
const SLICE = 1 << 20;
/** The shortest slice when the host clock's next timer event bounds it. */
const MIN_REALTIME_SLICE = 1000;

export class VirtualMachine {
  readonly board: Board;
  readonly interp: Interpreter;
  /** The JIT, when it is the engine. */
  readonly jit: JitEngine | null = null;
  private readonly executor: { run(limit: number): StopReason };
  readonly csrEnv: CsrEnvironment;
  private outcome: RunOutcome | null = null;
  /** The monitor's SBI, when it plays the firmware (boot with no --bios). */
  sbi: SbiFirmware | null = null;
  private inputEnded = false;
  private unwakeableWfis = 0;
  private trapsAtLastUnwakeableWfi = 0;
  /** Guest instructions per mtime tick lately (realtime clock; a low guess to start). */
  private insnsPerTick = 0.1;
  /** When the current run() must return (performance.now() time). */
  private wallDeadline = Infinity;
  /** Host time spent in run(), for MIPS figures. */
  wallMillis = 0;

  constructor(options: VmOptions) {
    this.board = new Board({ ...options, power: (e) => this.power(e) });
    const { hart, clock } = this.board;
    this.csrEnv = {
      state: hart.state,
      mtime: () => clock.mtime(),
      translationChanged: () => hart.translationsChanged(),
      interruptsChanged: () => { hart.interruptsDirty = true; },
    };
    if (options.engine === 'jit') {
      const callouts = new MonitorCallouts(hart, this.csrEnv);
      this.jit = new JitEngine(this.board, options.misaligned, { ...DEFAULT_JIT_OPTIONS, ...options.jit }, callouts);
      // The monitor's emulator translates through the same MMU mode as compiled code.
      this.interp = new Interpreter(this.board, this.csrEnv, options.misaligned, this.jit.translationMemo.translate);
      this.executor = new JitExecutor(this.board, this.jit, this.interp);
    } else {
      this.interp = new Interpreter(this.board, this.csrEnv, options.misaligned);
      this.executor = this.interp;
    }
  }

  /**
   * Loads firmware, kernel, initrd and device tree as the virt board's loader does and
   * starts the hart at the first stage. With no firmware the monitor serves SBI.
   */
  boot(images: BootImages): BootLayout {
    const board = this.board;
    this.noFirmware();
    if (images.bios === null) {
      this.sbi = new SbiFirmware({
        hart: board.hart, bus: board.bus, clint: board.clint, uart: board.uart,
        output: (bytes) => board.consoleOutput(bytes),
        power: (e) => this.power(e),
      });
      board.hart.supervisorCalls = this.sbi;
    }
    board.detachHtif();
    const layout = bootBoard(board, images, this.sbi);
    this.outcome = null;
    return layout;
  }

  loadElf(bytes: Uint8Array, name: string): void {
    this.noFirmware();
    this.board.load(parseElf(bytes, name), name);
    this.outcome = null;
  }

  loadRaw(bytes: Uint8Array, address: bigint, name: string): void {
    this.noFirmware();
    this.board.load(rawImage(bytes, address, name), name);
    this.outcome = null;
  }

  /** A bare-metal image runs from M-mode with no SBI of the monitor's. */
  private noFirmware(): void {
    this.sbi = null;
    this.board.hart.supervisorCalls = null;
    this.board.clint.supervisorTimecmp = null;
  }

  private power(event: PowerEvent): void {
    if (event.kind === 'pass') this.outcome = { kind: 'exit', code: 0 };
    else if (event.kind === 'fail') this.outcome = { kind: 'exit', code: event.code };
    else this.outcome = { kind: 'reset' };
    this.board.hart.stopRequested = true;
  }

  /**
   * Runs until the guest exits, `maxInsns` more instructions have executed, or (checked
   * between slices and while idle) `maxMillis` of host time have passed: an interactive
   * host regains control that often even while the guest sleeps.
   */
  run(maxInsns = Infinity, maxMillis = Infinity): RunOutcome {
    const { hart, clint } = this.board;
    const start = performance.now();
    const stopAt = hart.executedCount + maxInsns;
    this.wallDeadline = start + maxMillis;
    try {
      while (this.outcome === null) {
        const executed = hart.executedCount;
        if (executed >= stopAt || performance.now() >= this.wallDeadline) return { kind: 'limit' };
        clint.updateTimer();
        let slice = Math.min(SLICE, stopAt - executed);
        const deadline = clint.nextDeadline();
        const untilTimer = deadline === null ? null : this.untilDeadline(deadline);
        if (untilTimer !== null && untilTimer > 0n && untilTimer < BigInt(slice)) slice = Number(untilTimer);
        const sliceStart = performance.now();
        const reason = this.executor.run(slice);
        this.measureRate(hart.executedCount - executed, performance.now() - sliceStart);
        if (this.board.htif?.pending) this.board.htif.poll();
        // A stop request without an outcome (a device wanting attention) is served now.
        if (this.outcome === null) hart.stopRequested = false;
        if (reason === StopReason.TrapLoop && this.outcome === null) return this.trapLoop();
        if (reason === StopReason.Idle && this.outcome === null) {
          const halted = this.idle();
          if (halted) return halted;
        }
      }
      return this.outcome;
    } finally {
      this.wallMillis += performance.now() - start;
    }
  }

  /**
   * Instructions until mtime reaches `deadline`. Exact with the instruction clock; with
   * the host clock, estimated from the measured speed, so that a timer interrupt is
   * taken on time rather than at the end of a long slice.
   */
  private untilDeadline(deadline: bigint): bigint | null {
    const clock = this.board.clock;
    const exact = clock.instructionsUntil(deadline);
    if (exact !== null || !clock.realtime) return exact;
    const ticks = deadline - clock.mtime();
    if (ticks <= 0n) return 0n;
    const estimate = Number(ticks) * this.insnsPerTick;
    return BigInt(Math.max(MIN_REALTIME_SLICE, Math.min(SLICE, Math.floor(estimate))));
  }

  /** Keeps insnsPerTick, the guest's recent speed against the host clock (realtime only). */
  private measureRate(executed: number, millis: number): void {
    if (!this.board.clock.realtime || executed < MIN_REALTIME_SLICE || millis <= 0) return;
    const rate = executed / (millis * (TIMEBASE_HZ / 1000));
    this.insnsPerTick = 0.7 * this.insnsPerTick + 0.3 * rate;
  }

  private trapLoop(): RunOutcome {
    const t = this.board.hart.lastTrap!;
    return {
      kind: 'halted',
      message: `guest stuck in a trap loop: ${TRAP_LOOP_LIMIT} exceptions without completing an instruction ` +
        `(last: ${exceptionName(t.cause)} at pc 0x${t.pc.toString(16)}, tval 0x${t.tval.toString(16)}; is the trap vector set?)`,
    };
  }

  /** WFI with nothing pending: move time to the next event, or report that none can come. */
  private idle(): RunOutcome | null {
    const { hart, clint, clock } = this.board;
    const mie = hart.state[SLOT.mie];
    const deadline = clint.nextDeadline(mie);
    if (deadline !== null) {
      if (clock.realtime) sleepUntil(() => clock.mtime() >= deadline || performance.now() >= this.wallDeadline);
      else clock.skipTo(deadline);
      clint.updateTimer();
      return null;
    }
    // Device input (the UART, through the PLIC) is the only thing left that could wake it.
    if (mie & EXTERNAL_INTERRUPTS && !this.inputEnded) return { kind: 'waiting' };
    // Nothing can wake the hart. The spec lets WFI complete anyway (riscv-tests rely on
    // it), so it does; but a guest that keeps sleeping with no trap in between never will
    // make progress, and the run ends instead of spinning forever.
    const traps = hart.exceptionCounts.concat(hart.interruptCounts).reduce((a, b) => a + b, 0);
    if (traps !== this.trapsAtLastUnwakeableWfi) {
      this.trapsAtLastUnwakeableWfi = traps;
      this.unwakeableWfis = 0;
    }
    if (++this.unwakeableWfis < UNWAKEABLE_WFI_LIMIT) return null;
    return {
      kind: 'halted',
      message: `guest halted: WFI at pc 0x${(hart.pc - 4n).toString(16)} ${UNWAKEABLE_WFI_LIMIT} times ` +
        `with no interrupt that could wake it${this.inputEnded ? ' (input has ended)' : ''}`,
    };
  }

  /** No more host input will come: WFI waiting only for device input no longer waits. */
  endInput(): void {
    this.inputEnded = true;
  }
}

/** Blocks the thread in short sleeps until `ready()` (realtime WFI). */
function sleepUntil(ready: () => boolean): void {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  while (!ready()) Atomics.wait(cell, 0, 0, 1);
}
