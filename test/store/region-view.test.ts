import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { regionView } from '../../src/store/region-view.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { type ChangeBatch, Kind, type Store } from '../../src/store/store.ts';
import { storeConformance } from './conformance.ts';

const bases = new WeakMap<Store, { base: SqliteStore; dir: string }>();

function open(dir: string): Store {
  const base = SqliteStore.open(join(dir, 'db.sqlite'));
  const view = regionView(base, 'eu-west-1', 'us-east-1');
  bases.set(view, { base, dir });
  return view;
}

// A region's view must be a Store like any other.
storeConformance('SQLite, a non-home region view', {
  async create() {
    return open(mkdtempSync(join(tmpdir(), 'longshore-region-')));
  },
  async reopen(store) {
    const { base, dir } = bases.get(store)!;
    await base.close();
    return open(dir);
  },
  async destroy(store) {
    const { base, dir } = bases.get(store)!;
    await base.close();
    rmSync(dir, { recursive: true, force: true });
  },
});

describe('region views of one store', () => {
  it('keep each region apart, the home region in the plain collections', async () => {
    const base = SqliteStore.open(':memory:');
    const east = regionView(base, 'us-east-1', 'us-east-1');
    const west = regionView(base, 'eu-west-1', 'us-east-1');
    const heard: Record<string, ChangeBatch[]> = { east: [], west: [] };
    east.watch((b) => heard.east.push(b));
    west.watch((b) => heard.west.push(b));
    await east.transact((tx) => tx.put(Kind.Cluster, 'default', { region: 'us-east-1' }));
    await west.transact((tx) => tx.put(Kind.Cluster, 'default', { region: 'eu-west-1' }));
    assert.deepEqual((await east.get(Kind.Cluster, 'default'))?.value, { region: 'us-east-1' });
    assert.deepEqual((await west.get(Kind.Cluster, 'default'))?.value, { region: 'eu-west-1' });
    // Home-region records are where records were before regions existed.
    assert.deepEqual((await base.get(Kind.Cluster, 'default'))?.value, { region: 'us-east-1' });
    assert.equal((await west.list(Kind.Cluster)).length, 1);
    assert.deepEqual(
      heard.west.map((b) => b.changes),
      [[{ kind: Kind.Cluster, key: 'default', version: 1 }]],
    );
    assert.equal(heard.east.length, 1);
    await base.close();
  });
});
