// A small writer for flattened devicetree blobs (DTB), written from the Devicetree
// Specification v0.4, chapter 5 ("Flattened Devicetree (DTB) Format"). Build a tree of
// FdtNode objects, set properties through the typed helpers, then serialize(). Values are
// encoded at the moment they are set, so a bad value fails where it is written, not later
// inside serialize().

/** Header magic, stored big-endian as the blob's first word. */
export const FDT_MAGIC = 0xd00d_feed;
/** The format version we write, and the oldest version it is backwards compatible with. */
export const FDT_VERSION = 17;
export const FDT_LAST_COMP_VERSION = 16;
/** Struct-block tokens (spec 5.4.1). FDT_NOP (4) is never written. */
export const FDT_BEGIN_NODE = 0x1;
export const FDT_END_NODE = 0x2;
export const FDT_PROP = 0x3;
export const FDT_END = 0x9;
/** The header is ten big-endian u32 fields (spec 5.2). */
export const FDT_HEADER_SIZE = 40;

/** Spec 2.2.1 and 2.2.4: node names and property names are at most 31 characters. */
const MAX_NAME_LENGTH = 31;
// Spec table 2.1 (node names) and 2.2 (property names). A node name must start with a
// letter; the unit address after '@' uses the same characters as the name.
const NODE_NAME = /^[A-Za-z][0-9A-Za-z,._+-]*$/;
const UNIT_ADDRESS = /^[0-9A-Za-z,._+-]+$/;
const PROPERTY_NAME = /^[0-9A-Za-z,._+?#-]+$/;

const U32_MAX = 0xffff_ffff;
const U64_MAX = (1n << 64n) - 1n;

/** Raised for every invalid name, value or tree shape; the message says which and why. */
export class FdtError extends Error {
  override name = 'FdtError';
}

/** A 64-bit quantity: a bigint, or a non-negative safe-integer number. */
export type U64 = number | bigint;

function toU64(value: U64, what: string): bigint {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new FdtError(`${what}: ${value} is not a non-negative safe integer (pass a bigint for larger values)`);
    }
    return BigInt(value);
  }
  if (value < 0n || value > U64_MAX) throw new FdtError(`${what}: ${value} does not fit in 64 bits`);
  return value;
}

function checkU32(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 0 || value > U32_MAX) {
    throw new FdtError(`${what}: ${value} is not a 32-bit unsigned integer`);
  }
  return value;
}

/** Splits a 64-bit value into the two big-endian cells a two-cell address or size uses. */
export function u64Cells(value: U64, what = 'value'): [number, number] {
  const v = toU64(value, what);
  return [Number(v >> 32n), Number(v & 0xffff_ffffn)];
}

/** Formats a unit address as QEMU and the spec's examples do: lowercase hex, no leading zeros. */
export function unitAddress(address: U64): string {
  return toU64(address, 'unit address').toString(16);
}

function checkNodeName(name: string): void {
  const at = name.indexOf('@');
  const base = at < 0 ? name : name.slice(0, at);
  const unit = at < 0 ? undefined : name.slice(at + 1);
  if (base.length === 0 || base.length > MAX_NAME_LENGTH || !NODE_NAME.test(base)) {
    throw new FdtError(
      `invalid node name '${name}': the part before '@' must be 1-${MAX_NAME_LENGTH} characters from ` +
      `[0-9A-Za-z,._+-] and start with a letter`);
  }
  if (unit !== undefined && !UNIT_ADDRESS.test(unit)) {
    throw new FdtError(`invalid node name '${name}': the unit address after '@' must be non-empty and use [0-9A-Za-z,._+-]`);
  }
}

function checkPropertyName(name: string): void {
  if (name.length === 0 || name.length > MAX_NAME_LENGTH || !PROPERTY_NAME.test(name)) {
    throw new FdtError(
      `invalid property name '${name}': must be 1-${MAX_NAME_LENGTH} characters from [0-9A-Za-z,._+?#-]`);
  }
}

const utf8 = new TextEncoder();

/** A string as stored in a property or the strings block: its bytes plus the NUL terminator. */
function nulTerminated(text: string, what: string): Uint8Array {
  if (text.includes('\0')) throw new FdtError(`${what}: string contains a NUL character, which would end it early`);
  const bytes = utf8.encode(text);
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) { out.set(part, at); at += part.length; }
  return out;
}

function encodeU32s(values: readonly number[], what: string): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setUint32(i * 4, checkU32(v, `${what}[${i}]`)));
  return out;
}

/** One node: an ordered list of properties and an ordered list of children. */
export class FdtNode {
  private readonly props = new Map<string, Uint8Array>();
  private readonly kids = new Map<string, FdtNode>();
  private allocatedPhandle: number | undefined;

  /** Use FdtBuilder.root and addChild() rather than constructing nodes directly. */
  constructor(readonly name: string, private readonly tree: FdtBuilder, readonly parent: FdtNode | undefined) {}

  /** The node's path from the root, as used by stdout-path and aliases. */
  get path(): string {
    if (!this.parent) return '/';
    const above = this.parent.path;
    return above === '/' ? `/${this.name}` : `${above}/${this.name}`;
  }

  get properties(): ReadonlyMap<string, Uint8Array> { return this.props; }
  get children(): readonly FdtNode[] { return [...this.kids.values()]; }

  /** Adds a child; the name is `node-name` or `node-name@unit-address` and must be unique here. */
  addChild(name: string): FdtNode {
    checkNodeName(name);
    if (this.kids.has(name)) throw new FdtError(`duplicate node '${name}' under ${this.path}`);
    // dtc warns when a node and a property of its parent share a name; forbid it outright.
    if (this.props.has(name)) throw new FdtError(`node '${name}' under ${this.path} has the same name as a property there`);
    const child = new FdtNode(name, this.tree, this);
    this.kids.set(name, child);
    return child;
  }

  child(name: string): FdtNode | undefined { return this.kids.get(name); }

  /** Stores an already-encoded value. Every typed helper ends here, so the checks live once. */
  setBytes(name: string, value: Uint8Array): this {
    checkPropertyName(name);
    if (this.props.has(name)) throw new FdtError(`duplicate property '${name}' in ${this.path}`);
    if (this.kids.has(name)) throw new FdtError(`property '${name}' in ${this.path} has the same name as a child node`);
    this.props.set(name, value.slice());
    return this;
  }

  /** A property with no value: a boolean flag such as `interrupt-controller` or `ranges`. */
  setEmpty(name: string): this { return this.setBytes(name, new Uint8Array(0)); }

  setU32(name: string, value: number): this { return this.setBytes(name, encodeU32s([value], name)); }

  setU64(name: string, value: U64): this { return this.setBytes(name, encodeU32s(u64Cells(value, name), name)); }

  /** A `<prop-encoded-array>` of cells: reg, interrupts, interrupts-extended and the like. */
  setU32Array(name: string, values: readonly number[]): this { return this.setBytes(name, encodeU32s(values, name)); }

  setString(name: string, value: string): this { return this.setBytes(name, nulTerminated(value, name)); }

  /** A `<stringlist>`: each string NUL-terminated, back to back (e.g. compatible). */
  setStringList(name: string, values: readonly string[]): this {
    if (values.length === 0) throw new FdtError(`${name}: a string list needs at least one string (use setEmpty for a flag)`);
    return this.setBytes(name, concat(values.map((v) => nulTerminated(v, name))));
  }

  /**
   * This node's phandle, allocated from the tree on first use; the `phandle` property is
   * added then. Other nodes put the returned number in their cells to point here.
   */
  phandle(): number {
    if (this.allocatedPhandle === undefined) {
      const handle = this.tree.allocatePhandle();
      this.setU32('phandle', handle);
      this.allocatedPhandle = handle;
    }
    return this.allocatedPhandle;
  }
}

export interface MemoryReservation { address: U64; size: U64 }

/** Offsets and sizes of the serialized blob's sections, for tests and debugging. */
export interface FdtLayout {
  offMemRsvmap: number;
  offDtStruct: number;
  sizeDtStruct: number;
  offDtStrings: number;
  sizeDtStrings: number;
  totalSize: number;
}

/** A whole devicetree: the root node, the memory reservation list and the boot CPU id. */
export class FdtBuilder {
  readonly root: FdtNode = new FdtNode('', this, undefined);
  private readonly reservations: { address: bigint; size: bigint }[] = [];
  private nextPhandle = 1; // 0 and 0xffffffff are not valid phandles (spec 2.3.3)

  /** boot_cpuid_phys in the header: the reg value of the CPU that boots. */
  constructor(readonly bootCpuId = 0) { checkU32(bootCpuId, 'boot CPU id'); }

  /** @internal used by FdtNode.phandle(). */
  allocatePhandle(): number {
    if (this.nextPhandle >= U32_MAX) throw new FdtError('out of phandles');
    return this.nextPhandle++;
  }

  /** Adds a memory reservation block entry: memory the client program must not use. */
  addReservation(address: U64, size: U64): this {
    const a = toU64(address, 'reservation address');
    const s = toU64(size, 'reservation size');
    // A zero-sized entry is meaningless, and {0, 0} would read as the terminator.
    if (s === 0n) throw new FdtError(`reservation at 0x${a.toString(16)} has size 0`);
    if (a + s - 1n > U64_MAX) throw new FdtError(`reservation at 0x${a.toString(16)} size 0x${s.toString(16)} wraps past 2^64`);
    for (const r of this.reservations) {
      if (a < r.address + r.size && r.address < a + s) {
        throw new FdtError(`reservation 0x${a.toString(16)}+0x${s.toString(16)} overlaps 0x${r.address.toString(16)}+0x${r.size.toString(16)}`);
      }
    }
    this.reservations.push({ address: a, size: s });
    return this;
  }

  /** Serializes to a DTB: header, memory reservation block, struct block, strings block. */
  serialize(): Uint8Array { return this.serializeWithLayout().blob; }

  serializeWithLayout(): { blob: Uint8Array; layout: FdtLayout } {
    const strings = new StringsBlock();
    const struct = new StructWriter();
    this.writeNode(this.root, struct, strings);
    struct.u32(FDT_END);
    const structBytes = struct.bytes();
    const stringBytes = strings.bytes();

    // The reservation block must be 8-byte aligned and the struct block 4-byte aligned
    // (spec 5.1); both hold since the 40-byte header and 16-byte entries are multiples of 8.
    const offMemRsvmap = FDT_HEADER_SIZE;
    const offDtStruct = offMemRsvmap + (this.reservations.length + 1) * 16;
    const offDtStrings = offDtStruct + structBytes.length;
    const totalSize = offDtStrings + stringBytes.length;

    const blob = new Uint8Array(totalSize);
    const view = new DataView(blob.buffer);
    const header = [FDT_MAGIC, totalSize, offDtStruct, offDtStrings, offMemRsvmap, FDT_VERSION,
      FDT_LAST_COMP_VERSION, this.bootCpuId, stringBytes.length, structBytes.length];
    header.forEach((v, i) => view.setUint32(i * 4, v));
    // The terminating {0, 0} entry is already there: the buffer starts zeroed.
    this.reservations.forEach((r, i) => {
      view.setBigUint64(offMemRsvmap + i * 16, r.address);
      view.setBigUint64(offMemRsvmap + i * 16 + 8, r.size);
    });
    blob.set(structBytes, offDtStruct);
    blob.set(stringBytes, offDtStrings);
    return {
      blob,
      layout: { offMemRsvmap, offDtStruct, sizeDtStruct: structBytes.length, offDtStrings, sizeDtStrings: stringBytes.length, totalSize },
    };
  }

  private writeNode(node: FdtNode, out: StructWriter, strings: StringsBlock): void {
    out.u32(FDT_BEGIN_NODE);
    out.bytes4(nulTerminated(node.name, 'node name')); // the root's name is the empty string
    for (const [name, value] of node.properties) {
      out.u32(FDT_PROP);
      out.u32(value.length);
      out.u32(strings.offsetOf(name));
      out.bytes4(value);
    }
    for (const child of node.children) this.writeNode(child, out, strings);
    out.u32(FDT_END_NODE);
  }
}

/** The strings block: each property name once, NUL-terminated, found by byte offset. */
class StringsBlock {
  private readonly offsets = new Map<string, number>();
  private readonly parts: Uint8Array[] = [];
  private size = 0;

  offsetOf(name: string): number {
    let offset = this.offsets.get(name);
    if (offset === undefined) {
      const bytes = nulTerminated(name, 'property name');
      offset = this.size;
      this.offsets.set(name, offset);
      this.parts.push(bytes);
      this.size += bytes.length;
    }
    return offset;
  }

  bytes(): Uint8Array { return concat(this.parts); }
}

/** Appends big-endian words and 4-byte-padded byte runs, as the struct block requires. */
class StructWriter {
  private readonly parts: Uint8Array[] = [];

  u32(value: number): void {
    const word = new Uint8Array(4);
    new DataView(word.buffer).setUint32(0, value);
    this.parts.push(word);
  }

  /** Writes the bytes then zero padding up to the next 4-byte boundary (spec 5.4.1). */
  bytes4(bytes: Uint8Array): void {
    const padded = new Uint8Array((bytes.length + 3) & ~3);
    padded.set(bytes);
    this.parts.push(padded);
  }

  bytes(): Uint8Array { return concat(this.parts); }
}
