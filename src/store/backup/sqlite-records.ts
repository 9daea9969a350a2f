/**
 * The embedded store's records in and out of its database file. A dump is one read transaction on
 * a connection of its own: in WAL mode it reads one snapshot while a running server keeps
 * writing. A load holds the write lock (BEGIN IMMEDIATE) from the emptiness check to the commit.
 */
import { existsSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { openStoreDatabase } from '../sqlite/sqlite-store.ts';
import type { RecordLine, RecordWriter } from './records-file.ts';
import { type DumpResult, type LoadOptions, type LoadResult, refuseUnlessEmpty } from './store-records.ts';

export async function dumpSqlite(path: string, writer: RecordWriter): Promise<DumpResult> {
  if (!existsSync(path))
    throw new Error(`there is no Longshore store at ${path}: nothing to back up (is --data-dir right?)`);
  const db = new DatabaseSync(path);
  try {
    db.exec('PRAGMA busy_timeout = 5000');
    // Deferred: the first SELECT takes the snapshot; every later one in the transaction reads it.
    db.exec('BEGIN');
    try {
      const schema = db.prepare('SELECT MAX(version) AS v FROM schema_version').get();
      const schemaVersion = Number(schema?.v ?? 0);
      if (schemaVersion < 1) throw new Error(`${path} holds no Longshore store yet: nothing to back up`);
      const rows = db.prepare('SELECT kind, key, version, value FROM records ORDER BY kind, key');
      for (const row of rows.iterate())
        writer.add(String(row.kind), String(row.key), Number(row.version), String(row.value));
      return { schemaVersion, revision: null };
    } finally {
      db.exec('COMMIT');
    }
  } catch (error) {
    if (/no such table/.test(String(error)))
      throw new Error(`${path} is not a Longshore store: nothing to back up (is --data-dir right?)`);
    throw error;
  } finally {
    db.close();
  }
}

/**
 * SQLite numbers commits per process from 0 (`SqliteStore.revision()`), and the restore holds the
 * data directory's lock, so no store has the file open: the next one to open it loads everything.
 */
export async function loadSqlite(
  path: string,
  records: AsyncIterable<RecordLine>,
  options: LoadOptions,
): Promise<LoadResult> {
  const db = openStoreDatabase(path);
  try {
    db.exec('BEGIN IMMEDIATE');
    try {
      const replaced = Number(db.prepare('SELECT COUNT(*) AS n FROM records').get()?.n ?? 0);
      refuseUnlessEmpty(replaced, { type: 'sqlite', path }, options.force);
      db.exec('DELETE FROM records');
      const insert = db.prepare('INSERT INTO records (kind, key, version, value) VALUES (?, ?, ?, ?)');
      for await (const r of records) insert.run(r.kind, r.key, r.version, JSON.stringify(r.value));
      await options.beforeCommit();
      db.exec('COMMIT');
      return { replaced };
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  } finally {
    db.close();
  }
}
