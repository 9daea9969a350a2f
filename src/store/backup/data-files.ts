/**
 * Data-plane files (`--with-data`): SQLite databases copied with `VACUUM INTO` (one read
 * snapshot, while a server may be writing), directories of plain files copied as they are. The
 * caller names which paths exist (src/cli/backup-layout.ts); a manifest may only name those.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { DataPath } from './manifest.ts';

/** Copies each path of `layout` present in `dataDir` into `outDir`; returns those copied. */
export function copyDataOut(dataDir: string, layout: readonly DataPath[], outDir: string): DataPath[] {
  const copied: DataPath[] = [];
  for (const entry of layout) {
    const from = join(dataDir, entry.path);
    if (!existsSync(from)) continue;
    const to = join(outDir, entry.path);
    mkdirSync(dirname(to), { recursive: true });
    if (entry.type === 'sqlite') {
      const db = new DatabaseSync(from);
      try {
        db.exec('PRAGMA busy_timeout = 5000');
        db.exec(`VACUUM INTO '${to.replaceAll("'", "''")}'`);
      } finally {
        db.close();
      }
    } else cpSync(from, to, { recursive: true });
    copied.push(entry);
  }
  return copied;
}

/** Refuses paths the backup holds that `dataDir` has already (a non-empty directory, a file), unless `force`; and paths `layout` does not know. */
export function checkDataIn(
  data: readonly DataPath[],
  layout: readonly DataPath[],
  dataDir: string,
  force: boolean,
): void {
  for (const entry of data)
    if (!layout.some((l) => l.path === entry.path && l.type === entry.type))
      throw new Error(
        `the backup holds data at ${entry.path} (${entry.type}), which this build does not know`,
      );
  const present = data.map((d) => join(dataDir, d.path)).filter(inUse);
  if (present.length > 0 && !force)
    throw new Error(
      `${present.join(', ')} already hold${present.length === 1 ? 's' : ''} data: restore into a new --data-dir, or add --force to replace it`,
    );
}

/** Replaces each path of `data` in `dataDir` with the backup's copy. */
export function copyDataIn(inDir: string, data: readonly DataPath[], dataDir: string): void {
  for (const entry of data) {
    const to = join(dataDir, entry.path);
    mkdirSync(dirname(to), { recursive: true });
    rmSync(`${to}.restore`, { recursive: true, force: true });
    cpSync(join(inDir, entry.path), `${to}.restore`, { recursive: true });
    // The old copy goes only once the new one is whole; a database's old WAL must not be replayed onto it.
    const wal = entry.type === 'sqlite' ? [`${to}-wal`, `${to}-shm`] : [];
    for (const stale of [to, ...wal]) rmSync(stale, { recursive: true, force: true });
    renameSync(`${to}.restore`, to);
  }
}

function inUse(path: string): boolean {
  if (!existsSync(path)) return false;
  return !statSync(path).isDirectory() || readdirSync(path).length > 0;
}
