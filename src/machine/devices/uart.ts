// NS16550A UART at 0x1000_0000: transmit goes to a byte sink, receive comes from a queue
// the host fills (stdin). Transmission is instantaneous, so THR is always empty.
import type { AccessSize, MmioDevice } from '../bus.js';

export const UART_BASE = 0x1000_0000;

const RBR_THR = 0, IER = 1, IIR_FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7;
const LCR_DLAB = 0x80;
const LSR_DATA_READY = 0x01, LSR_THR_EMPTY = 0x20, LSR_TX_IDLE = 0x40;
const IER_RX = 0x01, IER_THRE = 0x02;
const IIR_NONE = 0x01, IIR_THRE = 0x02, IIR_RX = 0x04;

export class Uart implements MmioDevice {
  readonly name = 'uart';
  readonly base = UART_BASE;
  readonly size = 0x100;
  private readonly rx: number[] = [];
  private ier = 0;
  private lcr = 0;
  private mcr = 0;
  private fcr = 0;
  private scr = 0;
  private dll = 0;
  private dlm = 0;
  /** Whether the "THR empty" interrupt is owed (cleared by reading IIR, set by a write). */
  private thrEmptyPending = true;

  constructor(private readonly sink: (byte: number) => void, private readonly irq?: (level: boolean) => void) {}

  /** Host input (stdin) for the guest to read. */
  pushInput(bytes: Uint8Array): void {
    for (const b of bytes) this.rx.push(b);
    this.updateIrq();
  }

  /** The next input byte, or -1 when there is none (the monitor's SBI console reads here). */
  takeInput(): number {
    const b = this.rx.shift();
    if (b === undefined) return -1;
    this.updateIrq();
    return b;
  }

  read(offset: number, _size: AccessSize): bigint {
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    switch (offset) {
      case RBR_THR: {
        if (dlab) return BigInt(this.dll);
        const b = this.rx.shift() ?? 0;
        this.updateIrq();
        return BigInt(b);
      }
      case IER: return BigInt(dlab ? this.dlm : this.ier);
      case IIR_FCR: {
        const fifo = this.fcr & 1 ? 0xc0 : 0;
        const id = this.interruptId();
        if (id === IIR_THRE) { this.thrEmptyPending = false; this.updateIrq(); }
        return BigInt(fifo | id);
      }
      case LCR: return BigInt(this.lcr);
      case MCR: return BigInt(this.mcr);
      case LSR: return BigInt(LSR_THR_EMPTY | LSR_TX_IDLE | (this.rx.length > 0 ? LSR_DATA_READY : 0));
      case MSR: return 0xb0n; // CTS, DSR and DCD asserted: a connected, ready terminal
      case SCR: return BigInt(this.scr);
      default: return 0n;
    }
  }

  write(offset: number, _size: AccessSize, value: bigint): void {
    const v = Number(value & 0xffn);
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    switch (offset) {
      case RBR_THR:
        if (dlab) { this.dll = v; return; }
        this.sink(v);
        this.thrEmptyPending = true;
        break;
      case IER:
        if (dlab) { this.dlm = v; return; }
        this.ier = v & 0x0f;
        if (this.ier & IER_THRE) this.thrEmptyPending = true;
        break;
      case IIR_FCR: this.fcr = v; if (v & 2) this.rx.length = 0; break;
      case LCR: this.lcr = v; return;
      case MCR: this.mcr = v & 0x1f; return;
      case SCR: this.scr = v; return;
      default: return;
    }
    this.updateIrq();
  }

  private interruptId(): number {
    if (this.ier & IER_RX && this.rx.length > 0) return IIR_RX;
    if (this.ier & IER_THRE && this.thrEmptyPending) return IIR_THRE;
    return IIR_NONE;
  }

  private updateIrq(): void {
    this.irq?.(this.interruptId() !== IIR_NONE);
  }
}
