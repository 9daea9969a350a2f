import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';
import { storeConformance } from './conformance.ts';

const paths = new WeakMap<Store, string>();

storeConformance('SQLite', {
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'longshore-store-'));
    const store = SqliteStore.open(join(dir, 'db.sqlite'));
    paths.set(store, dir);
    return store;
  },
  async reopen(store) {
    const dir = paths.get(store)!;
    await store.close();
    const reopened = SqliteStore.open(join(dir, 'db.sqlite'));
    paths.set(reopened, dir);
    return reopened;
  },
  async destroy(store) {
    await store.close();
    const dir = paths.get(store);
    if (dir) rmSync(dir, { recursive: true, force: true });
  },
});
