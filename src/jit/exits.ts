// Why generated code (a compiled fragment or the fast interpreter) returned to the
// monitor. Every exit leaves the guest registers and state.pc exact in linear memory.
export const EXIT = {
  /** The slice's budget is spent; state.pc is the next instruction. */
  BUDGET: 0,
  /**
   * The fast interpreter reached a block that has run often enough to compile (or that
   * has compiled code the jump cache does not point to); state.pc is its first instruction.
   */
  COMPILE: 1,
  /** The instruction at state.pc is for the monitor (trap-lowered sensitive, illegal, page-straddling, ...). */
  MONITOR: 2,
  /** A helper asked for the monitor (device, code write, interrupt, a callout that jumped); state.pc is next. */
  ATTENTION: 3,
  /** A tier-1 unit became hot; state.pc is its first instruction (nothing executed). */
  HOT: 4,
  /**
   * In-TC code changed state the monitor tracks (an interrupt enable, the privilege
   * level): it re-evaluates pending interrupts and translation; state.pc is next.
   */
  RECHECK: 5,
} as const;

export const EXIT_NAMES = ['budget', 'compile', 'monitor', 'attention', 'hot', 'recheck'] as const;

/**
 * Table slots every translation-cache table starts with. The fast interpreter sits in
 * INTERP_SLOT and in every slot with no code yet, so a chained jump to code not compiled
 * goes on in the interpreter without leaving Wasm (it counts the entry towards compiling
 * the target); INTERP_FINISH_SLOT runs what is left of a slice that a fragment's whole
 * unit would overrun, without counting anything.
 */
export const INTERP_SLOT = 0;
export const INTERP_FINISH_SLOT = 1;
export const FIRST_FRAGMENT_SLOT = 2;

/**
 * Or-ed into the size argument of the load and store helpers when the access's device
 * case is lowered as a trap: a device access then leaves to the monitor, which emulates
 * the instruction, instead of being performed by the helper (a callout).
 */
export const DEVICE_ACCESS_TRAPS = 0x100;

/**
 * Or-ed into the store helper's size argument by how a store's page-table-write case is
 * lowered (shadow paging): PT_WRITE_TRAPS leaves such a store to the monitor;
 * PT_WRITE_INLINE marks a site compiled with the in-TC form (codegen/memory.ts), for
 * which the helper enters the page in the store TLB with the page-table tag.
 */
export const PT_WRITE_TRAPS = 0x200;
export const PT_WRITE_INLINE = 0x400;
