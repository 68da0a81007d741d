// The interactive console of `rvwasm boot`: host stdin in raw mode feeds the guest's
// UART, and Ctrl-A starts a command as in QEMU's character multiplexer (Ctrl-A x quits,
// Ctrl-A h lists the commands, Ctrl-A Ctrl-A sends one Ctrl-A to the guest).
export const ESCAPE = 0x01; // Ctrl-A

export type ConsoleCommand = 'quit' | 'help' | 'stats';

export const CONSOLE_HELP =
  '\r\nC-a h    print this help\r\n' +
  'C-a x    exit rvwasm\r\n' +
  'C-a s    print the run\'s counters so far\r\n' +
  'C-a C-a  send C-a to the guest\r\n';

/**
 * Splits console input into bytes for the guest and escape commands. Keeps state across
 * calls, since Ctrl-A and its command letter can arrive in different reads.
 */
export class EscapeFilter {
  private escaped = false;

  /** Returns the bytes to forward and the commands found, in order. */
  feed(bytes: Uint8Array): { forward: Uint8Array; commands: ConsoleCommand[] } {
    const forward: number[] = [];
    const commands: ConsoleCommand[] = [];
    for (const b of bytes) {
      if (!this.escaped) {
        if (b === ESCAPE) this.escaped = true;
        else forward.push(b);
        continue;
      }
      this.escaped = false;
      switch (b) {
        case ESCAPE: forward.push(ESCAPE); break;
        case 0x78: case 0x58: commands.push('quit'); break; // x, X
        case 0x68: case 0x48: case 0x3f: commands.push('help'); break; // h, H, ?
        case 0x73: case 0x53: commands.push('stats'); break; // s, S
        default: break; // like QEMU: an unknown command is dropped
      }
    }
    return { forward: Uint8Array.from(forward), commands };
  }
}
