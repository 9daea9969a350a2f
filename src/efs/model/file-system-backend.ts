/**
 * Where file systems keep their data. One interface so an operator can put it on storage every
 * host shares: today's implementation is a directory tree (`<root>/<fs-id>/`), which is shared
 * across hosts exactly when `<root>` is a network file system mounted at the same path on every
 * host (NFS, real EFS, GlusterFS, a FUSE client): Longshore does not mount it (docs/volumes.md).
 */
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface FileSystemBackend {
  /** A short name for docs and logs (`local-directory`). */
  readonly kind: string;
  /** The file system's root on every host; the agent bind-mounts below it. */
  pathOf(fileSystemId: string): string;
  /** Makes the file system's (empty) root; idempotent. */
  create(fileSystemId: string): Promise<string>;
  /** Removes the file system and all its data; idempotent. */
  remove(fileSystemId: string): Promise<void>;
  /** Bytes stored (DescribeFileSystems' SizeInBytes), metered by walking the tree up to a bound. */
  sizeInBytes(fileSystemId: string): Promise<number>;
}

/** Past this many entries the walk stops and reports what it counted (a metered size, as EFS's lags too). */
const SIZE_WALK_LIMIT = 10_000;
/** An empty EFS file system reports 6 KiB of metadata. */
const EMPTY_FILE_SYSTEM_BYTES = 6144;

export class LocalDirectoryBackend implements FileSystemBackend {
  readonly kind = 'local-directory';
  readonly #root: string;

  constructor(root: string) {
    this.#root = root;
  }

  pathOf(fileSystemId: string): string {
    return join(this.#root, fileSystemId);
  }

  async create(fileSystemId: string): Promise<string> {
    const path = this.pathOf(fileSystemId);
    // EFS's root directory: owned by root, 0755.
    await mkdir(path, { recursive: true, mode: 0o755 });
    return path;
  }

  async remove(fileSystemId: string): Promise<void> {
    await rm(this.pathOf(fileSystemId), { recursive: true, force: true });
  }

  async sizeInBytes(fileSystemId: string): Promise<number> {
    let total = EMPTY_FILE_SYSTEM_BYTES;
    let seen = 0;
    const pending = [this.pathOf(fileSystemId)];
    while (pending.length > 0 && seen < SIZE_WALK_LIMIT) {
      const dir = pending.pop() as string;
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        seen++;
        const path = join(dir, entry.name);
        if (entry.isDirectory()) pending.push(path);
        else if (entry.isFile()) total += (await stat(path).catch(() => ({ size: 0 }))).size;
      }
    }
    return total;
  }
}
