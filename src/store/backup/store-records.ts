/**
 * Records in and out of either store kind, through its raw `records` table (the Store interface
 * cannot list every collection: regions add their own). The PostgreSQL code loads only when a
 * PostgreSQL store is named.
 */
import type { StoreRef } from './manifest.ts';
import type { RecordLine, RecordWriter } from './records-file.ts';

/** What a dump read besides the records. */
export interface DumpResult {
  schemaVersion: number;
  postgresSchemaVersion?: number;
  revision: number | null;
}

export interface LoadOptions {
  /** Delete the target's records first instead of refusing a target that has some. */
  force: boolean;
  /** Runs after the last record is written, before the commit: a throw rolls everything back. */
  beforeCommit: () => void | Promise<void>;
}

export interface LoadResult {
  /** Records the target held before (deleted, with `force`). */
  replaced: number;
}

/** Writes every record of `ref` to `writer`, from one consistent snapshot. */
export async function dumpRecords(ref: StoreRef, writer: RecordWriter): Promise<DumpResult> {
  if (ref.type === 'sqlite') return (await import('./sqlite-records.ts')).dumpSqlite(ref.path, writer);
  return (await import('./postgres-records.ts')).dumpPostgres(ref.url, writer);
}

/** Loads `records` into `ref` in one transaction: all of them, or (on any error) none. */
export async function loadRecords(
  ref: StoreRef,
  records: AsyncIterable<RecordLine>,
  options: LoadOptions,
): Promise<LoadResult> {
  if (ref.type === 'sqlite')
    return (await import('./sqlite-records.ts')).loadSqlite(ref.path, records, options);
  return (await import('./postgres-records.ts')).loadPostgres(ref.url, records, options);
}

/** "the SQLite store at PATH" or "the PostgreSQL store at URL" (never with a password). */
export function describeStore(ref: StoreRef): string {
  return ref.type === 'sqlite'
    ? `the SQLite store at ${ref.path}`
    : `the PostgreSQL store at ${withoutPassword(ref.url)}`;
}

export function withoutPassword(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    return u.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, '@');
  }
}

/** A load into a store that holds records is refused, unless forced: restore loads into an empty store. */
export function refuseUnlessEmpty(existing: number, ref: StoreRef, force: boolean): void {
  if (existing === 0 || force) return;
  const elsewhere = ref.type === 'sqlite' ? 'a new --data-dir' : 'a new, empty database';
  throw new Error(
    `${describeStore(ref)} already holds ${existing.toLocaleString('en-US')} records; restore loads into an empty store only: restore into ${elsewhere}, or add --force to delete those records first`,
  );
}
