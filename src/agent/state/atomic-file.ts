/** Atomic JSON files: write a temporary file, optionally fsync, then rename over the target. */
import { open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

let counter = 0;

/**
 * Writes `value` as JSON to `path` so a reader (or a restart after kill -9) sees either the old
 * file or the new one, never half of one. With `durable`, the data and the rename are fsynced so
 * they also survive a machine crash.
 */
export async function writeJsonAtomic(path: string, value: unknown, durable: boolean): Promise<void> {
  const tmp = `${path}.${process.pid}.${++counter}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(JSON.stringify(value));
    if (durable) await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  if (durable) {
    const dir = await open(dirname(path), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }
}

/** Reads a JSON file; undefined when it does not exist. */
export async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
