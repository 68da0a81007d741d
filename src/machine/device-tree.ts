// The device tree of our subset of QEMU's `virt` board, so that firmware and kernels
// written for that board find our devices where they expect them. The node layout,
// names and property values follow what `qemu-system-riscv64 -machine virt,dumpdtb=...`
// gives, minus the devices we do not model (PCI, flash, fw-cfg, rtc, pmu, platform bus).
import { FdtBuilder, FdtError, unitAddress, u64Cells, type FdtNode } from './fdt.js';

export interface VirtDescription {
  /** Guest RAM, in bytes. */
  ramBase: number;
  ramSize: number;
  /** riscv,isa of the hart, e.g. 'rv64imac_zicsr_zifencei'. */
  isa: string;
  /** mmu-type of the hart, e.g. 'riscv,sv39'. */
  mmuType: string;
  /** mtime ticks per second (10 MHz on virt). */
  timebaseHz: number;
  clint: { base: number; size: number };
  /** sources counts source 0, which does not exist; riscv,ndev is the highest usable one. */
  plic: { base: number; size: number; sources: number };
  uart: { base: number; size: number; irq: number; clockHz: number };
  /** The sifive test device: /poweroff and /reboot write their magic values to it. */
  syscon: { base: number; size: number };
  /** virtio-mmio transports, emitted in this order (which is the order Linux probes them). */
  virtio: { base: number; size: number; irq: number }[];
  /** /chosen/bootargs: the kernel command line. */
  bootargs?: string;
  /** Where the loader put an initramfs; end is exclusive. */
  initrd?: { start: number; end: number };
  /** /chosen/rng-seed: entropy for the kernel's early random pool. */
  rngSeed?: Uint8Array;
  /** Memory reservation block entries (e.g. firmware the kernel must not overwrite). */
  reserved?: { base: number; size: number }[];
}

// Values the virt board's firmware and kernels look for; see the syscon-poweroff and
// syscon-reboot bindings and QEMU's sifive_test device.
const POWEROFF_VALUE = 0x5555;
const REBOOT_VALUE = 0x7777;
// Interrupt numbers of the hart's local interrupt controller (mip bits).
const IRQ_M_SOFT = 3;
const IRQ_M_TIMER = 7;
const IRQ_S_EXT = 9;
const IRQ_M_EXT = 11;
// The root and /soc use two address and two size cells, as on virt.
const ADDRESS_CELLS = 2;
const SIZE_CELLS = 2;

/** A `reg` entry in two address cells and two size cells. */
function reg(base: number, size: number, what: string): number[] {
  if (size <= 0) throw new FdtError(`${what}: size must be positive, got ${size}`);
  return [...u64Cells(base, `${what} base`), ...u64Cells(size, `${what} size`)];
}

/** Adds `name@base` with its reg, the common shape of every memory-mapped device. */
function addDevice(parent: FdtNode, name: string, base: number, size: number): FdtNode {
  return parent.addChild(`${name}@${unitAddress(base)}`).setU32Array('reg', reg(base, size, name));
}

function checkRegionsDisjoint(d: VirtDescription): void {
  const regions = [
    { name: 'memory', base: d.ramBase, size: d.ramSize },
    { name: 'clint', ...d.clint },
    { name: 'plic', ...d.plic },
    { name: 'serial', ...d.uart },
    { name: 'test', ...d.syscon },
    ...d.virtio.map((v, i) => ({ name: `virtio[${i}]`, ...v })),
  ].sort((a, b) => a.base - b.base);
  for (let i = 1; i < regions.length; i++) {
    const prev = regions[i - 1]!;
    const cur = regions[i]!;
    if (prev.base + prev.size > cur.base) {
      throw new FdtError(`${prev.name} at 0x${prev.base.toString(16)} overlaps ${cur.name} at 0x${cur.base.toString(16)}`);
    }
  }
}

function checkIrq(irq: number, d: VirtDescription, what: string): number {
  // Source 0 means "no interrupt" on a PLIC, and the top source is sources - 1.
  if (!Number.isInteger(irq) || irq < 1 || irq >= d.plic.sources) {
    throw new FdtError(`${what}: interrupt ${irq} is not a PLIC source (1..${d.plic.sources - 1})`);
  }
  return irq;
}

/** Builds the DTB the guest finds (in a1 at boot) describing the board in `d`. */
export function buildVirtDeviceTree(d: VirtDescription): Uint8Array {
  checkRegionsDisjoint(d);
  const fdt = new FdtBuilder(0);
  for (const r of d.reserved ?? []) fdt.addReservation(r.base, r.size);

  const root = fdt.root
    .setU32('#address-cells', ADDRESS_CELLS)
    .setU32('#size-cells', SIZE_CELLS)
    .setString('compatible', 'riscv-virtio')
    .setString('model', 'riscv-virtio,qemu');

  // Nodes are written in creation order, so these are created empty to sit where virt
  // puts them, and filled in once the serial path and the test device's phandle exist.
  const chosen = root.addChild('chosen');
  const poweroff = root.addChild('poweroff');
  const reboot = root.addChild('reboot');

  root.addChild(`memory@${unitAddress(d.ramBase)}`)
    .setString('device_type', 'memory')
    .setU32Array('reg', reg(d.ramBase, d.ramSize, 'memory'));

  const cpus = root.addChild('cpus')
    .setU32('#address-cells', 1) // a cpu's reg is its hart id
    .setU32('#size-cells', 0)
    .setU32('timebase-frequency', d.timebaseHz);
  const cpu = cpus.addChild('cpu@0')
    .setString('device_type', 'cpu')
    .setU32('reg', 0)
    .setString('status', 'okay')
    .setString('compatible', 'riscv')
    .setString('riscv,isa', d.isa)
    .setString('mmu-type', d.mmuType);
  const cpuHandle = cpu.phandle();
  const cpuIntc = cpu.addChild('interrupt-controller')
    .setU32('#interrupt-cells', 1)
    // Not on QEMU's node, but dtc's interrupt_provider check asks every interrupt
    // controller for it; 0 is right since nothing maps interrupts through this one.
    .setU32('#address-cells', 0)
    .setEmpty('interrupt-controller')
    .setString('compatible', 'riscv,cpu-intc');
  const intc = cpuIntc.phandle();
  cpus.addChild('cpu-map').addChild('cluster0').addChild('core0').setU32('cpu', cpuHandle);

  const soc = root.addChild('soc')
    .setU32('#address-cells', ADDRESS_CELLS)
    .setU32('#size-cells', SIZE_CELLS)
    .setString('compatible', 'simple-bus')
    .setEmpty('ranges'); // identity mapping: soc addresses are physical addresses

  addDevice(soc, 'clint', d.clint.base, d.clint.size)
    .setStringList('compatible', ['sifive,clint0', 'riscv,clint0'])
    .setU32Array('interrupts-extended', [intc, IRQ_M_SOFT, intc, IRQ_M_TIMER]);

  if (!Number.isInteger(d.plic.sources) || d.plic.sources < 2) {
    throw new FdtError(`plic: needs at least 2 sources (source 0 is reserved), got ${d.plic.sources}`);
  }
  const plicNode = addDevice(soc, 'plic', d.plic.base, d.plic.size)
    .setStringList('compatible', ['sifive,plic-1.0.0', 'riscv,plic0'])
    .setU32('#interrupt-cells', 1)
    .setU32('#address-cells', 0)
    .setEmpty('interrupt-controller')
    .setU32('riscv,ndev', d.plic.sources - 1)
    // Context 0 is the hart's M mode, context 1 its S mode: the PLIC's context numbering.
    .setU32Array('interrupts-extended', [intc, IRQ_M_EXT, intc, IRQ_S_EXT]);
  const plic = plicNode.phandle();

  const serial = addDevice(soc, 'serial', d.uart.base, d.uart.size)
    .setString('compatible', 'ns16550a')
    .setU32('clock-frequency', d.uart.clockHz)
    .setU32('interrupt-parent', plic)
    .setU32('interrupts', checkIrq(d.uart.irq, d, 'serial'));

  const test = addDevice(soc, 'test', d.syscon.base, d.syscon.size)
    .setStringList('compatible', ['sifive,test1', 'sifive,test0', 'syscon']);
  const regmap = test.phandle();

  d.virtio.forEach((v, i) => {
    addDevice(soc, 'virtio_mmio', v.base, v.size)
      .setString('compatible', 'virtio,mmio')
      .setU32('interrupt-parent', plic)
      .setU32('interrupts', checkIrq(v.irq, d, `virtio[${i}]`));
  });

  poweroff
    .setString('compatible', 'syscon-poweroff')
    .setU32('regmap', regmap)
    .setU32('offset', 0)
    .setU32('value', POWEROFF_VALUE);
  reboot
    .setString('compatible', 'syscon-reboot')
    .setU32('regmap', regmap)
    .setU32('offset', 0)
    .setU32('value', REBOOT_VALUE);

  chosen.setString('stdout-path', serial.path);
  if (d.bootargs !== undefined) chosen.setString('bootargs', d.bootargs);
  if (d.initrd) {
    if (d.initrd.end < d.initrd.start) {
      throw new FdtError(`initrd end 0x${d.initrd.end.toString(16)} is before its start 0x${d.initrd.start.toString(16)}`);
    }
    chosen.setU64('linux,initrd-start', d.initrd.start).setU64('linux,initrd-end', d.initrd.end);
  }
  if (d.rngSeed) chosen.setBytes('rng-seed', d.rngSeed);

  return fdt.serialize();
}
