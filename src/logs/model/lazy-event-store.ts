/** The event store, opened on first use: an installation that never logs never creates the file (or connects). */
import { existsSync } from 'node:fs';
import type { EventStore } from './event-store.ts';
import { SqliteEventStore } from './sqlite-event-store.ts';

export interface LazyEventStore {
  get(): EventStore;
  /** Whether it is open or exists on disk (nothing to sweep otherwise). */
  opened(): boolean;
  close(): Promise<void>;
}

/** `<dataDir>/logs/events.db`, opened by the first `get()`. */
export function lazyEventStore(path: string): LazyEventStore {
  return lazily(
    () => new SqliteEventStore(path),
    () => existsSync(path),
  );
}

/**
 * Cluster mode: the replicas' PostgreSQL database (`--store`), shared by all of them, so it may
 * hold events whichever replica asks (`opened()` is always true). `pg` and the event store load
 * here; the pool connects, and the tables are made, on the first call.
 */
export async function lazyPostgresEventStore(url: string): Promise<LazyEventStore> {
  const { PostgresEventStore } = await import('./postgres-event-store.ts');
  return lazily(
    () => new PostgresEventStore(url),
    () => true,
  );
}

function lazily(open: () => EventStore, exists: () => boolean): LazyEventStore {
  let store: EventStore | undefined;
  return {
    get: () => {
      store ??= open();
      return store;
    },
    opened: () => store !== undefined || exists(),
    async close() {
      await store?.close();
      store = undefined;
    },
  };
}
