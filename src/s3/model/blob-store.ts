/**
 * Object content on disk under `<dataDir>/s3/`:
 *
 *   tmp/<id>            a body being received (never read by anyone)
 *   blobs/<2 hex>/<id>  content a record may name; written once, never changed
 *
 * A body streams into `tmp/`, is fsynced, then renamed into `blobs/` (and the directory fsynced)
 * before the record naming it is committed: a crash at any point leaves either no record (the file
 * is an orphan the sweep removes) or a record whose content is whole. Replaced and deleted
 * content is unlinked after the commit that drops the last record naming it; a reader that opened
 * it first keeps reading it.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Rng } from '../../core/clock.ts';

/** What a finished write produced, before any record names it. */
export interface WrittenBlob {
  id: string;
  size: number;
}

export class BlobStore {
  readonly #dir: string;
  readonly #rng: Rng;
  #ready: Promise<void> | undefined;

  constructor(dir: string, rng: Rng) {
    this.#dir = dir;
    this.#rng = rng;
  }

  get dir(): string {
    return this.#dir;
  }

  /** The file of blob `id`. */
  path(id: string): string {
    return join(this.#dir, 'blobs', id.slice(0, 2), id);
  }

  /**
   * Streams `source` into a new blob; resolves once it is durable under its final name. On any
   * failure (the client went away, a check in `source` threw) the temporary file is removed.
   */
  async write(source: AsyncIterable<Uint8Array> | Readable): Promise<WrittenBlob> {
    await this.ready();
    const id = this.#rng.hex(16);
    const tmp = join(this.#dir, 'tmp', id);
    let size = 0;
    try {
      const out = createWriteStream(tmp, { flags: 'wx' });
      await pipeline(
        source,
        async function* (chunks: AsyncIterable<Uint8Array>) {
          for await (const chunk of chunks) {
            size += chunk.length;
            yield chunk;
          }
        },
        out,
      );
      await syncFile(tmp);
      const dir = join(this.#dir, 'blobs', id.slice(0, 2));
      await mkdir(dir, { recursive: true });
      await rename(tmp, join(dir, id));
      await syncFile(dir);
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
    return { id, size };
  }

  /** A stream of blob `id`'s bytes `start`..`end` (inclusive); ENOENT when it is gone. */
  async read(id: string, start?: number, end?: number): Promise<Readable> {
    const handle = await open(this.path(id), 'r');
    return handle.createReadStream({ start, end });
  }

  /** Removes blobs no record names any more (after the commit that dropped them). */
  async remove(ids: Iterable<string>): Promise<void> {
    for (const id of ids) await unlink(this.path(id)).catch(() => {});
  }

  /**
   * After a crash: empties `tmp/` and removes blobs older than `minAgeMs` that `referenced` does
   * not name (written, then the process died before their record committed).
   */
  async sweep(referenced: ReadonlySet<string>, now: number, minAgeMs: number): Promise<number> {
    await this.ready();
    let removed = 0;
    for (const name of await readdir(join(this.#dir, 'tmp'))) {
      await rm(join(this.#dir, 'tmp', name), { force: true });
      removed++;
    }
    const root = join(this.#dir, 'blobs');
    for (const shard of await readdir(root)) {
      for (const id of await readdir(join(root, shard)).catch(() => [] as string[])) {
        if (referenced.has(id)) continue;
        const info = await stat(join(root, shard, id)).catch(() => undefined);
        if (info && now - info.mtimeMs >= minAgeMs) {
          await unlink(join(root, shard, id)).catch(() => {});
          removed++;
        }
      }
    }
    return removed;
  }

  /** Creates the directories once. */
  ready(): Promise<void> {
    this.#ready ??= Promise.all([
      mkdir(join(this.#dir, 'tmp'), { recursive: true }),
      mkdir(join(this.#dir, 'blobs'), { recursive: true }),
    ]).then(() => undefined);
    return this.#ready;
  }
}

async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
