// Value types, block types and other single-byte codes of the WebAssembly binary format
// (core spec 2.0, section 5.3). Plain numeric constants rather than `const enum`s: with
// `isolatedModules` const enums are not inlined across files, and a number is exactly
// what the emitter writes.

/** A value type as its binary code (one of the constants below). */
export type ValType = number;

export const I32 = 0x7f;
export const I64 = 0x7e;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;
export const FUNCREF = 0x70;
export const EXTERNREF = 0x6f;

/** Block type of a block/loop/if that yields nothing; a ValType there means one result. */
export const BLOCK_VOID = 0x40;

/** Section ids, in the order the spec requires them (custom sections aside). */
export const SECTION = {
  custom: 0,
  type: 1,
  import: 2,
  function: 3,
  table: 4,
  memory: 5,
  global: 6,
  export: 7,
  start: 8,
  element: 9,
  code: 10,
  data: 11,
  dataCount: 12,
} as const;

/** Import/export descriptor kinds. */
export const EXTERNAL = { func: 0x00, table: 0x01, memory: 0x02, global: 0x03 } as const;

/** The form byte that starts every function type in the type section. */
export const FUNC_TYPE_FORM = 0x60;

/** Natural alignment (log2 of the access size in bytes) keyed by access size. */
export function naturalAlign(sizeBytes: 1 | 2 | 4 | 8): number {
  return sizeBytes === 1 ? 0 : sizeBytes === 2 ? 1 : sizeBytes === 4 ? 2 : 3;
}

export function valTypeName(t: ValType): string {
  switch (t) {
    case I32: return 'i32';
    case I64: return 'i64';
    case F32: return 'f32';
    case F64: return 'f64';
    case V128: return 'v128';
    case FUNCREF: return 'funcref';
    case EXTERNREF: return 'externref';
    default: return `0x${t.toString(16)}`;
  }
}
