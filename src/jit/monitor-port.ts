// What compiled code's callouts ask of the monitor. The JIT sits below the monitor
// (src/vmm), which implements this port and hands it to the engine.
import type { Insn } from '../isa/insn.js';

export enum CalloutOutcome {
  /** Done; carry on with the next instruction in compiled code. */
  Continue,
  /** Done, and control went elsewhere (xRET): leave; state.pc says where. */
  Leave,
  /** The instruction raised an exception, already delivered: leave; state.pc is the handler. */
  Fault,
  /** As Fault, and the hart is stuck in a trap loop. */
  TrapLoop,
  /** WFI with nothing pending: leave so the monitor can idle; state.pc is the next instruction. */
  Idle,
}

export interface MonitorPort {
  /**
   * Emulates the sensitive instruction `insn` at `pc` (counters in the state block are
   * exact), exactly as trap-and-emulate would.
   */
  emulate(insn: Insn, pc: bigint, nextPc: bigint): CalloutOutcome;
}
