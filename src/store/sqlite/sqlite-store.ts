/** The embedded store: node:sqlite in WAL mode, with every committed record mirrored in memory. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { migrations } from '../migrations.ts';
import { freezeShared, Mutex } from '../support.ts';
import { watchWal } from './wal-checkpoints.ts';
import type {
  ChangeBatch,
  ChangeListener,
  ChangesSince,
  Kind,
  Query,
  Store,
  StoreChange,
  Stored,
  Tx,
} from '../store.ts';
import { BufferedTx, type PendingWrite } from '../buffered-tx.ts';
import { type LogCursor, MemoryTable } from '../memory-table.ts';

/** Commits after which a store counts as busy (wal-checkpoints.ts): a start-up writes a handful. */
const BUSY_COMMITS = 100;

export class SqliteStore implements Store {
  readonly #db: DatabaseSync;
  readonly #tables = new Map<Kind, MemoryTable>();
  readonly #mutex = new Mutex();
  readonly #watchers = new Set<ChangeListener>();
  /** Commits that wrote something since this process opened the store (SQLite has one writer process: see the data-dir lock). */
  #revision = 0;
  /** The file, for the WAL checkpointer; undefined for `:memory:`. */
  readonly #path: string | undefined;
  /** Commits so far; at BUSY_COMMITS the WAL's checkpoints move off the event loop. */
  #commits = 0;
  #releaseWal: (() => Promise<void>) | undefined;

  private constructor(db: DatabaseSync, path: string) {
    this.#db = db;
    this.#path = path === ':memory:' ? undefined : path;
  }

  /** Opens (creating if needed) the database at `path`; `:memory:` gives a throwaway store. */
  static open(path: string): SqliteStore {
    const db = openStoreDatabase(path);
    const store = new SqliteStore(db, path);
    for (const row of db.prepare('SELECT kind, key, version, value FROM records').iterate()) {
      const kind = row.kind as Kind;
      store.#table(kind).set(String(row.key), {
        key: String(row.key),
        version: Number(row.version),
        value: freezeShared(JSON.parse(String(row.value))),
      });
    }
    return store;
  }

  #table(kind: Kind): MemoryTable {
    let table = this.#tables.get(kind);
    if (!table) {
      table = new MemoryTable();
      this.#tables.set(kind, table);
    }
    return table;
  }

  async get<T>(kind: Kind, key: string): Promise<Stored<T> | undefined> {
    return this.#tables.get(kind)?.get(key) as Stored<T> | undefined;
  }

  async list<T>(kind: Kind, query?: Query): Promise<Stored<T>[]> {
    return (this.#tables.get(kind)?.list(query?.prefix) ?? []) as Stored<T>[];
  }

  watch(listener: ChangeListener): () => void {
    this.#watchers.add(listener);
    return () => this.#watchers.delete(listener);
  }

  revision(): number {
    return this.#revision;
  }

  #emit(batch: ChangeBatch): void {
    for (const listener of this.#watchers) {
      try {
        listener(batch);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  /** Committed changes to `kind` under `prefix` since `cursor` (see ChangesSince). */
  changesSince(kind: Kind, prefix: string, cursor: unknown, also: readonly string[] = []): ChangesSince {
    const table = this.#table(kind);
    const next = table.cursor();
    const keys = cursor ? table.changedSince(cursor as LogCursor) : undefined;
    if (!keys) return { cursor: next, changed: undefined, pending: [] };
    const changed = new Map<string, Stored<unknown> | undefined>();
    for (const key of [...keys, ...also]) if (key.startsWith(prefix)) changed.set(key, table.get(key));
    return { cursor: next, changed, pending: [] };
  }

  async transact<R>(fn: (tx: Tx) => Promise<R>): Promise<R> {
    return this.#mutex.run(async () => {
      const tx = new BufferedTx({
        get: (kind, key) => this.get(kind, key),
        list: (kind, prefix) => this.list(kind, prefix ? { prefix } : undefined),
        changesSince: (kind, prefix, cursor, also) => this.changesSince(kind, prefix, cursor, also),
      });
      const result = await fn(tx);
      const changes = this.#commit(tx.writes);
      if (changes.length > 0) this.#emit({ revision: ++this.#revision, changes, gap: false });
      for (const callback of tx.committed) callback();
      return result;
    });
  }

  /** Prepared once: preparing per commit cost as much as the write itself at RunTask rates. */
  #statements: { upsert: StatementSync; remove: StatementSync } | undefined;

  #commit(writes: Map<string, PendingWrite>): StoreChange[] {
    if (writes.size === 0) return [];
    this.#statements ??= {
      upsert: this.#db.prepare(
        'INSERT INTO records (kind, key, version, value) VALUES (?, ?, ?, ?) ' +
          'ON CONFLICT (kind, key) DO UPDATE SET version = excluded.version, value = excluded.value',
      ),
      remove: this.#db.prepare('DELETE FROM records WHERE kind = ? AND key = ?'),
    };
    const { upsert, remove } = this.#statements;
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      for (const w of writes.values()) {
        if (w.record) upsert.run(w.kind, w.record.key, w.record.version, JSON.stringify(w.record.value));
        else remove.run(w.kind, w.key);
      }
      this.#db.exec('COMMIT');
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
    if (++this.#commits === BUSY_COMMITS && this.#path !== undefined) {
      // A busy store: checkpoints move to the shared worker (wal-checkpoints.ts), so no commit
      // waits for the disk flush of others' writes. A quiet one keeps SQLite's own, and no thread.
      this.#releaseWal = watchWal(this.#path);
      this.#db.exec('PRAGMA wal_autocheckpoint = 0');
    }
    const changes: StoreChange[] = [];
    for (const w of writes.values()) {
      if (w.record) this.#table(w.kind).set(w.key, w.record);
      else this.#table(w.kind).delete(w.key);
      changes.push({ kind: w.kind, key: w.key, version: w.record?.version });
    }
    return changes;
  }

  async clear(): Promise<void> {
    await this.#mutex.run(async () => {
      this.#db.exec('DELETE FROM records');
      this.#tables.clear();
      this.#emit({ revision: ++this.#revision, changes: [], gap: true });
    });
  }

  async close(): Promise<void> {
    await this.#mutex.run(async () => {
      if (this.#db.isOpen) this.#db.close();
      await this.#releaseWal?.();
    });
  }
}

/**
 * The store's database at `path` (created if needed) in WAL mode with every migration applied, not
 * loaded: the store opens it this way, and so does `longshore restore` (src/store/backup/).
 */
export function openStoreDatabase(path: string): DatabaseSync {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
  migrate(db);
  return db;
}

function migrate(db: DatabaseSync): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_version').get();
  const applied = row?.v == null ? 0 : Number(row.v);
  for (let i = applied; i < migrations.length; i++) {
    db.exec('BEGIN IMMEDIATE');
    db.exec(migrations[i]);
    db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(i + 1);
    db.exec('COMMIT');
  }
}
