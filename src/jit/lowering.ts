// How compiled code handles each class of sensitive instruction (src/isa/sensitive.ts):
//   trap     the fragment ends before the instruction and returns to the monitor, which
//            fetches, decodes and emulates it and then re-enters compiled code;
//   callout  the fragment calls the monitor with the pre-decoded instruction and carries
//            on in the same fragment;
//   intc     the fragment emulates the instruction inline in Wasm where it can (the common
//            cases listed in codegen/sensitive-intc.ts) and calls out for the rest.
// A policy gives one lowering per class; it is chosen per run, written as a default plus
// overrides ("intc,csr-write=callout"), and every unit's TC key holds the lowering of each
// sensitive instruction it contains.
import { SENSITIVE_CLASSES, SensitiveClass } from '../isa/sensitive.js';

export type Lowering = 'trap' | 'callout' | 'intc';
export const LOWERINGS: readonly Lowering[] = ['trap', 'callout', 'intc'];

export type SensitivePolicy = Readonly<Record<SensitiveClass, Lowering>>;

/** The API's form: a default lowering plus per-class overrides (class names as in --help). */
export interface SensitiveOptions {
  default?: Lowering;
  classes?: Partial<Record<`${SensitiveClass}`, Lowering>>;
}

/** What runs get unless told otherwise: the fastest lowering everywhere. */
export const DEFAULT_POLICY: SensitivePolicy = uniformPolicy('intc');

export function uniformPolicy(lowering: Lowering): SensitivePolicy {
  return Object.fromEntries(SENSITIVE_CLASSES.map((c) => [c, lowering])) as Record<SensitiveClass, Lowering>;
}

function checkLowering(value: unknown, where: string): Lowering {
  if (typeof value === 'string' && (LOWERINGS as readonly string[]).includes(value)) return value as Lowering;
  throw new RangeError(`${where}: unknown lowering "${String(value)}" (expected ${LOWERINGS.join(', ')})`);
}

function checkClass(name: string, where: string): SensitiveClass {
  if ((SENSITIVE_CLASSES as readonly string[]).includes(name)) return name as SensitiveClass;
  throw new RangeError(`${where}: unknown sensitive class "${name}" (classes: ${SENSITIVE_CLASSES.join(', ')})`);
}

/** Parses "intc", "trap,counter=intc" or "counter=callout" (unnamed classes keep the default). */
export function parsePolicy(text: string): SensitivePolicy {
  const where = `--sensitive ${text}`;
  const items = text.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new RangeError(`${where}: empty item`);
  let base: Lowering = DEFAULT_POLICY[SensitiveClass.CounterRead];
  const overrides: [SensitiveClass, Lowering][] = [];
  items.forEach((item, i) => {
    const eq = item.indexOf('=');
    if (eq < 0) {
      if (i !== 0) throw new RangeError(`${where}: the default lowering ("${item}") must come first`);
      base = checkLowering(item, where);
    } else {
      overrides.push([checkClass(item.slice(0, eq), where), checkLowering(item.slice(eq + 1), where)]);
    }
  });
  return { ...uniformPolicy(base), ...Object.fromEntries(overrides) };
}

/** The policy an embedder asked for: a string as on the command line, or an options object. */
export function resolvePolicy(spec: string | SensitiveOptions | undefined): SensitivePolicy {
  if (spec === undefined) return DEFAULT_POLICY;
  if (typeof spec === 'string') return parsePolicy(spec);
  if (typeof spec !== 'object' || spec === null) throw new TypeError('sensitive: expected a string or { default, classes }');
  const base = spec.default === undefined ? DEFAULT_POLICY : uniformPolicy(checkLowering(spec.default, 'sensitive.default'));
  const policy: Record<SensitiveClass, Lowering> = { ...base };
  for (const [name, lowering] of Object.entries(spec.classes ?? {})) {
    policy[checkClass(name, 'sensitive.classes')] = checkLowering(lowering, `sensitive.classes.${name}`);
  }
  return policy;
}

/** The shortest text that parsePolicy reads back as `policy`: its most common lowering plus overrides. */
export function describePolicy(policy: SensitivePolicy): string {
  const counts = new Map<Lowering, number>();
  for (const c of SENSITIVE_CLASSES) counts.set(policy[c], (counts.get(policy[c]) ?? 0) + 1);
  const base = LOWERINGS.reduce((a, b) => ((counts.get(b) ?? 0) > (counts.get(a) ?? 0) ? b : a));
  const overrides = SENSITIVE_CLASSES.filter((c) => policy[c] !== base).map((c) => `${c}=${policy[c]}`);
  return [base, ...overrides].join(',');
}
