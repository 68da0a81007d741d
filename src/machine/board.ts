// The virt-board subset: one hart, DRAM, CLINT, PLIC, UART, the syscon finisher, eight
// virtio-mmio slots and (when the image asks for it) HTIF, all over one
// WebAssembly.Memory. Also places guest images and describes itself for the device tree.
import { Bus } from './bus.js';
import type { MmioDevice } from './bus.js';
import { HostClock, InstructionClock, TIMEBASE_HZ, type Clock } from './clock.js';
import type { VirtDescription } from './device-tree.js';
import { Clint } from './devices/clint.js';
import { Htif } from './devices/htif.js';
import { Plic, PLIC_SOURCES } from './devices/plic.js';
import { Syscon, type PowerEvent } from './devices/syscon.js';
import { Uart } from './devices/uart.js';
import type { BlockBackend } from './devices/block-backend.js';
import { VirtioBlk } from './devices/virtio-blk.js';
import { VIRTIO_MMIO_SLOTS, VirtioMmio, virtioMmioBase, virtioMmioIrq, type VirtioDevice } from './devices/virtio-mmio.js';
import { VirtioRng } from './devices/virtio-rng.js';
import type { ElfImage } from './elf.js';
import { Hart } from './hart.js';
import { GuestImageError } from './image-error.js';
import { MAX_RAM_MIB, monitorFrames, PAGE_SIZE, RAM_OFFSET, WASM_PAGE } from './layout.js';
import { FrameAllocator, PhysicalToMachine, type FramePlacement } from './p2m.js';

/** The UART's PLIC source on the virt board. */
export const UART_IRQ = 10;
/** The ISA the device tree advertises: what src/isa decodes and src/machine implements. */
export const ISA_STRING = 'rv64imac_zicsr_zifencei';
/** The NS16550A's input clock on virt (the device tree tells drivers; our UART ignores divisors). */
const UART_CLOCK_HZ = 3_686_400;

/** What the loader adds to the device tree's /chosen node. */
export interface ChosenOptions {
  bootargs?: string;
  initrd?: { start: number; end: number };
}

export interface BoardOptions {
  ramMiB: number;
  /** How guest RAM pages are placed over machine frames (default linear). */
  frames?: FramePlacement;
  /** mtime from the host clock instead of the instruction count. */
  realtime: boolean;
  /** Guest console output (UART, HTIF): fd 1 or 2. */
  output(fd: number, bytes: Uint8Array): void;
  /** The guest asked to stop: finisher, HTIF exit. */
  power(event: PowerEvent): void;
  /** Disks, as virtio block devices in the first virtio-mmio slots (vda, vdb, ...). */
  drives?: readonly BlockBackend[];
  /** A virtio entropy device in the last slot. */
  rng?: boolean;
}

export class Board {
  readonly memory: WebAssembly.Memory;
  readonly hart: Hart;
  readonly bus: Bus;
  /** Machine frames beyond guest RAM, for the monitor's own tables. */
  readonly frames: FrameAllocator;
  readonly clock: Clock;
  readonly clint: Clint;
  readonly uart: Uart;
  readonly plic: Plic;
  readonly syscon: Syscon;
  /** The virtio-mmio transports, slot by slot. */
  readonly virtio: readonly VirtioMmio[];
  htif: Htif | undefined;

  constructor(private readonly options: BoardOptions) {
    const { ramMiB } = options;
    if (!Number.isInteger(ramMiB) || ramMiB < 1 || ramMiB > MAX_RAM_MIB) {
      throw new RangeError(`memory size must be a whole number of MiB from 1 to ${MAX_RAM_MIB}, got ${ramMiB}`);
    }
    const ramPages = (ramMiB * 1024 * 1024) / PAGE_SIZE;
    const machineFrames = ramPages + monitorFrames(ramPages);
    const wasmPages = Math.ceil((RAM_OFFSET + machineFrames * PAGE_SIZE) / WASM_PAGE);
    this.memory = new WebAssembly.Memory({ initial: wasmPages, maximum: wasmPages });
    this.hart = new Hart(this.memory);
    this.frames = new FrameAllocator(RAM_OFFSET / PAGE_SIZE, machineFrames);
    const p2m = new PhysicalToMachine(ramPages, this.frames, options.frames ?? 'linear');
    this.bus = new Bus(this.memory, p2m);
    this.clock = options.realtime ? new HostClock() : new InstructionClock(this.hart.state);
    this.clint = new Clint(this.hart, this.clock);
    const oneByte = new Uint8Array(1);
    this.plic = new Plic(this.hart);
    this.uart = new Uart((b) => { oneByte[0] = b; options.output(1, oneByte); }, (level) => this.plic.setLevel(UART_IRQ, level));
    this.bus.attach(this.plic);
    this.bus.attach(this.clint);
    this.bus.attach(this.uart);
    this.syscon = new Syscon(options.power);
    this.bus.attach(this.syscon);
    this.virtio = this.attachVirtio(options.drives ?? [], options.rng ?? false);
  }

  /**
   * Fills the eight virtio-mmio slots: drives first, the entropy device last, the rest
   * empty (device id 0, which drivers skip, as on QEMU's board).
   */
  private attachVirtio(drives: readonly BlockBackend[], rng: boolean): VirtioMmio[] {
    const devices: (VirtioDevice | null)[] = new Array(VIRTIO_MMIO_SLOTS).fill(null);
    if (drives.length > VIRTIO_MMIO_SLOTS - 1) throw new RangeError(`at most ${VIRTIO_MMIO_SLOTS - 1} drives can be attached`);
    drives.forEach((drive, i) => { devices[i] = new VirtioBlk(drive); });
    if (rng) devices[VIRTIO_MMIO_SLOTS - 1] = new VirtioRng();
    return devices.map((device, slot) => {
      const transport = new VirtioMmio(virtioMmioBase(slot), device, this.bus,
        (level) => this.plic.setLevel(virtioMmioIrq(slot), level));
      this.bus.attach(transport);
      return transport;
    });
  }

  /** Console output that does not come through a device (the monitor's SBI console). */
  consoleOutput(bytes: Uint8Array): void {
    this.options.output(1, bytes);
  }

  /** The board as its device tree tells firmware and kernels (src/machine/device-tree.ts). */
  describe(chosen: ChosenOptions = {}): VirtDescription {
    const region = (d: MmioDevice) => ({ base: d.base, size: d.size });
    return {
      ramBase: this.bus.ramBase,
      ramSize: this.bus.ramSize,
      isa: ISA_STRING,
      mmuType: 'riscv,sv39',
      timebaseHz: TIMEBASE_HZ,
      clint: region(this.clint),
      plic: { ...region(this.plic), sources: PLIC_SOURCES },
      uart: { ...region(this.uart), irq: UART_IRQ, clockHz: UART_CLOCK_HZ },
      syscon: region(this.syscon),
      virtio: this.virtio.map((t, slot) => ({ base: t.base, size: t.size, irq: virtioMmioIrq(slot) })),
      bootargs: chosen.bootargs,
      initrd: chosen.initrd,
    };
  }

  /** Copies an image's segments into RAM, points the hart at its entry and wires HTIF. */
  load(image: ElfImage, name: string): void {
    this.place(image, name);
    this.hart.reset(entryPhysical(image));
    this.hart.setReg(10, 0n); // a0 = hartid
    this.attachHtif(image, name);
  }

  /**
   * Copies an image's segments into RAM (zero-filling past each segment's file bytes)
   * and returns the physical entry point and the end of the highest segment. Throws
   * GuestImageError when a segment lies outside RAM.
   */
  place(image: ElfImage, name: string): { entry: bigint; end: bigint } {
    let top = 0n;
    for (const seg of image.segments) {
      const end = seg.paddr + seg.memSize;
      if (seg.paddr < BigInt(this.bus.ramBase) || end > BigInt(this.bus.ramEnd)) {
        throw new GuestImageError(
          `${name}: segment at 0x${seg.paddr.toString(16)}-0x${end.toString(16)} lies outside RAM ` +
          `0x${this.bus.ramBase.toString(16)}-0x${this.bus.ramEnd.toString(16)} (try a larger -m)`);
      }
      if (end > top) top = end;
    }
    for (const seg of image.segments) {
      const paddr = Number(seg.paddr);
      this.bus.writeBytes(paddr, seg.data);
      this.bus.zero(paddr + seg.data.length, Number(seg.memSize) - seg.data.length);
    }
    return { entry: entryPhysical(image), end: top };
  }

  /** No HTIF: a booted machine talks through its devices. */
  detachHtif(): void {
    this.htif = undefined;
    this.bus.watchStores(null);
  }

  private attachHtif(image: ElfImage, name: string): void {
    const tohost = image.symbols.get('tohost');
    const fromhost = image.symbols.get('fromhost');
    this.detachHtif();
    if (tohost === undefined) return;
    const inRam = (a: bigint) => this.bus.ramOffset(Number(a), 8) >= 0 && a < 2n ** 53n;
    if (!inRam(tohost) || (fromhost !== undefined && !inRam(fromhost))) {
      throw new GuestImageError(`${name}: the tohost/fromhost symbols are not in RAM`);
    }
    const htif = new Htif(this.bus, Number(tohost), fromhost === undefined ? undefined : Number(fromhost), {
      exit: (code) => this.options.power(code === 0 ? { kind: 'pass' } : { kind: 'fail', code }),
      output: (fd, bytes) => this.options.output(fd, bytes),
    });
    this.htif = htif;
    this.bus.watchStores(htif);
  }
}


/** The entry point is a virtual address; the hart starts with translation off. */
function entryPhysical(image: ElfImage): bigint {
  const seg = image.segments.find((s) => image.entry >= s.vaddr && image.entry < s.vaddr + s.memSize);
  return seg ? image.entry - seg.vaddr + seg.paddr : image.entry;
}
