/**
 * A replica's in-memory copy of the committed records, exactly as of one revision: reads answer
 * from it (the Store's reads and `changesSince` are synchronous in effect), and it only moves from
 * the state at one revision to the state at a later one, by applying this replica's own commit or
 * a catch-up read in one database snapshot.
 */
import { MemoryTable } from '../memory-table.ts';
import type { ChangesSince, Kind, Stored } from '../store.ts';
import { freezeShared } from '../support.ts';
import type { LogCursor } from '../memory-table.ts';

/** A record row as the database returns it. */
export interface RecordRow {
  kind: string;
  key: string;
  version: number;
  value: string;
}

export class Mirror {
  #tables = new Map<Kind, MemoryTable>();
  /** The revision whose state the tables hold. */
  revision = 0;

  table(kind: Kind): MemoryTable {
    let table = this.#tables.get(kind);
    if (!table) {
      table = new MemoryTable();
      this.#tables.set(kind, table);
    }
    return table;
  }

  get(kind: Kind, key: string): Stored<unknown> | undefined {
    return this.#tables.get(kind)?.get(key);
  }

  list(kind: Kind, prefix?: string): Stored<unknown>[] {
    return this.#tables.get(kind)?.list(prefix) ?? [];
  }

  set(kind: Kind, record: Stored<unknown>): void {
    this.table(kind).set(record.key, record);
  }

  setRow(row: RecordRow): void {
    this.set(row.kind as Kind, {
      key: row.key,
      version: Number(row.version),
      value: freezeShared(JSON.parse(row.value)),
    });
  }

  delete(kind: Kind, key: string): void {
    this.#tables.get(kind)?.delete(key);
  }

  /**
   * Replaces everything with `rows` (a full reload after a gap or a clear). The tables are new, so
   * every `changesSince` cursor taken before says "cannot say: list".
   */
  replace(rows: Iterable<RecordRow>, revision: number): void {
    this.#tables = new Map();
    for (const row of rows) this.setRow(row);
    this.revision = revision;
  }

  /** Committed changes to `kind` under `prefix` since `cursor` (see ChangesSince in store.ts). */
  changesSince(kind: Kind, prefix: string, cursor: unknown, also: readonly string[] = []): ChangesSince {
    const table = this.table(kind);
    const next = table.cursor();
    const keys = cursor ? table.changedSince(cursor as LogCursor) : undefined;
    if (!keys) return { cursor: next, changed: undefined, pending: [] };
    const changed = new Map<string, Stored<unknown> | undefined>();
    for (const key of [...keys, ...also]) if (key.startsWith(prefix)) changed.set(key, table.get(key));
    return { cursor: next, changed, pending: [] };
  }
}
