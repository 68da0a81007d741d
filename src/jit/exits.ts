// Why a compiled fragment returned to the monitor. Every exit leaves the guest registers
// and state.pc exact in linear memory.
export const EXIT = {
  /** The slice's budget cannot cover the next unit; state.pc is its first instruction. */
  BUDGET: 0,
  /** A chained jump reached a slot with no code yet; state.pc is the target. */
  UNCHAINED: 1,
  /** An indirect jump's target was not in the jump cache; state.pc is the target. */
  JUMP_CACHE_MISS: 2,
  /** The instruction at state.pc is for the monitor (sensitive, illegal, atomic, ...). */
  MONITOR: 3,
  /** A helper asked for the monitor (device, code write, interrupt); state.pc is next. */
  ATTENTION: 4,
  /** A tier-1 unit became hot; state.pc is its first instruction (nothing executed). */
  HOT: 5,
  /**
   * In-TC code changed state the monitor tracks (an interrupt enable, the privilege
   * level): it re-evaluates pending interrupts and translation; state.pc is next.
   */
  RECHECK: 6,
} as const;

export const EXIT_NAMES = ['budget', 'unchained', 'jump-cache-miss', 'monitor', 'attention', 'hot', 'recheck'] as const;

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
