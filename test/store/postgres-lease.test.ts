/** Leader election on PostgreSQL (src/store/postgres/leader-lease.ts): failover and fencing. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { alwaysLeader, Fenced } from '../../src/store/leader.ts';
import { PostgresLeaderLease } from '../../src/store/postgres/leader-lease.ts';
import { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { Kind } from '../../src/store/store.ts';
import { sharedPostgres } from '../support/postgres.ts';

const CHILD = new URL('./postgres-lease-child.ts', import.meta.url).pathname;
/** The failover target (ARCHITECTURE.md section 6: leader failover <= 10 s). */
const FAILOVER_LIMIT_MS = 10_000;

describe('leader election: embedded', () => {
  it('the SQLite store has one process, which always leads and needs no fence', async () => {
    const store = SqliteStore.open(':memory:');
    const election = alwaysLeader();
    assert.equal(election.isLeader(), true);
    assert.equal(election.fenced(store), store);
    await election.fenced(store).transact((tx) => tx.put(Kind.Cluster, 'x', {}));
    assert.ok(await store.get(Kind.Cluster, 'x'));
    await store.close();
  });
});

const availability = await sharedPostgres();

if ('skip' in availability) {
  it('PostgreSQL leader lease', { skip: availability.skip }, () => {});
} else {
  const server = availability.server;
  after(() => server.close());

  const until = async (what: string, check: () => boolean, ms: number) => {
    const deadline = performance.now() + ms;
    while (!check()) {
      if (performance.now() > deadline) assert.fail(`timed out after ${ms} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  describe('leader election: PostgreSQL lease', () => {
    it('a replica killed with SIGKILL loses the lease and another takes it within 10 s', async (t) => {
      const url = await server.createDatabase();
      const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', CHILD, url], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      t.after(() => {
        child.kill('SIGKILL');
      });
      const lines = createInterface({ input: child.stdout! });
      const childToken = await new Promise<number>((resolve, reject) => {
        lines.on('line', (line) => {
          const m = /^leader (\d+)$/.exec(line);
          if (m) resolve(Number(m[1]));
        });
        child.once('exit', (code) => reject(new Error(`the child replica exited (${code}) before leading`)));
      });
      const store = await PostgresStore.open(url);
      const lease = await PostgresLeaderLease.start(store, { holder: 'survivor' });
      t.after(async () => {
        await lease.close();
        await store.close();
        await server.dropDatabase(url);
      });
      const changes: boolean[] = [];
      lease.onChange((leader) => changes.push(leader));
      assert.equal(lease.isLeader(), false, 'the child leads, not us');
      await new Promise((r) => setTimeout(r, 2_000));
      assert.equal(lease.isLeader(), false, 'a live leader keeps its lease');
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      const killedAt = performance.now();
      await until('the survivor to lead', () => lease.isLeader(), FAILOVER_LIMIT_MS + 1_000);
      const failover = performance.now() - killedAt;
      assert.ok(failover <= FAILOVER_LIMIT_MS, `failover took ${Math.round(failover)} ms`);
      assert.ok(lease.fencingToken()! > childToken, 'a new term has a higher token');
      assert.deepEqual(changes, [true]);
      await lease.fenced(store).transact((tx) => tx.put(Kind.Meta, 'leader-write', { by: 'survivor' }));
    });

    it("refuses a deposed leader's writes in the commit, by fencing token", async (t) => {
      const url = await server.createDatabase();
      const a = await PostgresStore.open(url);
      const b = await PostgresStore.open(url);
      // A's lease talks to PostgreSQL through connections of its own, so they can be cut alone.
      const aLeaseLink = await PostgresStore.open(url);
      const leaseA = await PostgresLeaderLease.start(aLeaseLink, { holder: 'a', ttlMs: 1_500 });
      const leaseB = await PostgresLeaderLease.start(b, { holder: 'b', ttlMs: 1_500 });
      t.after(async () => {
        await leaseA.close();
        await leaseB.close();
        await Promise.all([a.close(), b.close(), aLeaseLink.close()]);
        await server.dropDatabase(url);
      });
      assert.equal(leaseA.isLeader(), true);
      assert.equal(leaseB.isLeader(), false);
      const oldToken = leaseA.fencingToken()!;
      await leaseA.fenced(a).transact((tx) => tx.put(Kind.Service, 'svc', { desired: 1 }));
      // A partition between A's lease and PostgreSQL: renewals stop; A's store still reaches it.
      await aLeaseLink.close();
      await until('B to take over', () => leaseB.isLeader(), 5_000);
      assert.ok(leaseB.fencingToken()! > oldToken);
      // A late write of the old term reaches the database: the commit itself refuses it.
      await assert.rejects(
        a.transact((tx) => tx.put(Kind.Service, 'svc', { desired: 99 }), {
          fence: { name: leaseA.name, token: oldToken },
        }),
        Fenced,
      );
      await b.sync();
      assert.deepEqual(
        (await b.get(Kind.Service, 'svc'))?.value,
        { desired: 1 },
        'nothing of it was applied',
      );
      // A stops trusting its lease by its own clock; its fenced view then refuses at once.
      await until('A to step down', () => !leaseA.isLeader(), 3_000);
      await assert.rejects(
        leaseA.fenced(a).transact((tx) => tx.put(Kind.Service, 'svc', { desired: 98 })),
        Fenced,
      );
      const v = await leaseB.fenced(b).transact((tx) => tx.put(Kind.Service, 'svc', { desired: 2 }, 1));
      assert.equal(v, 2);
    });

    it('a leader that closes hands the lease over at once', async (t) => {
      const url = await server.createDatabase();
      const a = await PostgresStore.open(url);
      const b = await PostgresStore.open(url);
      const leaseA = await PostgresLeaderLease.start(a, { holder: 'a', ttlMs: 30_000, renewEveryMs: 200 });
      const leaseB = await PostgresLeaderLease.start(b, { holder: 'b', ttlMs: 30_000, renewEveryMs: 200 });
      t.after(async () => {
        await leaseB.close();
        await a.close();
        await b.close();
        await server.dropDatabase(url);
      });
      assert.equal(leaseA.isLeader(), true);
      await leaseA.close();
      assert.equal(leaseA.isLeader(), false);
      await until('B to lead long before the 30 s TTL', () => leaseB.isLeader(), 2_000);
    });
  });
}
