// The virt-board subset: one hart, DRAM, CLINT, UART, the syscon finisher and (when the
// image asks for it) HTIF, all over one WebAssembly.Memory. Also loads guest images.
import { Bus } from './bus.js';
import { HostClock, InstructionClock, type Clock } from './clock.js';
import { Clint } from './devices/clint.js';
import { Htif } from './devices/htif.js';
import { Plic } from './devices/plic.js';
import { Syscon, type PowerEvent } from './devices/syscon.js';
import { Uart } from './devices/uart.js';
import type { ElfImage } from './elf.js';
import { Hart } from './hart.js';
import { GuestImageError } from './image-error.js';
import { MAX_RAM_MIB, monitorFrames, PAGE_SIZE, RAM_OFFSET, WASM_PAGE } from './layout.js';
import { FrameAllocator, PhysicalToMachine, type FramePlacement } from './p2m.js';

/** The UART's PLIC source on the virt board. */
export const UART_IRQ = 10;

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
    this.bus.attach(new Syscon(options.power));
  }

  /** Copies an image's segments into RAM, points the hart at its entry and wires HTIF. */
  load(image: ElfImage, name: string): void {
    for (const seg of image.segments) {
      const end = seg.paddr + seg.memSize;
      if (seg.paddr < BigInt(this.bus.ramBase) || end > BigInt(this.bus.ramEnd)) {
        throw new GuestImageError(
          `${name}: segment at 0x${seg.paddr.toString(16)}-0x${end.toString(16)} lies outside RAM ` +
          `0x${this.bus.ramBase.toString(16)}-0x${this.bus.ramEnd.toString(16)} (try a larger -m)`);
      }
    }
    for (const seg of image.segments) {
      const paddr = Number(seg.paddr);
      this.bus.writeBytes(paddr, seg.data);
      this.bus.zero(paddr + seg.data.length, Number(seg.memSize) - seg.data.length);
    }
    this.hart.reset(entryPhysical(image));
    this.hart.setReg(10, 0n); // a0 = hartid
    this.attachHtif(image, name);
  }

  private attachHtif(image: ElfImage, name: string): void {
    const tohost = image.symbols.get('tohost');
    const fromhost = image.symbols.get('fromhost');
    this.htif = undefined;
    this.bus.watchStores(null);
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
