// Control transfers. The semantics (conditions, targets, links) are here once; where
// control goes is the emitter's: a compiled unit chains to its target's table slot (or
// looks an indirect target up in the jump cache), the fast interpreter moves its pc.
import { Op } from '../../isa/opcodes.js';
import type { Emitter } from './emitter.js';

/** Emits `op` if it is a control transfer; returns false otherwise. */
export function emitControl(e: Emitter, op: Op): boolean {
  const c = e.c;
  switch (op) {
    case Op.JAL:
      if (!e.rdIsZero) { e.nextPc64(); e.setRd(); }
      e.jumpRelative();
      return true;
    case Op.JALR:
      // The target comes from rs1 before rd is written (they may be the same register).
      e.rs1();
      if (e.knownImm !== 0) { e.imm64(); c.i64Add(); }
      c.i64Const(-2n).i64And().localSet(e.t64c);
      if (!e.rdIsZero) { e.nextPc64(); e.setRd(); }
      e.jumpIndirect();
      return true;
    case Op.BEQ: case Op.BNE: case Op.BLT: case Op.BGE: case Op.BLTU: case Op.BGEU:
      emitCondition(e, op);
      c.if_();
      e.jumpRelative();
      c.end();
      e.fallThrough();
      return true;
    default:
      return false;
  }
}

/** Pushes a branch's condition (i32). */
function emitCondition(e: Emitter, op: Op): void {
  const c = e.c;
  e.rs1();
  e.rs2();
  switch (op) {
    case Op.BEQ: c.i64Eq(); break;
    case Op.BNE: c.i64Ne(); break;
    case Op.BLT: c.i64LtS(); break;
    case Op.BGE: c.i64GeS(); break;
    case Op.BLTU: c.i64LtU(); break;
    default: c.i64GeU();
  }
}
