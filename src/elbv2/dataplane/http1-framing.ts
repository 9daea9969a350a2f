/**
 * HTTP/1.1 message framing for the raw proxy path: finding a head, parsing it, and finding where a
 * body ends (Content-Length or chunked) while its bytes pass through unchanged.
 */

export const CRLFCRLF = Buffer.from('\r\n\r\n');

export interface Head {
  /** Request: method, target, version. Response: version, status code, reason. */
  start: [string, string, string];
  /** Header names as sent and their values, in order. */
  names: string[];
  lower: string[];
  values: string[];
}

/** Token characters of a header name (RFC 9110 5.6.2), as a lookup table. */
const TOKEN = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
  TOKEN[c.charCodeAt(0)] = 1;

function isToken(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 128 || TOKEN[c] === 0) return false;
  }
  return name.length > 0;
}

/** A CR or LF that is not part of a CRLF pair (bare line ends are how requests get smuggled). */
const BARE_CR_OR_LF = /\r(?!\n)|(?<!\r)\n/;

/** Parses the head in `buf[0, end)` (without the final CRLFCRLF); undefined when it is not plain, well-formed HTTP/1.x. */
export function parseHead(buf: Buffer, end: number, response: boolean): Head | undefined {
  const text = buf.toString('latin1', 0, end);
  if (BARE_CR_OR_LF.test(text)) return undefined;
  const lines = text.split('\r\n');
  const first = lines[0];
  const sp1 = first.indexOf(' ');
  const sp2 = response ? first.indexOf(' ', sp1 + 1) : first.lastIndexOf(' ');
  if (sp1 <= 0) return undefined;
  const start: [string, string, string] = response
    ? [
        first.slice(0, sp1),
        sp2 < 0 ? first.slice(sp1 + 1) : first.slice(sp1 + 1, sp2),
        sp2 < 0 ? '' : first.slice(sp2 + 1),
      ]
    : [first.slice(0, sp1), first.slice(sp1 + 1, sp2), first.slice(sp2 + 1)];
  if (!response && (sp2 <= sp1 || start[1].includes(' '))) return undefined;
  const names: string[] = [];
  const lower: string[] = [];
  const values: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    const name = line.slice(0, colon);
    if (!isToken(name)) return undefined;
    names.push(name);
    lower.push(name.toLowerCase());
    values.push(line.slice(colon + 1).trim());
  }
  return { start, names, lower, values };
}

/** All values of a header, joined with ", " (undefined when absent). */
export function headerValue(head: Head, lowerName: string): string | undefined {
  let out: string | undefined;
  for (let i = 0; i < head.lower.length; i++)
    if (head.lower[i] === lowerName) out = out === undefined ? head.values[i] : `${out}, ${head.values[i]}`;
  return out;
}

export function headerCount(head: Head, lowerName: string): number {
  let n = 0;
  for (const l of head.lower) if (l === lowerName) n++;
  return n;
}

const SIZE = 0;
const DATA = 1;
const DATA_END = 2;
const TRAILER = 3;

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/** Walks a chunked body as its bytes go by, to find where it ends (after the last chunk and its trailers). */
export class ChunkedScanner {
  #state = SIZE;
  #size = 0;
  #digits = 0;
  #ext = false;
  #left = 0;
  #lineLength = 0;

  /** The index just past the end of the body if it ends inside `buf` (from `from`), else -1; throws on malformed framing. */
  scan(buf: Buffer, from = 0): number {
    let i = from;
    while (i < buf.length) {
      if (this.#state === DATA) {
        const n = Math.min(this.#left, buf.length - i);
        i += n;
        this.#left -= n;
        if (this.#left === 0) this.#state = DATA_END;
        continue;
      }
      const c = buf[i++];
      if (this.#state === SIZE) {
        if (c === 0x0a) {
          if (this.#digits === 0) throw new Error('chunk size missing');
          if (this.#size === 0) {
            this.#state = TRAILER;
            this.#lineLength = 0;
          } else {
            this.#state = DATA;
            this.#left = this.#size;
          }
          this.#size = 0;
          this.#digits = 0;
          this.#ext = false;
        } else if (c === 0x0d || this.#ext) {
          // CR before LF, or a chunk extension: skipped.
        } else if (c === 0x3b || c === 0x20 || c === 0x09) this.#ext = true;
        else {
          const d = hexValue(c);
          if (d < 0 || ++this.#digits > 12) throw new Error('bad chunk size');
          this.#size = this.#size * 16 + d;
        }
      } else if (this.#state === DATA_END) {
        if (c === 0x0a) this.#state = SIZE;
        else if (c !== 0x0d) throw new Error('chunk not followed by CRLF');
      } else if (c === 0x0a) {
        // TRAILER: an empty line ends the body.
        if (this.#lineLength === 0) {
          this.#state = SIZE;
          return i;
        }
        this.#lineLength = 0;
      } else if (c !== 0x0d) this.#lineLength++;
    }
    return -1;
  }
}

/** How a body is delimited: none, a length, chunked, or (responses only) the end of the connection. */
export type Framing =
  | { kind: 'none' }
  | { kind: 'length'; left: number }
  | { kind: 'chunked'; scanner: ChunkedScanner }
  | { kind: 'close' };

/** Splits `buf` into the part that belongs to the body and what follows it. */
export function takeBody(
  framing: Framing,
  buf: Buffer,
): { body: Buffer | undefined; rest: Buffer | undefined; done: boolean } {
  switch (framing.kind) {
    case 'none':
      return { body: undefined, rest: buf.length > 0 ? buf : undefined, done: true };
    case 'close':
      return { body: buf, rest: undefined, done: false };
    case 'length': {
      if (buf.length <= framing.left) {
        framing.left -= buf.length;
        return { body: buf, rest: undefined, done: framing.left === 0 };
      }
      const body = buf.subarray(0, framing.left);
      const rest = buf.subarray(framing.left);
      framing.left = 0;
      return { body, rest, done: true };
    }
    case 'chunked': {
      const end = framing.scanner.scan(buf);
      if (end < 0) return { body: buf, rest: undefined, done: false };
      return {
        body: buf.subarray(0, end),
        rest: end < buf.length ? buf.subarray(end) : undefined,
        done: true,
      };
    }
  }
}
