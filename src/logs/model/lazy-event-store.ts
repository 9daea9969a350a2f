/** The embedded event store, opened on first use: an installation that never logs never creates the file. */
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
  let store: SqliteEventStore | undefined;
  return {
    get: () => {
      store ??= new SqliteEventStore(path);
      return store;
    },
    opened: () => store !== undefined || existsSync(path),
    async close() {
      await store?.close();
      store = undefined;
    },
  };
}
