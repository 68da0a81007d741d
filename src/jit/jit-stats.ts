// The JIT's own counters, for --stats.
export class JitStats {
  translations = 0;
  modules = 0;
  bytesEmitted = 0;
  compileMillis = 0;
  instantiateMillis = 0;
  exits = [0, 0, 0, 0, 0, 0, 0];
  promotions = 0;
  /** Hot units left at tier 1 because no loop runs through them. */
  rejectedPromotions = 0;
  /** Regions returned to tier 1 after their trial (they did not loop enough). */
  demotions = 0;
  /** Instructions left to the monitor (trap-and-emulate), by sensitive class or reason. */
  readonly monitorExits = new Map<string, number>();
  /** Callouts made, by sensitive class. */
  readonly callouts = new Map<string, number>();
  regionUnits = 0;
  optimizeMillis = 0;
}
