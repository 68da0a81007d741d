export { Machine, ENGINES } from './machine.js';
export type { MachineOptions, RunOptions, RunOutcome, RunStats, TraceEvent } from './machine.js';
export { GuestImageError } from '../machine/image-error.js';
export { loadOptimizer } from '../jit/optimize.js';
