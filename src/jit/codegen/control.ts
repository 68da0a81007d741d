// Control transfers end a unit. Direct targets chain through their table slots with a
// tail call; indirect targets (jalr) are looked up in the jump cache in linear memory,
// tagged with the code context, and only a miss returns to the monitor.
import type { Insn } from '../../isa/insn.js';
import { Op } from '../../isa/opcodes.js';
import { EXIT } from '../exits.js';
import { CONTEXT_OFFSET, PC_OFFSET, STATE, type Fragment } from './fragment.js';

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
      jumpIndirect(f);
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

/** Jumps to the address in t64c (registers already written back). */
function jumpIndirect(f: Fragment): void {
  const c = f.c;
  const base = f.ctx.jumpCacheBase;
  c.i32Const(STATE).localGet(f.t64c).i64Store(PC_OFFSET);
  // entry = ((target >> 1) & mask) * 16: {tag: i64, context: i32, slot: i32}
  c.localGet(f.t64c).i64Const(1n).i64ShrU().i32WrapI64().i32Const(f.ctx.jumpCacheMask).i32And().i32Const(4).i32Shl()
    .localTee(f.t32a).i64Load(base).localGet(f.t64c).i64Eq()
    .localGet(f.t32a).i32Load(base + 8).i32Const(STATE).i32Load(CONTEXT_OFFSET).i32Eq().i32And()
    .if_();
  f.countChained();
  c.localGet(f.t32a).i32Load(base + 12).returnCallIndirect(f.ctx.ccfType);
  c.end();
  c.i32Const(EXIT.JUMP_CACHE_MISS).return_();
}
