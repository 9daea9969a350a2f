/**
 * The EventStore conformance suite: every implementation (SQLite embedded, PostgreSQL in cluster
 * mode) must pass it. All-or-nothing appends, concurrent appends, cursors, stats, expiry, deletion.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EventStore, NewEvent } from '../../src/logs/model/event-store.ts';

export interface EventStoreFactory {
  /** A new, empty store. */
  create(): Promise<EventStore>;
  destroy(store: EventStore): Promise<void>;
}

export function eventStoreConformance(name: string, factory: EventStoreFactory): void {
  describe(`EventStore conformance: ${name}`, () => {
    let store: EventStore;
    before(async () => {
      store = await factory.create();
    });
    after(async () => {
      await factory.destroy(store);
    });

    it('hands out distinct ids', async () => {
      const ids = await Promise.all([store.newId(), store.newId(), store.newId()]);
      assert.equal(new Set(ids).size, 3);
    });

    it('stores nothing of an append that fails half way, and keeps serving writes', async () => {
      const good = Array.from({ length: 2500 }, (_, i) => ({ timestamp: 1000 + i, message: `m${i}` }));
      // No store can hold a timestamp past 64 bits: the 2,501st row fails after 2,500 were sent.
      const bad = [...good, { timestamp: (2n ** 70n) as unknown as number, message: 'too far' }];
      await assert.rejects(store.append(1, 1, bad, 1));
      assert.deepEqual(await store.scan({ groupId: 1, limit: 10 }), []);
      assert.equal((await store.streamStats(1)).size, 0);
      await store.append(1, 1, good, 7);
      assert.equal((await store.scan({ groupId: 1, limit: 10_000 })).length, 2500);
    });

    it('serializes concurrent appends and orders events by (timestamp, id)', async () => {
      const batch = (stream: number, t: number): NewEvent[] =>
        Array.from({ length: 1500 }, (_, i) => ({ timestamp: t, message: `s${stream}-${i}` }));
      await Promise.all([store.append(2, 1, batch(1, 10), 1), store.append(2, 2, batch(2, 10), 1)]);
      const all = await store.scan({ groupId: 2, limit: 10_000 });
      assert.equal(all.length, 3000);
      for (let i = 1; i < all.length; i++) assert.ok(all[i]!.id > all[i - 1]!.id);
      // Events of one millisecond keep the order they were put in.
      const two = all.filter((e) => e.streamId === 2).map((e) => e.message);
      assert.deepEqual(
        two,
        batch(2, 10).map((e) => e.message),
      );
      // Cursors resume exactly after the last event read, inside one millisecond.
      const first = await store.scan({ groupId: 2, limit: 1000 });
      const rest = await store.scan({ groupId: 2, limit: 10_000, after: first[first.length - 1]! });
      assert.equal(first.length + rest.length, 3000);
      const only = await store.scan({ groupId: 2, streamIds: [2], limit: 10_000, contains: ['s2-14'] });
      assert.equal(only.length, 111);
      assert.ok(only.every((e) => e.message.startsWith('s2-14')));
    });

    it('matches contains terms literally and keeps any message intact', async () => {
      // (A NUL in a message: SQLite's reads stop at it today; the PostgreSQL test checks its store keeps it.)
      const messages = ['100% done', '100 done', 'a_b', 'axb', 'naïve café ☕', 'back\\slash'];
      await store.append(
        3,
        1,
        messages.map((message, i) => ({ timestamp: 50 + i, message })),
        1,
      );
      const find = async (...contains: string[]) =>
        (await store.scan({ groupId: 3, limit: 100, contains })).map((e) => e.message);
      assert.deepEqual(await find(), messages);
      assert.deepEqual(await find('%'), ['100% done']);
      assert.deepEqual(await find('_'), ['a_b']);
      assert.deepEqual(await find('café', '☕'), ['naïve café ☕']);
      assert.deepEqual(await find('\\'), ['back\\slash']);
      assert.deepEqual(await find('100', 'done'), ['100% done', '100 done']);
      const stats = (await store.streamStats(3)).get(1)!;
      assert.equal(
        stats.storedBytes,
        messages.reduce((n, m) => n + Buffer.byteLength(m) + 26, 0),
      );
      await store.deleteEvents(3);
    });

    it('reads a stream both ways with time bounds', async () => {
      const down = await store.streamEvents({
        groupId: 1,
        streamId: 1,
        descending: true,
        limit: 3,
        endTime: 1100,
      });
      assert.deepEqual(
        down.map((e) => e.timestamp),
        [1099, 1098, 1097],
      );
      const up = await store.streamEvents({
        groupId: 1,
        streamId: 1,
        descending: false,
        limit: 2,
        after: down[0]!,
      });
      assert.deepEqual(
        up.map((e) => e.timestamp),
        [1100, 1101],
      );
      const back = await store.streamEvents({
        groupId: 1,
        streamId: 1,
        descending: true,
        limit: 2,
        startTime: 1097,
        before: down[1]!,
      });
      assert.deepEqual(
        back.map((e) => e.timestamp),
        [1097],
      );
    });

    it('keeps per-stream statistics and expires old events in bounded batches', async () => {
      const stats = (await store.streamStats(1)).get(1)!;
      assert.deepEqual(
        [stats.firstEventTimestamp, stats.lastEventTimestamp, stats.lastIngestionTime],
        [1000, 3499, 7],
      );
      const bytes = stats.storedBytes;
      assert.equal(await store.expire(1, 2000, 600), 600);
      assert.equal(await store.expire(1, 2000, 600), 400);
      assert.equal(await store.expire(1, 2000, 600), 0);
      const after = (await store.streamStats(1)).get(1)!;
      assert.equal(after.firstEventTimestamp, 2000);
      assert.equal(after.storedBytes, bytes - (1000 * 26 + Buffer.byteLength(good(1000).join(''))));
      assert.equal((await store.scan({ groupId: 1, limit: 1 }))[0]!.timestamp, 2000);
      await store.deleteEvents(1, 1);
      assert.equal((await store.streamStats(1)).size, 0);
      await store.deleteEvents(2);
      assert.deepEqual(await store.scan({ groupId: 2, limit: 10 }), []);
      assert.equal((await store.streamStats(2)).size, 0);
    });
  });
}

/** The messages of the first `n` events the appends above stored in group 1. */
const good = (n: number) => Array.from({ length: n }, (_, i) => `m${i}`);
