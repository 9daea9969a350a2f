/**
 * The PostgreSQL store against a real server (test/support/postgres.ts): the conformance suite,
 * then what only a shared database has: replicas, lost connections, a restarted server,
 * migrations raced by two replicas.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { StoreUnavailable } from '../../src/store/postgres/errors.ts';
import { PostgresStore, type PostgresStoreOptions } from '../../src/store/postgres/postgres-store.ts';
import { migrations } from '../../src/store/migrations.ts';
import { type ChangeBatch, Kind, type Store } from '../../src/store/store.ts';
import { sharedPostgres } from '../support/postgres.ts';
import { storeConformance } from './conformance.ts';

const availability = await sharedPostgres();

if ('skip' in availability) {
  it('PostgreSQL store', { skip: availability.skip }, () => {});
} else {
  const server = availability.server;
  after(() => server.close());
  const urls = new WeakMap<Store, string>();

  const open = async (url: string, options?: PostgresStoreOptions) => {
    const store = await PostgresStore.open(url, options);
    urls.set(store, url);
    return store;
  };

  storeConformance('PostgreSQL', {
    async create() {
      return open(await server.createDatabase());
    },
    async reopen(store) {
      const url = urls.get(store)!;
      await store.close();
      return open(url);
    },
    async destroy(store) {
      await store.close();
      await server.dropDatabase(urls.get(store)!);
    },
  });

  /** Two replicas on one new database; closed and dropped after the test. */
  const replicas = async (
    t: { after: (fn: () => Promise<void>) => void },
    options?: PostgresStoreOptions,
  ) => {
    const url = await server.createDatabase();
    const a = await open(url, options);
    const b = await open(url, options);
    t.after(async () => {
      await a.close();
      await b.close();
      await server.dropDatabase(url);
    });
    return { url, a, b };
  };

  const until = async (what: string, check: () => boolean | Promise<boolean>, ms = 5_000) => {
    const deadline = performance.now() + ms;
    while (!(await check())) {
      if (performance.now() > deadline) assert.fail(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  describe('PostgreSQL store: replicas', () => {
    it("two replicas see each other's writes through the change feed, with one numbering", async (t) => {
      const { a, b } = await replicas(t);
      const seenByB: ChangeBatch[] = [];
      const seenByA: ChangeBatch[] = [];
      b.watch((batch) => seenByB.push(batch));
      a.watch((batch) => seenByA.push(batch));
      await a.transact((tx) => tx.put(Kind.Cluster, 'from-a', { n: 1 }));
      await until('B to see A', () => seenByB.length === 1);
      assert.deepEqual(seenByB[0], {
        revision: 1,
        gap: false,
        changes: [{ kind: Kind.Cluster, key: 'from-a', version: 1 }],
      });
      assert.deepEqual((await b.get(Kind.Cluster, 'from-a'))?.value, { n: 1 });
      await b.transact((tx) => tx.put(Kind.Cluster, 'from-b', { n: 2 }));
      await until('A to see B', () => seenByA.length === 2);
      assert.equal(seenByA[1].revision, 2);
      assert.deepEqual((await a.get(Kind.Cluster, 'from-b'))?.value, { n: 2 });
      assert.equal(a.revision(), 2);
      assert.equal(b.revision(), 2);
    });

    it('keeps read-modify-write serializable across replicas (no lost update)', async (t) => {
      const { a, b } = await replicas(t);
      await a.transact((tx) => tx.put(Kind.Meta, 'counter', { n: 0 }));
      await b.sync();
      const bump = (store: PostgresStore) =>
        store.transact(async (tx) => {
          const cur = await tx.get<{ n: number }>(Kind.Meta, 'counter');
          // Without an expected version: the commit's read validation alone must catch the race.
          await tx.put(Kind.Meta, 'counter', { n: (cur?.value.n ?? 0) + 1 });
        });
      await Promise.all(Array.from({ length: 40 }, (_, i) => bump(i % 2 ? a : b)));
      await a.sync();
      await b.sync();
      assert.equal((await a.get<{ n: number }>(Kind.Meta, 'counter'))?.value.n, 40);
      assert.equal((await b.get<{ n: number }>(Kind.Meta, 'counter'))?.value.n, 40);
      assert.equal(a.revision(), 41);
    });

    it('contended transactions on three replicas take turns instead of failing (each reads the whole set)', async (t) => {
      const { url, a, b } = await replicas(t);
      const c = await open(url);
      t.after(() => c.close());
      const stores = [a, b, c];
      // Like RunTasks into one cluster: each lists every task, works a little, then adds one.
      const place = (store: PostgresStore, i: number) =>
        store.transact(async (tx) => {
          const placed = await tx.list(Kind.Task, { prefix: 'one/' });
          await new Promise((r) => setTimeout(r, 1));
          await tx.put(Kind.Task, `one/${i}`, { seen: placed.length }, 'absent');
        });
      const results = await Promise.allSettled(Array.from({ length: 90 }, (_, i) => place(stores[i % 3], i)));
      const failed = results.filter((r) => r.status === 'rejected');
      assert.deepEqual(
        failed.map((f) => String((f as PromiseRejectedResult).reason)),
        [],
        'no placement gave up after repeated conflicts',
      );
      await a.sync();
      assert.equal((await a.list(Kind.Task, { prefix: 'one/' })).length, 90);
    });

    it('a read barrier (sync) shows a write acknowledged by the other replica, and a stale expected version is retried, not refused', async (t) => {
      const { a, b } = await replicas(t);
      await a.transact((tx) => tx.put(Kind.Service, 's', { v: 1 }));
      await b.sync();
      assert.equal((await b.get(Kind.Service, 's'))?.version, 1);
      // A's second write and B's write expecting version 2 race the notification to B.
      await a.transact((tx) => tx.put(Kind.Service, 's', { v: 2 }, 1));
      const v = await b.transact((tx) => tx.put(Kind.Service, 's', { v: 3 }, 2));
      assert.equal(v, 3);
    });

    it('a replica that lost its LISTEN connection catches up from the sequence, in order', async (t) => {
      const { url, a, b } = await replicas(t, { pollIntervalMs: 60_000 });
      const seen: ChangeBatch[] = [];
      b.watch((batch) => seen.push(batch));
      // Cut B's LISTEN session; A commits while B is reconnecting.
      assert.ok((await server.terminateSessions(url, 'LISTEN%')) >= 2);
      for (let i = 0; i < 5; i++) await a.transact((tx) => tx.put(Kind.Task, `c/${i}`, { i }));
      await until('B to catch up', () => b.revision() === 5);
      assert.deepEqual(
        seen.map((s) => s.revision),
        [1, 2, 3, 4, 5],
      );
      assert.ok(seen.every((s) => !s.gap));
      assert.equal((await b.list(Kind.Task)).length, 5);
    });

    it('announces a gap and reloads when the change log no longer reaches back', async (t) => {
      const { a, b } = await replicas(t, { keepRevisions: 10 });
      await a.transact((tx) => tx.put(Kind.Task, 'c/old', { old: true }));
      await b.sync();
      const seen: ChangeBatch[] = [];
      b.watch((batch) => seen.push(batch));
      // Hold B back: a transaction left open holds B's mirror where it is (catch-ups wait for
      // it), while A outruns the log (it keeps 10 revisions; pruning runs every 256).
      let release!: () => void;
      let holding!: () => void;
      const hold = new Promise<void>((r) => (holding = r));
      const held = b.transact(
        () =>
          new Promise<void>((r) => {
            release = r;
            holding();
          }),
      );
      await hold;
      const heldAt = b.revision();
      await a.transact((tx) => tx.remove(Kind.Task, 'c/old'));
      for (let i = 0; i < 300; i++) await a.transact((tx) => tx.put(Kind.Meta, 'n', { i }));
      assert.equal(b.revision(), heldAt, 'B is held back');
      assert.ok(a.revision() - heldAt > 256);
      release();
      await held;
      await b.sync();
      assert.equal(b.revision(), a.revision());
      assert.equal(await b.get(Kind.Task, 'c/old'), undefined);
      assert.deepEqual((await b.get<{ i: number }>(Kind.Meta, 'n'))?.value, { i: 299 });
      assert.deepEqual(
        seen.map((s) => s.gap),
        [true],
        'a replica that cannot read what it missed is told so, once',
      );
    });

    it('refuses to open a database a newer build migrated, naming what to do', async (t) => {
      const url = await server.createDatabase();
      const first = await open(url);
      await first.close();
      t.after(() => server.dropDatabase(url));
      // A newer replica applied a migration this build does not know.
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(
        'INSERT INTO pg_schema_version (version) SELECT MAX(version) + 1 FROM pg_schema_version',
      );
      await client.end();
      await assert.rejects(
        PostgresStore.open(url),
        (error: Error) =>
          error.name === 'SchemaTooNew' && /newer than this Longshore build knows/.test(error.message),
      );
    });

    it('runs migrations once when two replicas start at once', async (t) => {
      const url = await server.createDatabase();
      const [a, b, c] = await Promise.all([open(url), open(url), open(url)]);
      t.after(async () => {
        await Promise.all([a.close(), b.close(), c.close()]);
        await server.dropDatabase(url);
      });
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const shared = await client.query('SELECT version FROM schema_version ORDER BY version');
        assert.deepEqual(
          shared.rows.map((r) => r.version),
          migrations.map((_, i) => i + 1),
        );
        const own = await client.query(
          'SELECT count(*)::int AS n, count(DISTINCT version)::int AS d FROM pg_schema_version',
        );
        assert.equal(own.rows[0].n, own.rows[0].d);
        assert.ok(own.rows[0].n >= 2);
      } finally {
        await client.end();
      }
      await a.transact((tx) => tx.put(Kind.Cluster, 'x', {}));
      await c.sync();
      assert.ok(await c.get(Kind.Cluster, 'x'));
    });
  });

  describe('PostgreSQL store: faults', () => {
    it('a connection killed mid-commit leaves all or nothing, and the commit is retried once', async (t) => {
      const { url, a, b } = await replicas(t);
      const records = 20_000;
      const killer = (async () => {
        // Terminate the session running the commit statement as soon as it shows up.
        for (let i = 0; i < 500; i++) {
          if ((await server.terminateSessions(url, '%longshore_commit%')) > 0) return true;
          await new Promise((r) => setTimeout(r, 2));
        }
        return false;
      })();
      let outcome: 'ok' | StoreUnavailable = 'ok';
      try {
        await a.transact(async (tx) => {
          for (let i = 0; i < records; i++)
            await tx.put(Kind.Task, `big/${String(i).padStart(5, '0')}`, { i, pad: 'x'.repeat(64) });
        });
      } catch (error) {
        if (!(error instanceof StoreUnavailable)) throw error;
        outcome = error;
      }
      assert.equal(await killer, true, 'the commit was seen and its session terminated');
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const counted = await client.query("SELECT count(*)::int AS n FROM records WHERE key LIKE 'big/%'");
      const revisions = await client.query('SELECT count(*)::int AS n FROM longshore_revisions');
      await client.end();
      const n = counted.rows[0].n;
      assert.ok(n === 0 || n === records, `all or nothing, found ${n}`);
      if (outcome === 'ok') assert.equal(n, records, 'an acknowledged commit is all there');
      assert.equal(revisions.rows[0].n, n === records ? 1 : 0, 'applied at most once');
      await b.sync();
      assert.equal((await b.list(Kind.Task, { prefix: 'big/' })).length, n);
      assert.equal((await a.list(Kind.Task, { prefix: 'big/' })).length, n);
    });

    it('PostgreSQL restarted under load: calls fail with StoreUnavailable during the outage and succeed after, nothing lost or doubled', async (t) => {
      const options = { retryWindowMs: 600, staleReadLimitMs: 1_500, pollIntervalMs: 200 };
      const { a, b } = await replicas(t, options);
      await a.transact((tx) => tx.put(Kind.Meta, 'counter', { n: 0 }));
      let acknowledged = 0;
      let unknown = 0;
      const failures: unknown[] = [];
      let running = true;
      const load = async (store: PostgresStore) => {
        while (running) {
          try {
            await store.transact(async (tx) => {
              const cur = await tx.get<{ n: number }>(Kind.Meta, 'counter');
              await tx.put(Kind.Meta, 'counter', { n: (cur?.value.n ?? 0) + 1 }, cur?.version);
            });
            acknowledged++;
          } catch (error) {
            failures.push(error);
            if (error instanceof StoreUnavailable && error.outcome !== 'not-applied') unknown++;
            await new Promise((r) => setTimeout(r, 20));
          }
        }
      };
      const loops = [load(a), load(b)];
      await new Promise((r) => setTimeout(r, 300));
      const before = acknowledged;
      await server.stop();
      await new Promise((r) => setTimeout(r, 2_000)); // past the retry window and the stale-read limit
      await assert.rejects(a.get(Kind.Meta, 'counter'), StoreUnavailable, 'reads refuse a stale copy');
      const duringOutage = failures.length;
      await server.start();
      await until('writes to succeed again', () => acknowledged > before + 20, 15_000);
      running = false;
      await Promise.all(loops);
      assert.ok(before > 0, 'load ran before the outage');
      assert.ok(duringOutage > 0, 'calls failed during the outage');
      for (const f of failures)
        assert.ok(f instanceof StoreUnavailable, `retriable failure, got ${String(f)}`);
      assert.ok(failures.every((f) => (f as StoreUnavailable).fault === 'server'));
      await a.sync();
      await b.sync();
      const n = (await a.get<{ n: number }>(Kind.Meta, 'counter'))!.value.n;
      assert.ok(
        n >= acknowledged && n <= acknowledged + unknown,
        `counter ${n}, acknowledged ${acknowledged} (+${unknown} unknown)`,
      );
      assert.equal((await b.get<{ n: number }>(Kind.Meta, 'counter'))!.value.n, n);
      assert.equal(a.revision(), b.revision());
    });
  });
}
