/**
 * The control plane's store and who leads: the embedded SQLite store in the data directory (one
 * process, always the leader), or a PostgreSQL database several replicas share (`--store
 * postgres://...`), with the leader lease deciding which replica runs the controllers
 * (docs/cluster-mode.md). The PostgreSQL code loads only when it is asked for.
 */
import { join } from 'node:path';
import { alwaysLeader, type LeaderElection } from '../store/leader.ts';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { Store } from '../store/store.ts';

export async function openStore(options: {
  dataDir: string;
  storeUrl?: string;
}): Promise<{ store: Store; leader: LeaderElection; readBarrier?: () => Promise<void> }> {
  if (!options.storeUrl)
    return { store: SqliteStore.open(join(options.dataDir, 'longshore.db')), leader: alwaysLeader() };
  const { PostgresStore } = await import('../store/postgres/postgres-store.ts');
  const { PostgresLeaderLease } = await import('../store/postgres/leader-lease.ts');
  const store = await PostgresStore.open(options.storeUrl);
  try {
    // Each API request waits for the replica to hold every commit acknowledged before it arrived.
    return { store, leader: await PostgresLeaderLease.start(store), readBarrier: () => store.sync() };
  } catch (error) {
    await store.close();
    throw error;
  }
}
