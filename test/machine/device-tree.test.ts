// The FDT writer and the virt board's device tree: parsed back with an independent reader
// written here from the spec, checked by dtc when it is installed, and compared node by
// node with the tree QEMU's own virt board dumps when qemu-system-riscv64 is installed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildVirtDeviceTree, type VirtDescription } from '../../src/machine/device-tree.js';
import { FdtBuilder, FdtError, u64Cells, unitAddress } from '../../src/machine/fdt.js';

// ---- a test-side DTB reader: strict about every layout rule the writer must follow ----

interface ParsedNode { name: string; props: Map<string, Uint8Array>; children: ParsedNode[] }
interface ParsedBlob {
  header: Record<'magic' | 'totalsize' | 'offStruct' | 'offStrings' | 'offRsvmap' | 'version' | 'lastComp' | 'bootCpu' | 'sizeStrings' | 'sizeStruct', number>;
  reservations: { address: bigint; size: bigint }[];
  strings: string[];
  root: ParsedNode;
}

const ascii = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses and checks a blob. zeroPadding demands the zeroed padding the spec asks for;
 * QEMU's blobs break that rule (libfdt leaves old bytes behind when a value shrinks).
 */
function readBlob(blob: Uint8Array, zeroPadding = true): ParsedBlob {
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const fields = ['magic', 'totalsize', 'offStruct', 'offStrings', 'offRsvmap', 'version', 'lastComp', 'bootCpu', 'sizeStrings', 'sizeStruct'] as const;
  const header = Object.fromEntries(fields.map((f, i) => [f, view.getUint32(i * 4)])) as ParsedBlob['header'];
  if (header.magic !== 0xd00dfeed) throw new Error('bad magic');
  if (header.totalsize !== blob.length) throw new Error(`totalsize ${header.totalsize} != blob length ${blob.length}`);
  if (header.offRsvmap % 8 !== 0) throw new Error('reservation block not 8-aligned');
  if (header.offStruct % 4 !== 0 || header.sizeStruct % 4 !== 0) throw new Error('struct block not 4-aligned');
  if (header.offStrings + header.sizeStrings > blob.length) throw new Error('strings block past the end');

  const reservations: ParsedBlob['reservations'] = [];
  for (let at = header.offRsvmap; ; at += 16) {
    const address = view.getBigUint64(at);
    const size = view.getBigUint64(at + 8);
    if (address === 0n && size === 0n) break;
    reservations.push({ address, size });
  }

  const stringsBytes = blob.subarray(header.offStrings, header.offStrings + header.sizeStrings);
  const stringAt = (offset: number): string => {
    const end = stringsBytes.indexOf(0, offset);
    if (offset >= stringsBytes.length || end < 0) throw new Error(`name offset ${offset} outside the strings block`);
    return ascii.decode(stringsBytes.subarray(offset, end));
  };
  const strings = ascii.decode(stringsBytes).split('\0').slice(0, -1);

  let at = header.offStruct;
  const structEnd = header.offStruct + header.sizeStruct;
  const word = (): number => {
    if (at + 4 > structEnd) throw new Error('struct block overrun');
    const v = view.getUint32(at);
    at += 4;
    return v;
  };
  const skipPadding = (from: number): void => {
    const padded = (from + 3) & ~3;
    for (let i = from; i < padded; i++) if (zeroPadding && blob[i] !== 0) throw new Error(`non-zero padding at ${i}`);
    at = padded;
  };
  const readNode = (): ParsedNode => {
    const nameEnd = blob.indexOf(0, at);
    const node: ParsedNode = { name: ascii.decode(blob.subarray(at, nameEnd)), props: new Map(), children: [] };
    skipPadding(nameEnd + 1);
    for (;;) {
      const token = word();
      if (token === 0x3) {
        if (node.children.length > 0) throw new Error('property after a child node');
        const len = word();
        const name = stringAt(word());
        if (node.props.has(name)) throw new Error(`duplicate property ${name}`);
        node.props.set(name, blob.slice(at, at + len));
        skipPadding(at + len);
      } else if (token === 0x1) {
        node.children.push(readNode());
      } else if (token === 0x2) {
        return node;
      } else if (token !== 0x4) {
        throw new Error(`unexpected token ${token} at ${at - 4}`);
      }
    }
  };
  if (word() !== 0x1) throw new Error('struct block does not begin with FDT_BEGIN_NODE');
  const root = readNode();
  if (word() !== 0x9) throw new Error('no FDT_END after the root node');
  if (at !== structEnd) throw new Error('bytes after FDT_END inside the struct block');
  return { header, reservations, strings, root };
}

function node(root: ParsedNode, path: string): ParsedNode {
  let current = root;
  for (const part of path.split('/').filter(Boolean)) {
    const next = current.children.find((c) => c.name === part);
    if (!next) throw new Error(`no node ${path} (missing ${part})`);
    current = next;
  }
  return current;
}

function prop(root: ParsedNode, path: string, name: string): Uint8Array {
  const value = node(root, path).props.get(name);
  if (!value) throw new Error(`no property ${name} in ${path}`);
  return value;
}

const cells = (v: Uint8Array): number[] => {
  const view = new DataView(v.buffer, v.byteOffset, v.byteLength);
  return Array.from({ length: v.length / 4 }, (_, i) => view.getUint32(i * 4));
};
const u32 = (root: ParsedNode, path: string, name: string): number => {
  const c = cells(prop(root, path, name));
  expect(c).toHaveLength(1);
  return c[0]!;
};
const strs = (root: ParsedNode, path: string, name: string): string[] => {
  const v = prop(root, path, name);
  expect(v[v.length - 1]).toBe(0);
  return ascii.decode(v.subarray(0, -1)).split('\0');
};
const str = (root: ParsedNode, path: string, name: string): string => {
  const list = strs(root, path, name);
  expect(list).toHaveLength(1);
  return list[0]!;
};

function allNodes(n: ParsedNode, path = ''): [string, ParsedNode][] {
  const here = path === '' ? '/' : path;
  return [[here, n], ...n.children.flatMap((c) => allNodes(c, `${path}/${c.name}`))];
}

// ---- the board under test: the same layout as src/machine/board.ts and QEMU's virt ----

const RNG_SEED = Uint8Array.from({ length: 32 }, (_, i) => i * 7 + 1);

function virt(overrides: Partial<VirtDescription> = {}): VirtDescription {
  return {
    ramBase: 0x8000_0000,
    ramSize: 128 * 1024 * 1024,
    isa: 'rv64imac_zicsr_zifencei',
    mmuType: 'riscv,sv39',
    timebaseHz: 10_000_000,
    clint: { base: 0x0200_0000, size: 0x1_0000 },
    plic: { base: 0x0c00_0000, size: 0x60_0000, sources: 96 },
    uart: { base: 0x1000_0000, size: 0x100, irq: 10, clockHz: 3_686_400 },
    syscon: { base: 0x0010_0000, size: 0x1000 },
    virtio: Array.from({ length: 8 }, (_, i) => ({ base: 0x1000_1000 + i * 0x1000, size: 0x1000, irq: i + 1 })),
    bootargs: 'console=ttyS0 earlycon=sbi root=/dev/vda rw',
    initrd: { start: 0x8800_0000, end: 0x8812_3457 },
    rngSeed: RNG_SEED,
    reserved: [{ base: 0x8000_0000, size: 0x8_0000 }],
    ...overrides,
  };
}

describe('FdtBuilder: blob layout', () => {
  it('writes a v17 header whose offsets and sizes describe aligned, back-to-back blocks', () => {
    const { blob, layout } = (() => {
      const fdt = new FdtBuilder(3);
      fdt.addReservation(0x1000, 0x2000).addReservation(0xffff_0000_0000_0000n, 0x10);
      fdt.root.setString('odd', 'abcde').addChild('a@1').setEmpty('flag');
      return fdt.serializeWithLayout();
    })();
    const parsed = readBlob(blob);
    expect(parsed.header).toMatchObject({
      magic: 0xd00dfeed, version: 17, lastComp: 16, bootCpu: 3, totalsize: blob.length,
      offRsvmap: layout.offMemRsvmap, offStruct: layout.offDtStruct, offStrings: layout.offDtStrings,
      sizeStruct: layout.sizeDtStruct, sizeStrings: layout.sizeDtStrings,
    });
    expect(parsed.header.offRsvmap).toBe(40);
    expect(parsed.header.offStruct).toBe(40 + 3 * 16); // two entries and the terminator
    expect(parsed.header.offStrings).toBe(parsed.header.offStruct + parsed.header.sizeStruct);
    expect(parsed.reservations).toEqual([{ address: 0x1000n, size: 0x2000n }, { address: 0xffff_0000_0000_0000n, size: 0x10n }]);
    expect(parsed.root.name).toBe('');
    expect(prop(parsed.root, '/', 'odd')).toEqual(new TextEncoder().encode('abcde\0'));
    expect(prop(parsed.root, '/a@1', 'flag')).toHaveLength(0);
  });

  it('writes an empty tree as a valid blob', () => {
    const parsed = readBlob(new FdtBuilder().serialize());
    expect(parsed.root).toEqual({ name: '', props: new Map(), children: [] });
    expect(parsed.reservations).toEqual([]);
    expect(parsed.strings).toEqual([]);
  });

  it('stores each property name once in the strings block', () => {
    const fdt = new FdtBuilder();
    for (let i = 0; i < 5; i++) fdt.root.addChild(`n@${i}`).setU32('reg', i).setString('compatible', 'x');
    const parsed = readBlob(fdt.serialize());
    expect(parsed.strings).toEqual(['reg', 'compatible']);
  });

  it('encodes u64 values, u32 arrays, string lists and raw bytes big-endian and padded', () => {
    const fdt = new FdtBuilder();
    fdt.root
      .setU64('big', 0x1234_5678_9abc_def0n)
      .setU64('small', 0x8000_0000)
      .setU32Array('list', [1, 0xffff_ffff])
      .setStringList('names', ['a', 'bc'])
      .setBytes('raw', Uint8Array.of(9, 8, 7));
    const root = readBlob(fdt.serialize()).root;
    expect(cells(prop(root, '/', 'big'))).toEqual([0x1234_5678, 0x9abc_def0]);
    expect(cells(prop(root, '/', 'small'))).toEqual([0, 0x8000_0000]);
    expect(cells(prop(root, '/', 'list'))).toEqual([1, 0xffff_ffff]);
    expect(strs(root, '/', 'names')).toEqual(['a', 'bc']);
    expect(prop(root, '/', 'raw')).toEqual(Uint8Array.of(9, 8, 7));
    expect(u64Cells(0x1_0000_0002)).toEqual([1, 2]);
    expect(unitAddress(0x0010_0000)).toBe('100000');
  });

  it('allocates distinct phandles once per node and reports node paths', () => {
    const fdt = new FdtBuilder();
    const a = fdt.root.addChild('a');
    const b = a.addChild('b@10');
    expect(a.phandle()).toBe(1);
    expect(b.phandle()).toBe(2);
    expect(a.phandle()).toBe(1);
    expect(b.path).toBe('/a/b@10');
    expect(fdt.root.path).toBe('/');
    const root = readBlob(fdt.serialize()).root;
    expect(u32(root, '/a', 'phandle')).toBe(1);
    expect(u32(root, '/a/b@10', 'phandle')).toBe(2);
  });
});

describe('FdtBuilder: invalid input', () => {
  const n = () => new FdtBuilder().root;

  it.each(['', '1abc', 'a b', 'x@', '@1', 'a/b', 'a'.repeat(32), 'é'])('rejects the node name %j', (name) => {
    expect(() => n().addChild(name)).toThrow(/invalid node name/);
  });

  it('accepts node names at the limits of the rules', () => {
    expect(() => n().addChild(`${'a'.repeat(31)}@ff,1`)).not.toThrow();
    expect(() => n().addChild('A,b._+-9')).not.toThrow();
  });

  it.each(['', 'a b', 'x@y', 'a'.repeat(32), 'a/b'])('rejects the property name %j', (name) => {
    expect(() => n().setEmpty(name)).toThrow(/invalid property name/);
  });

  it('rejects duplicate nodes, duplicate properties and nodes named like properties', () => {
    const root = n();
    root.addChild('cpu@0');
    expect(() => root.addChild('cpu@0')).toThrow(/duplicate node 'cpu@0' under \//);
    root.setU32('reg', 1);
    expect(() => root.setString('reg', 'x')).toThrow(/duplicate property 'reg' in \//);
    expect(() => root.addChild('reg')).toThrow(/same name as a property/);
    expect(() => root.setEmpty('cpu@0')).toThrow(/invalid property name|same name as a child/);
    root.addChild('ranges');
    expect(() => root.setEmpty('ranges')).toThrow(/same name as a child node/);
    const child = root.addChild('c');
    child.phandle();
    expect(() => child.setU32('phandle', 9)).toThrow(/duplicate property 'phandle'/);
  });

  it('rejects values that do not fit their encoding', () => {
    expect(() => n().setU32('x', -1)).toThrow(FdtError);
    expect(() => n().setU32('x', 2 ** 32)).toThrow(/not a 32-bit unsigned integer/);
    expect(() => n().setU32('x', 1.5)).toThrow(FdtError);
    expect(() => n().setU32Array('x', [1, NaN])).toThrow(/x\[1\]/);
    expect(() => n().setU64('x', -1n)).toThrow(/does not fit in 64 bits/);
    expect(() => n().setU64('x', 1n << 64n)).toThrow(/does not fit in 64 bits/);
    expect(() => n().setU64('x', 2 ** 60)).toThrow(/safe integer/);
    expect(() => n().setString('x', 'a\0b')).toThrow(/NUL/);
    expect(() => n().setStringList('x', [])).toThrow(/at least one string/);
    expect(() => new FdtBuilder(-1)).toThrow(FdtError);
  });

  it('rejects empty, wrapping and overlapping memory reservations', () => {
    expect(() => new FdtBuilder().addReservation(0, 0)).toThrow(/size 0/);
    expect(() => new FdtBuilder().addReservation((1n << 64n) - 16n, 32)).toThrow(/wraps/);
    const fdt = new FdtBuilder().addReservation(0x1000, 0x1000);
    expect(() => fdt.addReservation(0x1fff, 1)).toThrow(/overlaps/);
    expect(() => fdt.addReservation(0x2000, 1)).not.toThrow();
  });
});

describe('buildVirtDeviceTree', () => {
  const blob = buildVirtDeviceTree(virt());
  const parsed = readBlob(blob);
  const root = parsed.root;

  it('is a well-formed blob with the memory reservation and deduplicated strings', () => {
    expect(parsed.header).toMatchObject({ version: 17, lastComp: 16, bootCpu: 0, totalsize: blob.length });
    expect(parsed.reservations).toEqual([{ address: 0x8000_0000n, size: 0x8_0000n }]);
    expect(new Set(parsed.strings).size).toBe(parsed.strings.length);
    const used = new Set(allNodes(root).flatMap(([, n]) => [...n.props.keys()]));
    expect(new Set(parsed.strings)).toEqual(used);
  });

  it('has the root, chosen and memory nodes of virt', () => {
    expect(root.children.map((c) => c.name)).toEqual(['chosen', 'poweroff', 'reboot', 'memory@80000000', 'cpus', 'soc']);
    expect(u32(root, '/', '#address-cells')).toBe(2);
    expect(u32(root, '/', '#size-cells')).toBe(2);
    expect(str(root, '/', 'compatible')).toBe('riscv-virtio');
    expect(str(root, '/', 'model')).toBe('riscv-virtio,qemu');
    expect(str(root, '/chosen', 'stdout-path')).toBe('/soc/serial@10000000');
    expect(str(root, '/chosen', 'bootargs')).toBe('console=ttyS0 earlycon=sbi root=/dev/vda rw');
    expect(cells(prop(root, '/chosen', 'linux,initrd-start'))).toEqual([0, 0x8800_0000]);
    expect(cells(prop(root, '/chosen', 'linux,initrd-end'))).toEqual([0, 0x8812_3457]);
    expect(prop(root, '/chosen', 'rng-seed')).toEqual(RNG_SEED);
    expect(str(root, '/memory@80000000', 'device_type')).toBe('memory');
    expect(cells(prop(root, '/memory@80000000', 'reg'))).toEqual([0, 0x8000_0000, 0, 0x800_0000]);
  });

  it('describes one hart with its local interrupt controller and cpu-map', () => {
    expect(u32(root, '/cpus', 'timebase-frequency')).toBe(10_000_000);
    expect(u32(root, '/cpus', '#address-cells')).toBe(1);
    expect(u32(root, '/cpus', '#size-cells')).toBe(0);
    const cpu = '/cpus/cpu@0';
    expect(str(root, cpu, 'device_type')).toBe('cpu');
    expect(u32(root, cpu, 'reg')).toBe(0);
    expect(str(root, cpu, 'status')).toBe('okay');
    expect(str(root, cpu, 'compatible')).toBe('riscv');
    expect(str(root, cpu, 'riscv,isa')).toBe('rv64imac_zicsr_zifencei');
    expect(str(root, cpu, 'mmu-type')).toBe('riscv,sv39');
    const intc = `${cpu}/interrupt-controller`;
    expect(str(root, intc, 'compatible')).toBe('riscv,cpu-intc');
    expect(u32(root, intc, '#interrupt-cells')).toBe(1);
    expect(prop(root, intc, 'interrupt-controller')).toHaveLength(0);
    expect(u32(root, '/cpus/cpu-map/cluster0/core0', 'cpu')).toBe(u32(root, cpu, 'phandle'));
  });

  it('wires the CLINT and PLIC to the hart and the devices to the PLIC', () => {
    const intc = u32(root, '/cpus/cpu@0/interrupt-controller', 'phandle');
    const plic = u32(root, '/soc/plic@c000000', 'phandle');
    expect(strs(root, '/soc', 'compatible')).toEqual(['simple-bus']);
    expect(prop(root, '/soc', 'ranges')).toHaveLength(0);
    expect(strs(root, '/soc/clint@2000000', 'compatible')).toEqual(['sifive,clint0', 'riscv,clint0']);
    expect(cells(prop(root, '/soc/clint@2000000', 'reg'))).toEqual([0, 0x200_0000, 0, 0x1_0000]);
    expect(cells(prop(root, '/soc/clint@2000000', 'interrupts-extended'))).toEqual([intc, 3, intc, 7]);
    expect(strs(root, '/soc/plic@c000000', 'compatible')).toEqual(['sifive,plic-1.0.0', 'riscv,plic0']);
    expect(cells(prop(root, '/soc/plic@c000000', 'interrupts-extended'))).toEqual([intc, 11, intc, 9]);
    expect(u32(root, '/soc/plic@c000000', 'riscv,ndev')).toBe(95);
    expect(u32(root, '/soc/plic@c000000', '#interrupt-cells')).toBe(1);
    expect(u32(root, '/soc/plic@c000000', '#address-cells')).toBe(0);
    expect(prop(root, '/soc/plic@c000000', 'interrupt-controller')).toHaveLength(0);

    const serial = '/soc/serial@10000000';
    expect(str(root, serial, 'compatible')).toBe('ns16550a');
    expect(u32(root, serial, 'clock-frequency')).toBe(3_686_400);
    expect(u32(root, serial, 'interrupt-parent')).toBe(plic);
    expect(u32(root, serial, 'interrupts')).toBe(10);
    expect(cells(prop(root, serial, 'reg'))).toEqual([0, 0x1000_0000, 0, 0x100]);

    const virtio = node(root, '/soc').children.filter((c) => c.name.startsWith('virtio_mmio@'));
    expect(virtio.map((v) => v.name)).toEqual(Array.from({ length: 8 }, (_, i) => `virtio_mmio@${(0x1000_1000 + i * 0x1000).toString(16)}`));
    virtio.forEach((v, i) => {
      const path = `/soc/${v.name}`;
      expect(str(root, path, 'compatible')).toBe('virtio,mmio');
      expect(u32(root, path, 'interrupt-parent')).toBe(plic);
      expect(u32(root, path, 'interrupts')).toBe(i + 1);
      expect(cells(prop(root, path, 'reg'))).toEqual([0, 0x1000_1000 + i * 0x1000, 0, 0x1000]);
    });
    const handles = allNodes(root).flatMap(([, n]) => (n.props.has('phandle') ? [cells(n.props.get('phandle')!)[0]] : []));
    expect(new Set(handles).size).toBe(handles.length);
  });

  it('points /poweroff and /reboot at the test device', () => {
    const test = '/soc/test@100000';
    expect(strs(root, test, 'compatible')).toEqual(['sifive,test1', 'sifive,test0', 'syscon']);
    const handle = u32(root, test, 'phandle');
    for (const [path, compatible, value] of [['/poweroff', 'syscon-poweroff', 0x5555], ['/reboot', 'syscon-reboot', 0x7777]] as const) {
      expect(str(root, path, 'compatible')).toBe(compatible);
      expect(u32(root, path, 'regmap')).toBe(handle);
      expect(u32(root, path, 'offset')).toBe(0);
      expect(u32(root, path, 'value')).toBe(value);
    }
  });

  it('leaves out optional /chosen properties and reservations that were not asked for', () => {
    const bare = readBlob(buildVirtDeviceTree(virt({ bootargs: undefined, initrd: undefined, rngSeed: undefined, reserved: undefined, virtio: [] })));
    expect([...node(bare.root, '/chosen').props.keys()]).toEqual(['stdout-path']);
    expect(bare.reservations).toEqual([]);
    expect(node(bare.root, '/soc').children.some((c) => c.name.startsWith('virtio'))).toBe(false);
  });

  it('derives unit names and stdout-path from the addresses it is given', () => {
    const moved = readBlob(buildVirtDeviceTree(virt({ uart: { base: 0x1000_0a00, size: 0x100, irq: 12, clockHz: 1_843_200 }, ramBase: 0x1_0000_0000 })));
    expect(str(moved.root, '/chosen', 'stdout-path')).toBe('/soc/serial@10000a00');
    expect(cells(prop(moved.root, '/memory@100000000', 'reg'))).toEqual([1, 0, 0, 0x800_0000]);
  });

  it('rejects descriptions that cannot be a working board', () => {
    expect(() => buildVirtDeviceTree(virt({ uart: { base: 0x1000_0000, size: 0x2000, irq: 10, clockHz: 1 } }))).toThrow(/serial at 0x10000000 overlaps virtio\[0\]/);
    expect(() => buildVirtDeviceTree(virt({ uart: { base: 0x1000_0000, size: 0x100, irq: 0, clockHz: 1 } }))).toThrow(/serial: interrupt 0 is not a PLIC source \(1\.\.95\)/);
    expect(() => buildVirtDeviceTree(virt({ virtio: [{ base: 0x1000_1000, size: 0x1000, irq: 96 }] }))).toThrow(/virtio\[0\]: interrupt 96/);
    expect(() => buildVirtDeviceTree(virt({ virtio: [{ base: 0x1000_1000, size: 0x1000, irq: 1 }, { base: 0x1000_1000, size: 0x1000, irq: 2 }] }))).toThrow(/overlaps/);
    expect(() => buildVirtDeviceTree(virt({ initrd: { start: 0x8800_0000, end: 0x8700_0000 } }))).toThrow(/initrd end .* before its start/);
    expect(() => buildVirtDeviceTree(virt({ ramSize: 0 }))).toThrow(/memory: size must be positive/);
    expect(() => buildVirtDeviceTree(virt({ plic: { base: 0xc00_0000, size: 0x60_0000, sources: 1 } }))).toThrow(/at least 2 sources/);
    expect(() => buildVirtDeviceTree(virt({ bootargs: 'a\0b' }))).toThrow(/NUL/);
    expect(() => buildVirtDeviceTree(virt({ reserved: [{ base: 0x8000_0000, size: 0 }] }))).toThrow(/size 0/);
  });
});

// ---- external checks: dtc reads our blob, QEMU's blob has the same shape ----

const dtcMissing = spawnSync('dtc', ['--version']).error !== undefined;
if (dtcMissing) console.warn('device-tree.test: dtc (device-tree-compiler) is not installed; skipping the dtc checks');
const qemuMissing = spawnSync('qemu-system-riscv64', ['--version']).error !== undefined;
if (qemuMissing) console.warn('device-tree.test: qemu-system-riscv64 is not installed; skipping the comparison with QEMU\'s virt tree');

function dtc(args: string[], input: Uint8Array): { stdout: Buffer; stderr: string } {
  const result = spawnSync('dtc', args, { input });
  if (result.error) throw result.error;
  expect(result.status, result.stderr.toString()).toBe(0);
  return { stdout: result.stdout, stderr: result.stderr.toString() };
}

describe('dtc', () => {
  it.skipIf(dtcMissing)('decompiles our blob without errors or warnings, showing the board', () => {
    const { stdout, stderr } = dtc(['-I', 'dtb', '-O', 'dts', '-'], buildVirtDeviceTree(virt()));
    expect(stderr).toBe('');
    const dts = stdout.toString();
    expect(dts).toContain('/memreserve/\t0x0000000080000000 0x0000000000080000;');
    expect(dts).toMatch(/memory@80000000 \{\s*device_type = "memory";\s*reg = <0x00 0x80000000 0x00 0x8000000>;/);
    expect(dts).toContain('riscv,isa = "rv64imac_zicsr_zifencei";');
    expect(dts).toContain('timebase-frequency = <0x989680>;');
    expect(dts).toContain('bootargs = "console=ttyS0 earlycon=sbi root=/dev/vda rw";');
    expect(dts).toContain('linux,initrd-start = <0x00 0x88000000>;');
    expect(dts).toContain('linux,initrd-end = <0x00 0x88123457>;');
    expect(dts).toContain('stdout-path = "/soc/serial@10000000";');
    for (let i = 0; i < 8; i++) {
      const base = 0x1000_1000 + i * 0x1000;
      expect(dts).toMatch(new RegExp(`virtio_mmio@${base.toString(16)} \\{\\s*reg = <0x00 0x${base.toString(16)} 0x00 0x1000>;\\s*` +
        `compatible = "virtio,mmio";\\s*interrupt-parent = <0x03>;\\s*interrupts = <0x0${i + 1}>;`));
    }
  });

  it.skipIf(dtcMissing)('gives back the same tree when dtc re-encodes our blob with its own writer', () => {
    const ours = buildVirtDeviceTree(virt());
    const again = dtc(['-I', 'dtb', '-O', 'dtb', '-'], ours);
    expect(again.stderr).toBe('');
    const reparsed = readBlob(new Uint8Array(again.stdout));
    expect(reparsed.root).toEqual(readBlob(ours).root);
    expect(reparsed.reservations).toEqual(readBlob(ours).reservations);
  });
});

describe('comparison with QEMU', () => {
  it.skipIf(qemuMissing)('has the nodes and properties of QEMU\'s virt tree, less the devices we do not model', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rvwasm-dtb-'));
    try {
      const file = join(dir, 'virt.dtb');
      const run = spawnSync('qemu-system-riscv64',
        ['-machine', `virt,dumpdtb=${file}`, '-m', '128', '-bios', 'none', '-nographic', '-display', 'none'], { timeout: 60_000 });
      expect(run.status, run.stderr?.toString()).toBe(0);
      // QEMU pads the file past totalsize (to 1 MiB), so read only the blob itself.
      const dumped = new Uint8Array(readFileSync(file));
      const qemu = readBlob(dumped.subarray(0, new DataView(dumped.buffer, dumped.byteOffset).getUint32(4)), false).root;
      // QEMU's /chosen holds only stdout-path and rng-seed when given no kernel.
      const ours = readBlob(buildVirtDeviceTree(virt({ bootargs: undefined, initrd: undefined }))).root;
      const notModelled = /^\/(pmu|fw-cfg@|flash@|platform-bus@|soc\/rtc@|soc\/pci@)/;
      const shape = (root: ParsedNode) => new Map(allNodes(root)
        .filter(([path]) => !notModelled.test(path))
        // Our one addition to QEMU's tree (see device-tree.ts) is left out of the comparison.
        .map(([path, n]) => [path, [...n.props.keys()].filter((k) => !(path === '/cpus/cpu@0/interrupt-controller' && k === '#address-cells')).sort()]));
      expect(shape(ours)).toEqual(shape(qemu));
      // Values, where they do not differ by design (ISA, MMU, the random seed, phandle numbers).
      for (const [path, name] of [['/soc/clint@2000000', 'reg'], ['/soc/plic@c000000', 'reg'], ['/soc/serial@10000000', 'reg'],
        ['/soc/serial@10000000', 'clock-frequency'], ['/soc/test@100000', 'compatible'], ['/soc/virtio_mmio@10008000', 'interrupts'],
        ['/memory@80000000', 'reg'], ['/cpus', 'timebase-frequency'], ['/poweroff', 'value'], ['/reboot', 'value'], ['/', 'model']] as const) {
        expect(prop(ours, path, name), `${path} ${name}`).toEqual(prop(qemu, path, name));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
