/** The SQLite event store against the EventStore conformance suite (the PostgreSQL one: postgres-event-store.test.ts). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/logs/model/sqlite-event-store.ts';
import { eventStoreConformance } from './event-store-conformance.ts';

const dirs = new WeakMap<object, string>();

eventStoreConformance('SQLite', {
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'longshore-events-'));
    const store = new SqliteEventStore(join(dir, 'logs', 'events.db'));
    dirs.set(store, dir);
    return store;
  },
  async destroy(store) {
    await store.close();
    rmSync(dirs.get(store)!, { recursive: true, force: true });
  },
});
