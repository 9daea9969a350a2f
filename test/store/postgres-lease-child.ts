/**
 * A replica for postgres-lease.test.ts to kill: opens the store at argv[2], campaigns for the
 * lease, prints `leader <token>` when it leads, and runs until it is killed.
 */
import { PostgresLeaderLease } from '../../src/store/postgres/leader-lease.ts';
import { PostgresStore } from '../../src/store/postgres/postgres-store.ts';

const store = await PostgresStore.open(process.argv[2]);
const lease = await PostgresLeaderLease.start(store, { name: 'controllers', holder: 'child' });
const report = (leader: boolean) =>
  process.stdout.write(leader ? `leader ${lease.fencingToken()}\n` : 'follower\n');
lease.onChange(report);
report(lease.isLeader());
setInterval(() => {}, 60_000);
