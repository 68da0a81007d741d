// Which executor ran how many instructions (--stats): the fast interpreter and tier-2
// regions each open a span when entered, with the budget at that point, and add what the
// budget fell by to their count whenever they leave (a return or a tail call). Tier-1
// fragments open none: their count is what remains. A guest exception raised by a helper
// unwinds without leaving normally; the engine closes the open span then (JitEngine.run).
import { SLOT } from '../../machine/hart-state.js';
import type { Emitter } from './emitter.js';

export enum SPAN { None = 0, Interpreter = 1, Region = 2 }

/** The span slot: kind in the low word, the budget at the span's start in the high word. */
export const SPAN_KIND_OFFSET = SLOT.span * 8;
export const SPAN_START_OFFSET = SLOT.span * 8 + 4;
const BUDGET_OFFSET = SLOT.budget * 8;

/** The state slot counting the instructions of spans of `kind`. */
export function spanCountSlot(kind: SPAN.Interpreter | SPAN.Region): number {
  return kind === SPAN.Interpreter ? SLOT.interpInsns : SLOT.regionInsns;
}

/**
 * Closes the open span of `kind`: its count += start - budget. `budget` pushes the budget
 * (i32) as it stands; by default it is read from the state block.
 */
export function spanAdd(e: Emitter, kind: SPAN.Interpreter | SPAN.Region, budget?: () => void): void {
  const c = e.c;
  const count = spanCountSlot(kind) * 8;
  e.vm();
  e.vm();
  c.i64Load(count);
  e.vm();
  c.i32Load(SPAN_START_OFFSET);
  if (budget) budget();
  else { e.vm(); c.i32Load(BUDGET_OFFSET); }
  c.i32Sub().i64ExtendI32U().i64Add().i64Store(count);
  e.vm();
  c.i32Const(SPAN.None).i32Store(SPAN_KIND_OFFSET);
}
