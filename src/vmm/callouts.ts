// The monitor's side of callouts: compiled code calls here with a pre-decoded sensitive
// instruction and carries on unless told to leave. Emulation is the same code the
// trap-and-emulate path runs (src/machine/system.ts), so every lowering agrees; the
// difference is what it costs to get here.
import { CAUSE } from '../isa/csr-numbers.js';
import type { Insn } from '../isa/insn.js';
import type { CsrEnvironment } from '../machine/csr-file.js';
import { SLOT } from '../machine/hart-state.js';
import type { Hart } from '../machine/hart.js';
import { environmentException, executeSystem, SystemResult } from '../machine/system.js';
import { TrapSignal } from '../machine/trap.js';
import { CalloutOutcome, type MonitorPort } from '../jit/monitor-port.js';

export class MonitorCallouts implements MonitorPort {
  constructor(private readonly hart: Hart, private readonly csr: CsrEnvironment) {}

  emulate(insn: Insn, pc: bigint, nextPc: bigint): CalloutOutcome {
    const hart = this.hart;
    // ecall and ebreak always raise: deliver straight away rather than throw and catch.
    const raised = environmentException(insn, pc, hart.priv);
    if (raised) return this.deliver(raised.cause, raised.tval, pc);
    try {
      const result = executeSystem(insn, pc, hart, this.csr);
      if (result === SystemResult.Jumped) return CalloutOutcome.Leave;
      hart.state[SLOT.pc] = nextPc;
      return result === SystemResult.Idle ? CalloutOutcome.Idle : CalloutOutcome.Continue;
    } catch (e) {
      if (!(e instanceof TrapSignal)) throw e;
      // Delivered here, as the trap path would: no unwinding through compiled code.
      return this.deliver(e.cause, e.cause === CAUSE.ILLEGAL_INSTRUCTION ? BigInt(insn.raw) : e.tval, pc);
    }
  }

  private deliver(cause: number, tval: bigint, pc: bigint): CalloutOutcome {
    return this.hart.deliverException(cause, tval, pc) ? CalloutOutcome.TrapLoop : CalloutOutcome.Fault;
  }
}
