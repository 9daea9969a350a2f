/**
 * `records.jsonl`: one JSON line per record, `{"kind","key","version","value"}`, in the order the
 * source listed them. Written synchronously in 1 MiB chunks with a running SHA-256; read back as
 * a stream that checks every line, and the count and digest the manifest gives, before it ends.
 */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';

/** A record as a backup holds it: `kind` is the stored collection (`task@eu-west-1` included). */
export interface RecordLine {
  kind: string;
  key: string;
  version: number;
  value: unknown;
}

/** Progress is told every this many records. */
export const PROGRESS_EVERY = 10_000;
const CHUNK_BYTES = 1 << 20;

export interface RecordsWritten {
  records: number;
  bytes: number;
  sha256: string;
}

export class RecordWriter {
  readonly #fd: number;
  readonly #hash = createHash('sha256');
  readonly #progress: (records: number) => void;
  #chunk = '';
  #records = 0;
  #bytes = 0;

  constructor(path: string, progress: (records: number) => void) {
    this.#fd = openSync(path, 'wx', 0o600);
    this.#progress = progress;
  }

  /** Adds one record; `valueText` is the JSON text the store keeps, written as it is. */
  add(kind: string, key: string, version: number, valueText: string): void {
    this.#chunk += `{"kind":${JSON.stringify(kind)},"key":${JSON.stringify(key)},"version":${version},"value":${valueText}}\n`;
    if (this.#chunk.length >= CHUNK_BYTES) this.#flush();
    if (++this.#records % PROGRESS_EVERY === 0) this.#progress(this.#records);
  }

  close(): RecordsWritten {
    this.#flush();
    closeSync(this.#fd);
    return { records: this.#records, bytes: this.#bytes, sha256: this.#hash.digest('hex') };
  }

  #flush(): void {
    if (this.#chunk === '') return;
    const data = Buffer.from(this.#chunk, 'utf8');
    this.#hash.update(data);
    for (let at = 0; at < data.length; ) at += writeSync(this.#fd, data, at);
    this.#bytes += data.length;
    this.#chunk = '';
  }
}

/**
 * The records of `path`, checked line by line; after the last one, a count or digest other than
 * `expected` throws (so a loader's transaction rolls back instead of committing a damaged backup).
 */
export async function* readRecords(
  path: string,
  expected: { records: number; sha256: string },
  progress: (records: number) => void,
): AsyncGenerator<RecordLine> {
  const hash = createHash('sha256');
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY });
  let n = 0;
  for await (const text of lines) {
    hash.update(`${text}\n`);
    n++;
    yield parseLine(text, n, path);
    if (n % PROGRESS_EVERY === 0) progress(n);
  }
  const sha256 = hash.digest('hex');
  if (n !== expected.records || sha256 !== expected.sha256)
    throw new Error(
      `${path} holds ${n} records (sha256 ${sha256}), the manifest says ${expected.records} (sha256 ${expected.sha256}): the backup is damaged; nothing was restored`,
    );
}

function parseLine(text: string, n: number, path: string): RecordLine {
  let line: Partial<RecordLine>;
  try {
    line = JSON.parse(text) as Partial<RecordLine>;
  } catch {
    throw new Error(`${path} line ${n} is not JSON: the backup is damaged; nothing was restored`);
  }
  const ok =
    line !== null &&
    typeof line.kind === 'string' &&
    line.kind !== '' &&
    typeof line.key === 'string' &&
    Number.isSafeInteger(line.version) &&
    (line.version as number) >= 1 &&
    line.value !== undefined;
  if (!ok) throw new Error(`${path} line ${n} is not a record: the backup is damaged; nothing was restored`);
  return line as RecordLine;
}
