// Control transfers end a unit. Direct targets chain through their table slots with a
// tail call (or, under paging, through the jump cache when they are on another page);
// indirect targets (jalr) are looked up in the jump cache in linear memory, tagged with
// the code context, and only a miss returns to the monitor.
import type { Insn } from '../../isa/insn.js';
import { Op } from '../../isa/opcodes.js';
import type { Fragment } from './fragment.js';

export function emitControl(f: Fragment, insn: Insn, pc: bigint): boolean {
  const c = f.c;
  const next = BigInt.asUintN(64, pc + BigInt(insn.len));
  const target = BigInt.asUintN(64, pc + BigInt(insn.imm));
  switch (insn.op) {
    case Op.JAL:
      if (insn.rd !== 0) { c.i64Const(BigInt.asIntN(64, next)); f.set(insn.rd); }
      f.chain(target);
      return true;
    case Op.JALR:
      // The target comes from rs1 before rd is written (they may be the same register).
      f.get(insn.rs1);
      c.i64Const(BigInt(insn.imm)).i64Add().i64Const(-2n).i64And().localSet(f.t64c);
      if (insn.rd !== 0) { c.i64Const(BigInt.asIntN(64, next)); f.set(insn.rd); }
      f.writeBack();
      f.jumpThroughCache();
      return true;
    case Op.BEQ: case Op.BNE: case Op.BLT: case Op.BGE: case Op.BLTU: case Op.BGEU:
      f.get(insn.rs1);
      f.get(insn.rs2);
      switch (insn.op) {
        case Op.BEQ: c.i64Eq(); break;
        case Op.BNE: c.i64Ne(); break;
        case Op.BLT: c.i64LtS(); break;
        case Op.BGE: c.i64GeS(); break;
        case Op.BLTU: c.i64LtU(); break;
        default: c.i64GeU();
      }
      c.if_();
      f.chain(target);
      c.end();
      f.chain(next);
      return true;
    default:
      return false;
  }
}
