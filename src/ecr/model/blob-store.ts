/**
 * The registry's content-addressed store on disk (`<registryDir>/blobs/sha256/<2 hex>/<hex>`),
 * shared by every repository and region: layers, configs and manifests alike. Bytes arrive in
 * `uploads/<id>` files, hashed while they stream (never held whole in memory), and become a blob
 * only by fsync + rename once their digest is verified, so a crash leaves no corrupt or
 * half-visible blob. Garbage collection frees blobs nothing references (see `collect`).
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import {
  type FileHandle,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  stat,
  unlink,
  utimes,
} from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { finished, type Readable, type Writable } from 'node:stream';

/** The only digest algorithm the registry accepts (as ECR). */
export const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/;

/** How long an unreferenced blob or an orphan upload file survives: a push may still name it. */
export const GC_GRACE_MS = 60 * 60 * 1000;
/** A blob read or named older than this gets its mtime refreshed, so a collection spares it. */
const TOUCH_AFTER_MS = 10 * 60 * 1000;
/** 2 MiB: 1, 2, 4 and 8 MiB measured alike for GETs on this box (bench/registry-bench.ts); fewer reads than 1 MiB. */
const READ_CHUNK = 2 * 1024 * 1024;
/** Uploads are written in batches of about this many bytes (1 MiB measured best for pushes). */
const WRITE_CHUNK = 1024 * 1024;
/** Upload batches (of about WRITE_CHUNK bytes) being written while the next arrives. */
const WRITE_DEPTH = 2;
/** Buffers (READ_CHUNK bytes) a download reads ahead into: one on its way to the socket, the next being read. */
const SEND_DEPTH = 4;
/** Download buffers kept between requests (16 MiB at most), so a steady pull allocates nothing. */
const spareBuffers: Buffer[] = [];
const MAX_SPARE_BUFFERS = 8;

export const sha256 = (bytes: Buffer | string): string =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** Thrown when an upload's bytes do not hash to the digest its client named. */
export class DigestMismatch extends Error {
  readonly actual: string;
  constructor(actual: string) {
    super(`upload content hashes to ${actual}`);
    this.actual = actual;
  }
}

/** Thrown when an upload's file is gone or shorter than its recorded offset. */
export class UploadMissing extends Error {}

/**
 * Readers/writer gate between pushes and the collector: a manifest's "check its blobs exist, then
 * commit the image" runs shared; the collector's "re-check and unlink" runs exclusive, so a blob
 * is never unlinked between a push's check and its commit.
 */
export class CommitGate {
  #readers = 0;
  #writer: Promise<void> | undefined;
  #drained: (() => void) | undefined;

  async shared<T>(fn: () => Promise<T>): Promise<T> {
    while (this.#writer) await this.#writer;
    this.#readers++;
    try {
      return await fn();
    } finally {
      this.#readers--;
      if (this.#readers === 0) this.#drained?.();
    }
  }

  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    while (this.#writer) await this.#writer;
    let release = () => {};
    this.#writer = new Promise<void>((r) => {
      release = r;
    });
    try {
      while (this.#readers > 0) await new Promise<void>((r) => (this.#drained = r));
      return await fn();
    } finally {
      this.#drained = undefined;
      this.#writer = undefined;
      release();
    }
  }
}

/** What a collection freed. */
export interface CollectResult {
  blobs: number;
  bytes: number;
  uploads: number;
}

export interface CollectOptions {
  now: number;
  graceMs?: number;
  /** Every digest some image (any repository, any region) holds: read after candidates are listed. */
  referenced: () => Promise<ReadonlySet<string>>;
  /** Upload ids with a record (uploads in progress). */
  liveUploads: () => Promise<ReadonlySet<string>>;
}

export class BlobStore {
  readonly dir: string;
  readonly gate = new CommitGate();
  /** Running hashes of uploads, by id, at the offset they have absorbed (rebuilt from the file when missing). */
  readonly #hashes = new Map<string, { hash: Hash; offset: number }>();
  readonly #locks = new Map<string, Promise<unknown>>();
  #collector: ((now: number) => void) | undefined;

  constructor(dir: string) {
    this.dir = dir;
  }

  /** The registry's collector registers here (registry/gc.ts). */
  onCollectionRequested(listener: (now: number) => void): void {
    this.#collector = listener;
  }

  /** Asks for a collection soon: call it after deleting images (BatchDeleteImage, lifecycle expiry). */
  requestCollection(now: number): void {
    this.#collector?.(now);
  }

  blobPath(digest: string): string {
    const hex = digest.slice('sha256:'.length);
    return join(this.dir, 'blobs', 'sha256', hex.slice(0, 2), hex);
  }

  uploadPath(id: string): string {
    return join(this.dir, 'uploads', id);
  }

  /** The blob's size, or undefined when it is not stored. */
  async size(digest: string): Promise<number | undefined> {
    if (!DIGEST_PATTERN.test(digest)) return undefined;
    try {
      return (await stat(this.blobPath(digest))).size;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  /** Refreshes the blob's mtime when it is old, so the collector's grace period starts again. */
  async touch(digest: string, now: number): Promise<boolean> {
    const path = this.blobPath(digest);
    try {
      const s = await stat(path);
      if (now - s.mtimeMs > TOUCH_AFTER_MS) await utimes(path, now / 1000, now / 1000);
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  /** The blob's bytes from `start` to `end` inclusive (whole when omitted). */
  read(digest: string, start?: number, end?: number): Readable {
    return createReadStream(this.blobPath(digest), { start, end, highWaterMark: READ_CHUNK });
  }

  /**
   * Writes the blob's bytes from `start` to `end` inclusive to `out` (without ending it); returns
   * false when `out` closed first (the client went away). Reads run
   * ahead into SEND_DEPTH reused buffers, a buffer being read again only once the socket has taken
   * its previous contents: a download allocates nothing per chunk, where a read stream's fresh
   * 1 MiB buffers keep the garbage collector busy. Rejects when the file cannot be read (headers are
   * sent by then: the caller destroys `out`).
   */
  async send(digest: string, start: number, end: number, out: Writable): Promise<boolean> {
    const fh = await open(this.blobPath(digest), 'r');
    const buffers: Buffer[] = [];
    const written: Promise<void>[] = [];
    let closed = false;
    let clean = false;
    let onClose = () => {};
    const whenClosed = new Promise<void>((resolve) => {
      onClose = () => {
        closed = true;
        resolve();
      };
    });
    out.once('close', onClose);
    try {
      for (let position = start, i = 0; position <= end && !closed; i++) {
        // Reuse the slot's buffer only after its last write completed.
        if (written.length === SEND_DEPTH) await Promise.race([written.shift(), whenClosed]);
        if (closed) break;
        const slot = i % SEND_DEPTH;
        buffers[slot] ??= spareBuffers.pop() ?? Buffer.allocUnsafeSlow(READ_CHUNK);
        const buffer = buffers[slot];
        const { bytesRead } = await fh.read(buffer, 0, Math.min(READ_CHUNK, end - position + 1), position);
        if (bytesRead === 0) throw new Error(`blob ${digest} ends at ${position}, before ${end + 1}`);
        if (closed) break;
        position += bytesRead;
        const chunk = bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
        // The callback runs once the socket took the bytes (with an error when it is gone).
        written.push(new Promise<void>((resolve) => out.write(chunk, () => resolve())));
      }
      await Promise.race([Promise.all(written), whenClosed]);
      clean = !closed;
      return clean;
    } finally {
      out.off('close', onClose);
      await fh.close();
      // After an abort a write may still hold a buffer: only a clean end gives them back.
      if (clean) {
        for (const buffer of buffers) if (spareBuffers.length < MAX_SPARE_BUFFERS) spareBuffers.push(buffer);
      }
    }
  }

  /** A small blob (a manifest) whole, or undefined when it is not stored. */
  async readAll(digest: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.blobPath(digest));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  /** Stores `bytes` (a manifest) durably; returns its digest. */
  async putBytes(bytes: Buffer, tempId: string): Promise<string> {
    const digest = sha256(bytes);
    const temp = this.uploadPath(`${tempId}.manifest`);
    await mkdir(dirname(temp), { recursive: true });
    const fh = await open(temp, 'w');
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await this.#publish(temp, digest);
    return digest;
  }

  /** Serializes work on one upload (two PATCHes of one session never interleave in this process). */
  async withUpload<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#locks.get(id) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.catch(() => {});
    this.#locks.set(id, tail);
    try {
      return await run;
    } finally {
      if (this.#locks.get(id) === tail) this.#locks.delete(id);
    }
  }

  /** Creates the empty file of a new upload. */
  async createUpload(id: string): Promise<void> {
    await mkdir(join(this.dir, 'uploads'), { recursive: true });
    await (await open(this.uploadPath(id), 'w')).close();
    this.#hashes.set(id, { hash: createHash('sha256'), offset: 0 });
  }

  /**
   * Appends `body` at `offset` (bytes past it, left by a failed request, are cut first), hashing
   * while it streams, and makes the file durable; returns the new offset. A body that fails half
   * way (the client went away) leaves the recorded offset valid: the next append cuts back to it.
   */
  async append(id: string, offset: number, body: Readable): Promise<number> {
    const state = await this.#hashAt(id, offset);
    const fh = await open(this.uploadPath(id), 'r+');
    let size = offset;
    const inflight: Promise<void>[] = [];
    try {
      await fh.truncate(offset);
      // Chunks are gathered up to 1 MiB and written with one writev that is not waited for: the
      // next batch arrives (and is hashed) while the disk takes this one. At most WRITE_DEPTH
      // batches are in flight; backpressure comes from awaiting the oldest.
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      let position = offset;
      const flush = (): Promise<void> | undefined => {
        if (pendingBytes === 0) return undefined;
        const write = writeAll(fh, pending, pendingBytes, position);
        write.catch(() => {}); // awaited below; this only keeps a failure from going unhandled meanwhile
        inflight.push(write);
        position += pendingBytes;
        pending = [];
        pendingBytes = 0;
        return inflight.length >= WRITE_DEPTH ? inflight.shift() : undefined;
      };
      await consume(body, (chunk) => {
        state.hash.update(chunk);
        size += chunk.length;
        pending.push(chunk);
        pendingBytes += chunk.length;
        return pendingBytes >= WRITE_CHUNK ? flush() : undefined;
      });
      await flush();
      while (inflight.length > 0) await inflight.shift();
      await fh.sync();
      this.#hashes.set(id, { hash: state.hash, offset: size });
      return size;
    } catch (error) {
      this.#hashes.delete(id);
      throw error;
    } finally {
      // Never close the descriptor under a write still in flight (the number could be reused).
      await Promise.allSettled(inflight);
      await fh.close();
    }
  }

  /** Cuts an upload back to `offset` (an append that delivered the wrong length). */
  async truncate(id: string, offset: number): Promise<void> {
    this.#hashes.delete(id);
    const fh = await open(this.uploadPath(id), 'r+');
    try {
      await fh.truncate(offset);
    } finally {
      await fh.close();
    }
  }

  /**
   * Finishes an upload of `offset` bytes: its digest must be `expected` (else DigestMismatch and
   * the upload is gone); the bytes are then published under their digest. Returns the size.
   */
  async finish(id: string, offset: number, expected: string): Promise<number> {
    const state = await this.#hashAt(id, offset);
    this.#hashes.delete(id);
    const actual = `sha256:${state.hash.digest('hex')}`;
    const path = this.uploadPath(id);
    if (actual !== expected) {
      await this.removeUpload(id);
      throw new DigestMismatch(actual);
    }
    const fh = await open(path, 'r+');
    try {
      // Bytes past `offset` (a request cut mid-body) are cut; when there are none, cutting would
      // only dirty the inode's times and cost the sync below a journal commit.
      if ((await fh.stat()).size !== offset) await fh.truncate(offset);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await this.#publish(path, actual);
    return offset;
  }

  /** Unlinks a blob (callers hold the gate exclusively and know nothing references it). */
  async removeBlob(digest: string): Promise<void> {
    await unlink(this.blobPath(digest)).catch((error: unknown) => {
      if (!isMissing(error)) throw error;
    });
  }

  async removeUpload(id: string): Promise<void> {
    this.#hashes.delete(id);
    await unlink(this.uploadPath(id)).catch((error: unknown) => {
      if (!isMissing(error)) throw error;
    });
  }

  /**
   * Frees what nothing holds: blobs no image references whose mtime is older than the grace period
   * (a blob uploaded for a manifest not pushed yet, or named by a HEAD that skipped its upload, is
   * fresh), and upload files without a record. Candidates are listed before references are read,
   * and each is re-checked under the commit gate, so a concurrent push either committed before the
   * references were read or refreshed the blob's mtime before its commit.
   */
  async collect(options: CollectOptions): Promise<CollectResult> {
    const grace = options.graceMs ?? GC_GRACE_MS;
    const cutoff = options.now - grace;
    const result: CollectResult = { blobs: 0, bytes: 0, uploads: 0 };
    const candidates: string[] = [];
    const root = join(this.dir, 'blobs', 'sha256');
    for (const prefix of await listDir(root)) {
      for (const hex of await listDir(join(root, prefix))) {
        const s = await stat(join(root, prefix, hex)).catch(() => undefined);
        if (s && s.mtimeMs < cutoff) candidates.push(`sha256:${hex}`);
      }
    }
    if (candidates.length > 0) {
      const referenced = await options.referenced();
      const doomed = candidates.filter((d) => !referenced.has(d));
      for (let i = 0; i < doomed.length; i += 64) {
        await this.gate.exclusive(async () => {
          for (const digest of doomed.slice(i, i + 64)) {
            const path = this.blobPath(digest);
            const s = await stat(path).catch(() => undefined);
            if (!s || s.mtimeMs >= cutoff) continue;
            await unlink(path).catch(() => {});
            result.blobs++;
            result.bytes += s.size;
          }
        });
      }
    }
    const uploads = join(this.dir, 'uploads');
    const files = await listDir(uploads);
    if (files.length > 0) {
      const live = await options.liveUploads();
      for (const name of files) {
        if (live.has(name) || this.#locks.has(name)) continue;
        const s = await stat(join(uploads, name)).catch(() => undefined);
        if (!s || s.mtimeMs >= cutoff) continue;
        await unlink(join(uploads, name)).catch(() => {});
        this.#hashes.delete(name);
        result.uploads++;
      }
    }
    return result;
  }

  /** Renames a durable file into place under its digest and makes the rename durable. */
  async #publish(path: string, digest: string): Promise<void> {
    const target = this.blobPath(digest);
    await mkdir(dirname(target), { recursive: true });
    // Identical content may already be there: replacing it is harmless (and refreshes its mtime).
    await rename(path, target);
    const dir = await open(dirname(target), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }

  /** The running hash of an upload's first `offset` bytes, rebuilt from its file when not in memory. */
  async #hashAt(id: string, offset: number): Promise<{ hash: Hash; offset: number }> {
    const known = this.#hashes.get(id);
    if (known && known.offset === offset) return known;
    this.#hashes.delete(id);
    const hash = createHash('sha256');
    let size = 0;
    if (offset > 0) {
      try {
        for await (const chunk of createReadStream(this.uploadPath(id), {
          start: 0,
          end: offset - 1,
          highWaterMark: READ_CHUNK,
        })) {
          hash.update(chunk as Buffer);
          size += (chunk as Buffer).length;
        }
      } catch (error) {
        if (isMissing(error)) throw new UploadMissing(`upload ${id} has no file`);
        throw error;
      }
      if (size !== offset) throw new UploadMissing(`upload ${id} holds ${size} of ${offset} bytes`);
    } else {
      try {
        await stat(this.uploadPath(id));
      } catch (error) {
        if (isMissing(error)) throw new UploadMissing(`upload ${id} has no file`);
        throw error;
      }
    }
    return { hash, offset };
  }
}

const stores = new Map<string, BlobStore>();

/** The one BlobStore of a registry directory in this process (its gate and upload locks are shared). */
export function blobStoreFor(dir: string): BlobStore {
  let store = stores.get(dir);
  if (!store) {
    store = new BlobStore(dir);
    stores.set(dir, store);
  }
  return store;
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

/**
 * Hands each chunk of `body` to `onChunk` as it arrives ('data' events: no promise per chunk, as
 * async iteration has); while a promise `onChunk` returned is pending, the stream is paused.
 * Resolves once the body ended and the last promise settled; rejects when the body fails (the
 * client went away) or `onChunk` does (the body is then destroyed, as a broken for-await would).
 */
function consume(body: Readable, onChunk: (chunk: Buffer) => Promise<void> | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    let waiting: Promise<void> | undefined;
    let failed = false;
    const fail = (error: unknown, destroy: boolean) => {
      if (failed) return;
      failed = true;
      body.off('data', onData);
      stopWatching();
      if (destroy) body.destroy();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      if (failed) return;
      let next: Promise<void> | undefined;
      try {
        next = onChunk(chunk);
      } catch (error) {
        fail(error, true);
        return;
      }
      if (!next) return;
      body.pause();
      waiting = next.then(
        () => {
          waiting = undefined;
          if (!failed) body.resume();
        },
        (error: unknown) => fail(error, true),
      );
    };
    body.on('data', onData);
    const stopWatching = finished(body, (error) => {
      if (error) {
        fail(error, false);
        return;
      }
      void (waiting ?? Promise.resolve()).then(() => {
        if (failed) return;
        body.off('data', onData);
        stopWatching();
        resolve();
      });
    });
  });
}

/** Writes `length` bytes of `batch` at `position`, finishing a short write (rare on files). */
async function writeAll(fh: FileHandle, batch: Buffer[], length: number, position: number): Promise<void> {
  let written = (await fh.writev(batch, position)).bytesWritten;
  if (written < length) {
    const rest = Buffer.concat(batch);
    while (written < length) {
      written += (await fh.write(rest, written, length - written, position + written)).bytesWritten;
    }
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === 'ENOENT';
}
