// Tier 2's optimizer: binaryen, loaded on demand (it is large and loads asynchronously).
// Without it, hot regions are still compiled as regions, just not optimized.
type Binaryen = typeof import('binaryen').default;

let binaryen: Binaryen | null = null;
/** -O1: most of -O2's gain on this code (V8's optimizing tier does the rest) at a fraction of its time. */
const OPTIMIZE_LEVEL = 1;
let loading: Promise<boolean> | null = null;

/** Loads binaryen; resolves false (and tier 2 runs unoptimized) if it is not installed. */
export function loadOptimizer(): Promise<boolean> {
  loading ??= import('binaryen').then(
    (m) => { binaryen = m.default; return true; },
    () => false,
  );
  return loading;
}

/** Optimizes a module with binaryen (-O1 by default), or returns null when binaryen is not loaded. */
export function optimizeModule(bytes: Uint8Array): Uint8Array | null {
  const b = binaryen;
  if (!b) return null;
  const mod = b.readBinary(bytes);
  try {
    mod.setFeatures(b.Features.MVP | b.Features.SignExt | b.Features.TailCall | b.Features.MutableGlobals);
    b.setOptimizeLevel(OPTIMIZE_LEVEL);
    b.setShrinkLevel(0);
    mod.optimize();
    return mod.emitBinary();
  } finally {
    mod.dispose();
  }
}
