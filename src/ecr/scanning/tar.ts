/**
 * A streaming tar reader (ustar, pax `x` headers, GNU long names): walks the entries of a layer
 * as its bytes arrive and keeps only the bodies the caller asks for, so a layer of any size passes
 * through in constant memory. Written here rather than importing `tar-stream`, which is only a
 * transitive dependency of dockerode (no types, its version not ours to pin).
 */

export type TarEntryType = 'file' | 'link' | 'symlink' | 'directory' | 'other';

export interface TarHeader {
  /** The path without a leading `./` or `/`. */
  path: string;
  type: TarEntryType;
  size: number;
  /** Hard and symbolic links: the target. */
  linkname: string;
}

export interface TarEntry extends TarHeader {
  /** The body, when `keep` asked for it. */
  data?: Buffer;
}

const BLOCK = 512;

/** Bytes from an async source, read and skipped by count. */
class ByteReader {
  readonly #it: AsyncIterator<Buffer | string>;
  #chunks: Buffer[] = [];
  #buffered = 0;
  #done = false;

  constructor(source: AsyncIterable<Buffer | string>) {
    this.#it = source[Symbol.asyncIterator]();
  }

  async #fill(n: number): Promise<boolean> {
    while (this.#buffered < n && !this.#done) {
      const next = await this.#it.next();
      if (next.done) {
        this.#done = true;
        break;
      }
      const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
      if (chunk.length === 0) continue;
      this.#chunks.push(chunk);
      this.#buffered += chunk.length;
    }
    return this.#buffered >= n;
  }

  /** Exactly `n` bytes, or undefined at the end of the stream. */
  async read(n: number): Promise<Buffer | undefined> {
    if (!(await this.#fill(n))) return undefined;
    const out = Buffer.allocUnsafe(n);
    let copied = 0;
    while (copied < n) {
      const head = this.#chunks[0];
      const take = Math.min(head.length, n - copied);
      head.copy(out, copied, 0, take);
      copied += take;
      if (take === head.length) this.#chunks.shift();
      else this.#chunks[0] = head.subarray(take);
    }
    this.#buffered -= n;
    return out;
  }

  /** Drops `n` bytes without copying them; false when the stream ends first. */
  async skip(n: number): Promise<boolean> {
    let left = n;
    while (left > 0) {
      if (this.#buffered === 0 && !(await this.#fill(1))) return false;
      const head = this.#chunks[0];
      const take = Math.min(head.length, left);
      if (take === head.length) this.#chunks.shift();
      else this.#chunks[0] = head.subarray(take);
      this.#buffered -= take;
      left -= take;
    }
    return true;
  }

  /** Closes the source (a reader stopped early). */
  async close(): Promise<void> {
    await this.#it.return?.();
  }
}

export class TarFormatError extends Error {}

function cString(block: Buffer, start: number, length: number): string {
  const end = block.indexOf(0, start);
  return block.toString('utf8', start, end === -1 || end > start + length ? start + length : end);
}

function octal(block: Buffer, start: number, length: number): number {
  // GNU base-256 for large sizes: the high bit of the first byte set.
  if (block[start] & 0x80) {
    let n = 0;
    for (let i = start + 1; i < start + length; i++) n = n * 256 + block[i];
    return n;
  }
  const text = cString(block, start, length).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new TarFormatError(`bad octal field '${text}'`);
  return Number.parseInt(text, 8);
}

function checksumOk(block: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : block[i];
  return sum === octal(block, 148, 8);
}

function paxRecords(data: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space === -1) break;
    const length = Number.parseInt(data.toString('utf8', pos, space), 10);
    if (!Number.isSafeInteger(length) || length <= 0) break;
    const record = data.toString('utf8', space + 1, pos + length - 1);
    const eq = record.indexOf('=');
    if (eq > 0) out.set(record.slice(0, eq), record.slice(eq + 1));
    pos += length;
  }
  return out;
}

export function normalizePath(path: string): string {
  let p = path.replace(/\/+$/, '');
  while (p.startsWith('./')) p = p.slice(2);
  p = p.replace(/^\/+/, '');
  return p === '.' ? '' : p;
}

function typeOf(flag: string): TarEntryType {
  switch (flag) {
    case '0':
    case '\0':
    case '':
    case '7':
      return 'file';
    case '1':
      return 'link';
    case '2':
      return 'symlink';
    case '5':
      return 'directory';
    default:
      return 'other';
  }
}

/** Bodies larger than this are never kept (no package database is near it). */
export const MAX_KEPT_BYTES = 512 * 1024 * 1024;

/**
 * The entries of a tar stream, in order. `keep(header)` decides whose body is read into memory;
 * every other body is skipped as it streams past.
 */
export async function* readTar(
  source: AsyncIterable<Buffer | string>,
  keep: (header: TarHeader) => boolean,
): AsyncGenerator<TarEntry> {
  const reader = new ByteReader(source);
  let longName: string | undefined;
  let longLink: string | undefined;
  let pax = new Map<string, string>();
  try {
    for (;;) {
      const block = await reader.read(BLOCK);
      if (!block) return; // tolerate a missing end-of-archive marker
      if (block.every((b) => b === 0)) return;
      if (!checksumOk(block)) throw new TarFormatError('tar header checksum mismatch');
      const flag = String.fromCharCode(block[156] || 0x30);
      const size = octal(block, 124, 12);
      const padded = Math.ceil(size / BLOCK) * BLOCK;
      if (flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K') {
        if (size > 16 * 1024 * 1024) throw new TarFormatError('oversized extended header');
        const data = size > 0 ? await reader.read(padded) : Buffer.alloc(0);
        if (!data) throw new TarFormatError('truncated tar');
        const body = data.subarray(0, size);
        if (flag === 'x') pax = paxRecords(body);
        else if (flag === 'L') longName = cString(body, 0, body.length);
        else if (flag === 'K') longLink = cString(body, 0, body.length);
        continue;
      }
      const isUstar = block.toString('ascii', 257, 262) === 'ustar';
      const prefix = isUstar ? cString(block, 345, 155) : '';
      let name = cString(block, 0, 100);
      if (prefix) name = `${prefix}/${name}`;
      const header: TarHeader = {
        path: normalizePath(pax.get('path') ?? longName ?? name),
        type: typeOf(flag),
        size: pax.has('size') ? Number(pax.get('size')) : size,
        linkname: pax.get('linkpath') ?? longLink ?? cString(block, 157, 100),
      };
      const bodySize = header.type === 'file' ? header.size : flag === '1' || flag === '2' ? 0 : size;
      const bodyPadded = Math.ceil(bodySize / BLOCK) * BLOCK;
      pax = new Map();
      longName = undefined;
      longLink = undefined;
      if (header.type === 'file' && header.size <= MAX_KEPT_BYTES && keep(header)) {
        const data = bodySize > 0 ? await reader.read(bodyPadded) : Buffer.alloc(0);
        if (!data) throw new TarFormatError('truncated tar');
        yield { ...header, data: data.subarray(0, bodySize) };
      } else {
        if (!(await reader.skip(bodyPadded))) throw new TarFormatError('truncated tar');
        yield header;
      }
    }
  } finally {
    await reader.close();
  }
}
