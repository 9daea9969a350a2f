/** The SQLite event store: all-or-nothing appends, serialized writers, cursors, stats, expiry and deletion. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { NewEvent } from '../../src/logs/model/event-store.ts';
import { SqliteEventStore } from '../../src/logs/model/sqlite-event-store.ts';

describe('SQLite event store', () => {
  let dir: string;
  let store: SqliteEventStore;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'longshore-events-'));
    store = new SqliteEventStore(join(dir, 'logs', 'events.db'));
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('hands out distinct ids', async () => {
    const ids = await Promise.all([store.newId(), store.newId(), store.newId()]);
    assert.equal(new Set(ids).size, 3);
  });

  it('stores nothing of an append that fails half way, and keeps serving writes', async () => {
    const good = Array.from({ length: 2500 }, (_, i) => ({ timestamp: 1000 + i, message: `m${i}` }));
    // SQLite cannot bind a timestamp past 64 bits: the 2,501st row fails after 2,500 were inserted.
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
    // Cursors resume exactly after the last event read, inside one millisecond.
    const first = await store.scan({ groupId: 2, limit: 1000 });
    const rest = await store.scan({ groupId: 2, limit: 10_000, after: first[first.length - 1]! });
    assert.equal(first.length + rest.length, 3000);
    const only = await store.scan({ groupId: 2, streamIds: [2], limit: 10_000, contains: ['s2-14'] });
    assert.equal(only.length, 111);
    assert.ok(only.every((e) => e.message.startsWith('s2-14')));
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
    assert.equal(after.storedBytes < bytes, true);
    await store.deleteEvents(1, 1);
    assert.equal((await store.streamStats(1)).size, 0);
    await store.deleteEvents(2);
    assert.deepEqual(await store.scan({ groupId: 2, limit: 10 }), []);
  });
});
