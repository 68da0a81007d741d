// Runs the guest on the JIT's generated code (the fast interpreter and compiled
// fragments), with the reference interpreter as the monitor's emulator for the single
// instructions they leave to it: sensitive instructions lowered as traps, instructions at
// a fetch fault, illegal words and page-straddling instructions.
import type { Board } from '../machine/board.js';
import { readCount, SLOT, writeCount } from '../machine/hart-state.js';
import { EXIT } from '../jit/exits.js';
import type { JitEngine } from '../jit/engine.js';
import { StopReason, type Interpreter } from '../interp/interpreter.js';

export class JitExecutor {
  constructor(private readonly board: Board, readonly jit: JitEngine, private readonly interp: Interpreter) {}

  /** Executes at most `limit` instructions; the same contract as Interpreter.run. */
  run(limit: number): StopReason {
    const hart = this.board.hart;
    const end = hart.executedCount + limit;
    for (;;) {
      const left = end - hart.executedCount;
      if (left <= 0) return StopReason.Limit;
      if (hart.interruptsDirty) hart.deliverInterrupt();
      if (hart.stopRequested) return StopReason.Requested;
      const r = this.jit.run(left);
      if (r.exception) {
        const e = r.exception;
        if (hart.deliverException(e.cause, e.tval, hart.state[SLOT.pc])) return StopReason.TrapLoop;
        continue;
      }
      if (r.trapLoop) return StopReason.TrapLoop;
      if (r.idle) return StopReason.Idle;
      if (hart.executedCount >= end) return StopReason.Limit;
      if (r.exit === EXIT.MONITOR) {
        this.jit.noteMonitorExit();
        const before = hart.executedCount;
        const reason = this.interp.run(1);
        const words = hart.stateWords;
        writeCount(words, SLOT.monitorInsns, readCount(words, SLOT.monitorInsns) + hart.executedCount - before);
        if (reason !== StopReason.Limit) return reason;
      }
      // EXIT.ATTENTION, EXIT.RECHECK: the loop head serves interrupts and stop requests.
    }
  }
}
