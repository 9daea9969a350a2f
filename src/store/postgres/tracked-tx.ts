/**
 * A PostgreSQL store transaction: reads answer from the replica's mirror (as of the revision the
 * transaction started at) and are remembered, writes are buffered. At commit the database checks
 * that nothing the transaction read (a key, or a prefix it listed) was written since that revision
 * (optimistic concurrency control, validated under the commit lock: see schema.ts).
 */
import {
  type ChangesSince,
  type Expect,
  type Kind,
  type Query,
  type Stored,
  type Tx,
  VersionConflict,
} from '../store.ts';
import { deepFreeze } from '../support.ts';
import type { Mirror } from './mirror.ts';

export interface PendingWrite {
  kind: Kind;
  key: string;
  /** undefined: the record is removed. */
  record: Stored<unknown> | undefined;
}

export class TrackedTx implements Tx {
  readonly writes = new Map<string, PendingWrite>();
  readonly committed: (() => void)[] = [];
  /** Keys read, as `[kind, key]`, deduplicated by `kind\0key`. */
  readonly reads = new Map<string, [string, string]>();
  /** Prefixes listed (or asked about with changesSince), as `[kind, prefix]`. */
  readonly prefixes = new Map<string, [string, string]>();
  readonly #mirror: Mirror;
  readonly #beforeRead: () => void;

  /** `beforeRead` throws when the mirror is too stale to answer (the store's read check). */
  constructor(mirror: Mirror, beforeRead: () => void) {
    this.#mirror = mirror;
    this.#beforeRead = beforeRead;
  }

  async get<T>(kind: Kind, key: string): Promise<Stored<T> | undefined> {
    const id = `${kind}\u0000${key}`;
    const pending = this.writes.get(id);
    if (pending) return pending.record as Stored<T> | undefined;
    this.#beforeRead();
    this.reads.set(id, [kind, key]);
    return this.#mirror.get(kind, key) as Stored<T> | undefined;
  }

  async list<T>(kind: Kind, query?: Query): Promise<Stored<T>[]> {
    this.#beforeRead();
    const prefix = query?.prefix ?? '';
    this.prefixes.set(`${kind}\u0000${prefix}`, [kind, prefix]);
    const committed = this.#mirror.list(kind, query?.prefix) as Stored<T>[];
    const mine = [...this.writes.values()].filter((w) => w.kind === kind && w.key.startsWith(prefix));
    if (mine.length === 0) return committed;
    const merged = new Map(committed.map((r) => [r.key, r]));
    for (const w of mine) {
      if (w.record) merged.set(w.key, w.record as Stored<T>);
      else merged.delete(w.key);
    }
    return [...merged.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** The mirror's committed changes, overlaid with this transaction's own writes (pending). A read of the prefix. */
  changesSince(kind: Kind, prefix: string, cursor: unknown, also: readonly string[] = []): ChangesSince {
    this.prefixes.set(`${kind}\u0000${prefix}`, [kind, prefix]);
    for (const key of also) this.reads.set(`${kind}\u0000${key}`, [kind, key]);
    const committed = this.#mirror.changesSince(kind, prefix, cursor, also);
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
    const record = { key, version, value: deepFreeze(structuredClone(value)) };
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
