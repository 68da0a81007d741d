// Buffered console output: guest bytes arrive one at a time from the UART, and a system
// call per byte would dominate a console-heavy run.
import { writeSync } from 'node:fs';

const LIMIT = 8192;

export class OutputBuffer {
  private buf = new Uint8Array(LIMIT);
  private len = 0;
  private closed = false;

  constructor(private readonly fd: number) {}

  write(data: Uint8Array): void {
    for (const b of data) {
      this.buf[this.len++] = b;
      if (this.len === LIMIT || b === 10) this.flush();
    }
  }

  writeText(text: string): void {
    this.write(Buffer.from(text));
  }

  flush(): void {
    if (this.len === 0 || this.closed) { this.len = 0; return; }
    let off = 0;
    try {
      while (off < this.len) off += writeSync(this.fd, this.buf, off, this.len - off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') { this.flushSlowly(off); return; }
      if (code !== 'EPIPE') throw e;
      this.closed = true; // the reader went away; drop output rather than crash
    }
    this.len = 0;
  }

  /** A non-blocking stdout (a pipe in some shells) may refuse writes for a moment. */
  private flushSlowly(from: number): void {
    let off = from;
    const cell = new Int32Array(new SharedArrayBuffer(4));
    while (off < this.len) {
      try {
        off += writeSync(this.fd, this.buf, off, this.len - off);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
        Atomics.wait(cell, 0, 0, 1);
      }
    }
    this.len = 0;
  }
}
