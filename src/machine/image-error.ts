/**
 * The one error type for a bad guest image, or bad user input about one (an empty raw
 * binary, a load address that does not fit). The CLI prints `message` as a single line
 * and exits with status 2; anything else that escapes a loader is a bug in rvwasm.
 */

/** A bad guest image or bad user input about one: the CLI prints `message` as one line and exits 2. */
export class GuestImageError extends Error {
  override name = 'GuestImageError';

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/**
 * Builds a GuestImageError whose message is `"<fileName>: <problem>"` (or just `problem`
 * without a file name). Control characters in the file name are escaped so that the
 * message stays on one line whatever the user typed.
 */
export function guestImageError(fileName: string | undefined, problem: string): GuestImageError {
  const oneLine = (s: string): string =>
    // eslint-disable-next-line no-control-regex
    s.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => {
      const code = c.charCodeAt(0);
      return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
    });
  const prefix = fileName === undefined || fileName === '' ? '' : `${oneLine(fileName)}: `;
  return new GuestImageError(prefix + oneLine(problem));
}
