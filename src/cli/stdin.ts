// Host stdin as the guest's UART input. The run loop is synchronous, so bytes arrive
// between run chunks; when the guest waits for input, next() lets the loop sleep on it.
// With `raw`, a terminal is put in raw mode (every key goes to the guest as typed, no
// echo, Ctrl-C included) and restored however the process ends.
export class StdinFeed {
  private readonly restoreTerminal: (() => void) | null = null;
  private ended = false;
  private wake: ((more: boolean) => void) | null = null;
  private readonly onData = (chunk: Buffer) => {
    this.deliver(new Uint8Array(chunk));
    this.wake?.(true);
  };
  private readonly onEnd = () => {
    this.ended = true;
    this.wake?.(false);
  };

  constructor(private readonly deliver: (bytes: Uint8Array) => void, options: { raw?: boolean } = {}) {
    const stdin = process.stdin;
    if (options.raw && stdin.isTTY) {
      stdin.setRawMode(true);
      const restore = () => { if (stdin.isRaw) stdin.setRawMode(false); };
      process.on('exit', restore);
      this.restoreTerminal = () => { restore(); process.off('exit', restore); };
    }
    process.stdin.on('data', this.onData);
    process.stdin.on('end', this.onEnd);
    process.stdin.on('error', this.onEnd);
  }

  /** Resolves true once more input has been delivered, false if stdin has ended. */
  next(): Promise<boolean> {
    if (this.ended) return Promise.resolve(false);
    return new Promise((resolve) => {
      this.wake = (more) => { this.wake = null; resolve(more); };
    });
  }

  close(): void {
    this.restoreTerminal?.();
    process.stdin.off('data', this.onData);
    process.stdin.off('end', this.onEnd);
    process.stdin.off('error', this.onEnd);
    process.stdin.destroy();
  }
}
