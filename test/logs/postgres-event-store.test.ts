/**
 * The PostgreSQL event store against a real server (test/support/postgres.ts): the conformance
 * suite, then what only a shared database has: two replicas' stores on one database (ids, events
 * written through one and read through the other, paging while both append), lost connections.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Cursor, EventStore, StoredEvent } from '../../src/logs/model/event-store.ts';
import { PostgresEventStore } from '../../src/logs/model/postgres-event-store.ts';
import { StoreUnavailable } from '../../src/store/postgres/errors.ts';
import { sharedPostgres } from '../support/postgres.ts';
import { eventStoreConformance } from './event-store-conformance.ts';

const availability = await sharedPostgres();

if ('skip' in availability) {
  it('PostgreSQL event store', { skip: availability.skip }, () => {});
} else {
  const server = availability.server;
  after(() => server.close());
  const urls = new WeakMap<EventStore, string>();

  eventStoreConformance('PostgreSQL', {
    async create() {
      const url = await server.createDatabase();
      const store = new PostgresEventStore(url);
      urls.set(store, url);
      return store;
    },
    async destroy(store) {
      await store.close();
      await server.dropDatabase(urls.get(store)!);
    },
  });

  /** Two replicas' stores on one new database; closed and dropped after the test. */
  const replicas = async (t: { after: (fn: () => Promise<void>) => void }) => {
    const url = await server.createDatabase();
    const a = new PostgresEventStore(url);
    const b = new PostgresEventStore(url);
    t.after(async () => {
      await a.close();
      await b.close();
      await server.dropDatabase(url);
    });
    return { url, a, b };
  };

  describe('PostgreSQL event store: two replicas on one database', () => {
    it('never hands out one id twice, migrating once', async (t) => {
      const { a, b } = await replicas(t);
      // Both migrate at once on their first call.
      const ids = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).newId()));
      assert.equal(new Set(ids).size, 200);
    });

    it('reads through one replica what was appended through the other', async (t) => {
      const { a, b } = await replicas(t);
      const [group, stream] = [await a.newId(), await b.newId()];
      await a.append(
        group,
        stream,
        [
          { timestamp: 5, message: 'from a' },
          { timestamp: 6, message: 'nul\u0000kept' },
        ],
        9,
      );
      assert.deepEqual(
        (await b.scan({ groupId: group, limit: 10 })).map((e) => e.message),
        ['from a', 'nul\u0000kept'],
      );
      assert.deepEqual(
        (await b.scan({ groupId: group, limit: 10, contains: ['\u0000k'] })).map((e) => e.timestamp),
        [6],
      );
      const down = await b.streamEvents({ groupId: group, streamId: stream, descending: true, limit: 1 });
      assert.equal(down[0]!.message, 'nul\u0000kept');
      assert.deepEqual((await b.streamStats(group)).get(stream), {
        firstEventTimestamp: 5,
        lastEventTimestamp: 6,
        lastIngestionTime: 9,
        storedBytes: 6 + 8 + 2 * 26,
      });
      await b.deleteEvents(group, stream);
      assert.deepEqual(await a.scan({ groupId: group, limit: 10 }), []);
    });

    it('pages exactly once through events both replicas append in the same milliseconds', async (t) => {
      const { a, b } = await replicas(t);
      const group = await a.newId();
      const streams = [await a.newId(), await b.newId(), await a.newId()];
      const BATCHES = 30;
      const PER_BATCH = 100;
      // Three writers on two replicas (two on `a`'s pool), every event in one millisecond: ids drawn
      // by concurrent transactions, commits racing each other and the readers. (An event older than
      // a cursor is behind it whatever its id, in either store: only same-millisecond order is at stake.)
      const writers = streams.map(async (stream, w) => {
        for (let i = 0; i < BATCHES; i++) {
          const events = Array.from({ length: PER_BATCH }, (_, k) => ({
            timestamp: 1000,
            message: `w${w}-${i}-${k}`,
          }));
          await (w === 1 ? b : a).append(group, stream, events, 1);
        }
      });
      let writing = true;
      const done = Promise.all(writers).finally(() => {
        writing = false;
      });
      // A tail of the group (FilterLogEvents' cursor) and of one stream (GetLogEvents' forward token),
      // both through `b`, reading while the writers write, then once more after they finished.
      const tail = async (read: (after: Cursor | undefined) => Promise<StoredEvent[]>) => {
        const seen: StoredEvent[] = [];
        let cursor: Cursor | undefined;
        for (let last = false; ; ) {
          const rows = await read(cursor);
          seen.push(...rows);
          if (rows.length > 0) cursor = rows[rows.length - 1]!;
          if (rows.length === 0 && last) return seen;
          if (!writing) last = true;
        }
      };
      const [groupTail, streamTail] = await Promise.all([
        tail((after) => b.scan({ groupId: group, limit: 37, ...(after ? { after } : {}) })),
        tail((after) =>
          b.streamEvents({
            groupId: group,
            streamId: streams[0]!,
            descending: false,
            limit: 23,
            ...(after ? { after } : {}),
          }),
        ),
        done,
      ]);
      const total = streams.length * BATCHES * PER_BATCH;
      const order = (e: StoredEvent[]) => {
        for (let i = 1; i < e.length; i++)
          assert.ok(
            e[i]!.timestamp > e[i - 1]!.timestamp ||
              (e[i]!.timestamp === e[i - 1]!.timestamp && e[i]!.id > e[i - 1]!.id),
          );
      };
      // Every event once: none skipped by a cursor that passed it before it committed.
      assert.equal(new Set(groupTail.map((e) => e.id)).size, groupTail.length);
      assert.equal(groupTail.length, total);
      assert.equal(streamTail.length, BATCHES * PER_BATCH);
      assert.equal(new Set(streamTail.map((e) => e.message)).size, BATCHES * PER_BATCH);
      // A fresh read pages through them in (timestamp, id) order.
      const fresh = await tail((after) =>
        a.scan({ groupId: group, limit: 1000, ...(after ? { after } : {}) }),
      );
      assert.equal(fresh.length, total);
      order(fresh);
      assert.equal(
        [...(await a.streamStats(group)).values()].reduce((n, s) => n + s.storedBytes, 0),
        fresh.reduce((n, e) => n + Buffer.byteLength(e.message) + 26, 0),
      );
    });
  });

  it('PostgreSQL event store: deletes a group larger than one deletion transaction', async (t) => {
    const { a } = await replicas(t);
    const group = await a.newId();
    for (let s = 0; s < 6; s++)
      await a.append(
        group,
        s,
        Array.from({ length: 10_000 }, (_, i) => ({ timestamp: i, message: `e${i}` })),
        1,
      );
    await a.append(group + 1, 1, [{ timestamp: 1, message: 'another group' }], 1);
    await a.deleteEvents(group);
    assert.deepEqual(await a.scan({ groupId: group, limit: 1 }), []);
    assert.equal((await a.streamStats(group)).size, 0);
    assert.equal((await a.scan({ groupId: group + 1, limit: 10 })).length, 1);
  });

  describe('PostgreSQL event store: lost connections', () => {
    it('retries a read whose connection was closed under it', async (t) => {
      const { url, a } = await replicas(t);
      const group = await a.newId();
      await a.append(group, 1, [{ timestamp: 1, message: 'x' }], 1);
      // Every session of the database goes (the pool's idle connections included).
      await server.terminateSessions(url);
      assert.equal((await a.scan({ groupId: group, limit: 10 })).length, 1);
      await a.append(group, 1, [{ timestamp: 2, message: 'y' }], 1);
      assert.equal((await a.scan({ groupId: group, limit: 10 })).length, 2);
    });

    it('answers ServiceUnavailable when PostgreSQL stays unreachable', async () => {
      // Nothing listens on port 1: every connection attempt is refused.
      const store = new PostgresEventStore('postgres://postgres@127.0.0.1:1/none', { retryWindowMs: 300 });
      try {
        const error = await store.scan({ groupId: 1, limit: 1 }).catch((e: unknown) => e);
        assert.ok(error instanceof StoreUnavailable, String(error));
        assert.equal(error.code, 'ServiceUnavailable');
        assert.equal(error.fault, 'server');
        await assert.rejects(store.append(1, 1, [{ timestamp: 1, message: 'm' }], 1), StoreUnavailable);
      } finally {
        await store.close();
      }
    });
  });
}
