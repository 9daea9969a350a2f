/** The Store interface: versioned records in named collections, written in serializable transactions. */

/** Collections Longshore keeps. Each record is a JSON document under a string key. */
export const Kind = {
  Cluster: 'cluster',
  TaskDefinition: 'task-definition',
  ContainerInstance: 'container-instance',
  Task: 'task',
  Service: 'service',
  AccountSetting: 'account-setting',
  Tag: 'tag',
  ClientToken: 'client-token',
  Meta: 'meta',
} as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

/** A record as stored: `version` starts at 1 and grows by one on every write (optimistic concurrency). */
export interface Stored<T> {
  readonly key: string;
  readonly version: number;
  readonly value: T;
}

/** Selects records of one kind: by key prefix (keys embed their parents, e.g. `cluster/task-id`). */
export interface Query {
  prefix?: string;
}

/** What a write says about the record it replaces. */
export type Expect =
  /** Write whatever is there. */
  | undefined
  /** The record must not exist yet. */
  | 'absent'
  /** The record must be at exactly this version. */
  | number;

/** Thrown by `put`/`remove` when `Expect` does not hold; controllers re-read and retry. */
export class VersionConflict extends Error {
  readonly kind: Kind;
  readonly key: string;
  constructor(kind: Kind, key: string, expected: Expect, actual: number | undefined) {
    super(`version conflict on ${kind} ${key}: expected ${String(expected)}, found ${String(actual)}`);
    this.name = 'VersionConflict';
    this.kind = kind;
    this.key = key;
  }
}

/** Reads, inside or outside a transaction. Lists are ordered by key. */
export interface Reader {
  get<T>(kind: Kind, key: string): Promise<Stored<T> | undefined>;
  list<T>(kind: Kind, query?: Query): Promise<Stored<T>[]>;
}

/** A transaction: reads see its own writes; nothing is visible to others until it commits. */
export interface Tx extends Reader {
  /** Writes `value`; returns the new version. */
  put<T>(kind: Kind, key: string, value: T, expect?: Expect): Promise<number>;
  remove(kind: Kind, key: string, expect?: Expect): Promise<boolean>;
  /** Runs `callback` once the transaction has committed (never when it rolls back). */
  onCommit(callback: () => void): void;
}

/** The embedded (SQLite) and cluster (PostgreSQL) stores both implement this. */
export interface Store extends Reader {
  /** Runs `fn` in one serializable transaction; commits when it resolves, rolls back when it throws. */
  transact<R>(fn: (tx: Tx) => Promise<R>): Promise<R>;
  /** Deletes every record (the embedded-mode `/moto-api/reset`). */
  clear(): Promise<void>;
  close(): Promise<void>;
}
