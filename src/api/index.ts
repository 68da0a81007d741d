export { Machine, ENGINES, DEFAULT_ADAPTIVE_THRESHOLD } from './machine.js';
export type { MachineOptions, RunOptions, RunOutcome, RunStats, TraceEvent } from './machine.js';
export { GuestImageError } from '../machine/image-error.js';
export { loadOptimizer } from '../jit/optimize.js';
export { parsePolicy, describePolicy, LOWERINGS } from '../jit/lowering.js';
export type { Lowering, SensitiveOptions, SensitivePolicy } from '../jit/lowering.js';
export { SENSITIVE_CLASSES } from '../isa/sensitive.js';
