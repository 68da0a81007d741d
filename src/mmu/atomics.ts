// LR/SC and the AMOs (A, Zabha, Zacas except amocas.q) on guest memory: one home for
// their semantics, used by the interpreter and by the JIT's atomic helper.
import { AmoKind, amoShape } from '../isa/amo.js';
import { sext } from '../isa/bits.js';
import { CAUSE } from '../isa/csr-numbers.js';
import { Op } from '../isa/opcodes.js';
import type { AccessSize } from '../machine/bus.js';
import { NO_RESERVATION, SLOT } from '../machine/hart-state.js';
import { raise } from '../machine/trap.js';
import type { GuestMemory } from './guest-memory.js';
import { Access } from './sv39.js';

/**
 * Executes an atomic at `vaddr` with rs2's value `src` (and, for CAS, rd's value
 * `compare`). Returns what rd receives, as a 64-bit pattern. Faults are raised as
 * TrapSignals: misaligned LR -> cause 4; misaligned SC/AMO -> cause 6; AMOs and SC need
 * write permission and report store/AMO faults, even a CAS that fails.
 */
export function executeAtomic(mem: GuestMemory, s: BigUint64Array, op: Op, vaddr: bigint, src: bigint, compare: bigint): bigint {
  if (op === Op.LR_W || op === Op.LR_D) {
    const size = op === Op.LR_W ? 4 : 8;
    if ((vaddr & BigInt(size - 1)) !== 0n) raise(CAUSE.MISALIGNED_LOAD, vaddr);
    const pa = mem.translateData(vaddr, Access.Load);
    const v = mem.loadPhysical(pa, size, vaddr, Access.Load);
    s[SLOT.reservation] = BigInt(pa);
    return sext(v, size * 8);
  }
  if (op === Op.SC_W || op === Op.SC_D) {
    const size = op === Op.SC_W ? 4 : 8;
    if ((vaddr & BigInt(size - 1)) !== 0n) raise(CAUSE.MISALIGNED_STORE, vaddr);
    const pa = mem.translateData(vaddr, Access.Store);
    const ok = s[SLOT.reservation] === BigInt(pa);
    s[SLOT.reservation] = NO_RESERVATION;
    if (ok) mem.storePhysical(pa, size, src, vaddr);
    return ok ? 0n : 1n;
  }
  const amo = amoShape(op);
  if (!amo || amo.bytes === 16) throw new Error(`executeAtomic: not handled here: ${Op[op]}`);
  const size = amo.bytes as AccessSize;
  const bits = size * 8;
  if ((vaddr & BigInt(size - 1)) !== 0n) raise(CAUSE.MISALIGNED_STORE, vaddr);
  const pa = mem.translateData(vaddr, Access.Store);
  const old = mem.loadPhysical(pa, size, vaddr, Access.Store);
  const value = BigInt.asUintN(bits, src);
  if (amo.kind === AmoKind.CAS) {
    if (old === BigInt.asUintN(bits, compare)) mem.storePhysical(pa, size, value, vaddr);
  } else {
    mem.storePhysical(pa, size, amoResult(amo.kind, old, value, bits), vaddr);
  }
  return sext(old, bits);
}

/**
 * The value an AMO (other than CAS) stores, given the old memory value and rs2, both
 * taken at the access width of `bits`.
 */
export function amoResult(kind: AmoKind, old: bigint, src: bigint, bits: number): bigint {
  const signed = (v: bigint) => BigInt.asIntN(bits, v);
  const unsigned = (v: bigint) => BigInt.asUintN(bits, v);
  switch (kind) {
    case AmoKind.SWAP: return unsigned(src);
    case AmoKind.ADD: return unsigned(old + src);
    case AmoKind.XOR: return unsigned(old ^ src);
    case AmoKind.AND: return unsigned(old & src);
    case AmoKind.OR: return unsigned(old | src);
    case AmoKind.MIN: return signed(old) < signed(src) ? unsigned(old) : unsigned(src);
    case AmoKind.MAX: return signed(old) > signed(src) ? unsigned(old) : unsigned(src);
    case AmoKind.MINU: return unsigned(old) < unsigned(src) ? unsigned(old) : unsigned(src);
    case AmoKind.MAXU: return unsigned(old) > unsigned(src) ? unsigned(old) : unsigned(src);
    default: throw new Error(`not a read-modify-write AMO: ${AmoKind[kind]}`);
  }
}
