/**
 * A transaction as both stores run it: writes are buffered in the transaction and read back by
 * it; everything else is read from the committed records of the store (SQLite's in-memory
 * tables, or a PostgreSQL replica's mirror, which also remembers what was read).
 */
import {
  type ChangesSince,
  type Expect,
  type Kind,
  type Query,
  type Stored,
  type Tx,
  VersionConflict,
} from './store.ts';
import { freezeShared } from './support.ts';

export interface PendingWrite {
  kind: Kind;
  key: string;
  /** undefined: the record is removed. */
  record: Stored<unknown> | undefined;
}

/** Where a buffered transaction reads the committed records from. */
export interface CommittedReader {
  get(kind: Kind, key: string): Stored<unknown> | undefined | Promise<Stored<unknown> | undefined>;
  /** Records of `kind` whose key starts with `prefix` (all without one), in key order. */
  list(kind: Kind, prefix: string | undefined): Stored<unknown>[] | Promise<Stored<unknown>[]>;
  changesSince(kind: Kind, prefix: string, cursor: unknown, also: readonly string[]): ChangesSince;
}

export class BufferedTx implements Tx {
  readonly writes = new Map<string, PendingWrite>();
  readonly committed: (() => void)[] = [];
  readonly #reader: CommittedReader;

  constructor(reader: CommittedReader) {
    this.#reader = reader;
  }

  async get<T>(kind: Kind, key: string): Promise<Stored<T> | undefined> {
    const pending = this.writes.get(`${kind}\u0000${key}`);
    if (pending) return pending.record as Stored<T> | undefined;
    return (await this.#reader.get(kind, key)) as Stored<T> | undefined;
  }

  async list<T>(kind: Kind, query?: Query): Promise<Stored<T>[]> {
    const prefix = query?.prefix ?? '';
    const committed = (await this.#reader.list(kind, query?.prefix)) as Stored<T>[];
    const mine = [...this.writes.values()].filter((w) => w.kind === kind && w.key.startsWith(prefix));
    if (mine.length === 0) return committed;
    const merged = new Map(committed.map((r) => [r.key, r]));
    for (const w of mine) {
      if (w.record) merged.set(w.key, w.record as Stored<T>);
      else merged.delete(w.key);
    }
    return [...merged.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** The committed changes, overlaid with this transaction's own writes (pending). */
  changesSince(kind: Kind, prefix: string, cursor: unknown, also: readonly string[] = []): ChangesSince {
    const committed = this.#reader.changesSince(kind, prefix, cursor, also);
    const pending: string[] = [];
    for (const w of this.writes.values()) {
      if (w.kind !== kind || !w.key.startsWith(prefix)) continue;
      pending.push(w.key);
      committed.changed?.set(w.key, w.record);
    }
    return { ...committed, pending };
  }

  async put<T>(kind: Kind, key: string, value: T, expect?: Expect): Promise<number> {
    const current = await this.get(kind, key);
    checkExpect(kind, key, expect, current?.version);
    const version = (current?.version ?? 0) + 1;
    const record = { key, version, value: freezeShared(structuredClone(value)) };
    this.writes.set(`${kind}\u0000${key}`, { kind, key, record });
    return version;
  }

  async remove(kind: Kind, key: string, expect?: Expect): Promise<boolean> {
    const current = await this.get(kind, key);
    checkExpect(kind, key, expect, current?.version);
    this.writes.set(`${kind}\u0000${key}`, { kind, key, record: undefined });
    return current !== undefined;
  }

  onCommit(callback: () => void): void {
    this.committed.push(callback);
  }
}

function checkExpect(kind: Kind, key: string, expect: Expect, actual: number | undefined): void {
  if (expect === undefined) return;
  if (expect === 'absent' ? actual !== undefined : actual !== expect) {
    throw new VersionConflict(kind, key, expect, actual);
  }
}
