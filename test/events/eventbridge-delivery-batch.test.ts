/**
 * Batched delivery: a backlog to one log group is written and settled in a few transactions (not
 * one or three per event), each event in a stream named after its id; two rules delivering one
 * event to one group share its stream; a delivery whose target write happened before a crash (its
 * stream and log event there, its record still pending) is delivered again with the same id;
 * matching takes the outbox in transactions of MATCH_BATCH; records under the former key form
 * are moved to their target's prefix and delivered.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DELIVERY_BATCH } from '../../src/controllers/event-rules/delivery-worker.ts';
import { EventRulesController } from '../../src/controllers/event-rules/event-rules-controller.ts';
import { MATCH_BATCH } from '../../src/controllers/event-rules/match-outbox.ts';
import { systemClock, systemRng } from '../../src/core/system.ts';
import { type DeliveryRecord, writeDeliveries } from '../../src/events/model/deliveries.ts';
import { type EventEnvelope, eventTime, publishEvents } from '../../src/events/model/publish-events.ts';
import { eventsKeys, type RuleRecord, ruleArn } from '../../src/events/model/records.ts';
import { createLogGroup } from '../../src/logs/model/groups.ts';
import { putLogEvents } from '../../src/logs/model/put-events.ts';
import type { LogsContext, LogStreamRecord } from '../../src/logs/model/records.ts';
import { SqliteEventStore } from '../../src/logs/model/sqlite-event-store.ts';
import { createLogStream } from '../../src/logs/model/streams.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { Kind, type Store } from '../../src/store/store.ts';

const partition = { region: 'us-east-1', accountId: '000000000000' };
const groupArn = (name: string) => `arn:aws:logs:us-east-1:000000000000:log-group:${name}`;

function rule(name: string, pattern: object, targets: RuleRecord['targets']): RuleRecord {
  return {
    name,
    bus: 'default',
    arn: ruleArn(partition, 'default', name),
    eventPattern: JSON.stringify(pattern),
    state: 'ENABLED',
    createdBy: partition.accountId,
    targets,
    tags: {},
    createdAt: Date.now(),
  };
}

function envelope(n: number): EventEnvelope {
  return {
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': 'Order Placed',
    source: 'batch.app',
    account: partition.accountId,
    time: eventTime(Date.now()),
    region: partition.region,
    resources: [],
    detail: { n },
  };
}

describe('EventBridge batched delivery', () => {
  let dir: string;
  let store: Store;
  let events: SqliteEventStore;
  let logs: LogsContext;
  let controller: EventRulesController;
  /** Per committed transaction: how many delivery records it removed and outbox records it removed. */
  const commits: { deliveriesRemoved: number; outboxRemoved: number }[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'longshore-eb-batch-'));
    store = SqliteStore.open(join(dir, 'longshore.db'));
    events = new SqliteEventStore(join(dir, 'events.db'));
    logs = { store, clock: systemClock, partition, events };
    store.watch((batch) => {
      let deliveriesRemoved = 0;
      let outboxRemoved = 0;
      for (const c of batch.changes) {
        if (c.version !== undefined) continue;
        if (c.kind === Kind.EventDelivery) deliveriesRemoved++;
        if (c.kind === Kind.EventOutbox) outboxRemoved++;
      }
      if (deliveriesRemoved + outboxRemoved > 0) commits.push({ deliveriesRemoved, outboxRemoved });
    });
    controller = newController();
  });
  function newController(): EventRulesController {
    return new EventRulesController({
      store,
      clock: systemClock,
      rng: systemRng,
      partition,
      ports: {
        runTask: () => Promise.reject(new Error('no ECS here')),
        logs: () => logs,
        sealer: () => {
          throw new Error('no connections here');
        },
      },
    });
  }
  after(async () => {
    await controller.stop();
    await store.close();
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function messages(group: string, stream: string): Promise<string[]> {
    const g = (await store.get<{ id: number }>(Kind.LogGroup, group))!.value;
    const s = await store.get<LogStreamRecord>(Kind.LogStream, `${group}:${stream}`);
    if (!s) return [];
    const got = await events.streamEvents({
      groupId: g.id,
      streamId: s.value.id,
      descending: false,
      limit: 100,
    });
    return got.map((e) => e.message);
  }

  async function drained(): Promise<void> {
    for (let i = 0; i < 400; i++) {
      await controller.idle();
      if ((await store.list(Kind.EventOutbox)).length + (await store.list(Kind.EventDelivery)).length === 0)
        return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('deliveries left behind');
  }

  it('matches a backlog in MATCH_BATCH transactions and delivers it in DELIVERY_BATCH transactions', async () => {
    await createLogGroup(logs, { logGroupName: '/batch/all' });
    await createLogGroup(logs, { logGroupName: '/batch/copy' });
    await store.transact(async (tx) => {
      await tx.put(
        Kind.EventRule,
        eventsKeys.rule('default', 'all'),
        rule('all', { source: ['batch.app'] }, [{ Id: 'log', Arn: groupArn('/batch/all') }]),
      );
      // A second rule sending the same events to the same group: one stream per event, two log events.
      await tx.put(
        Kind.EventRule,
        eventsKeys.rule('default', 'copy'),
        rule('copy', { source: ['batch.app'], detail: { n: [{ numeric: ['<', 10] }] } }, [
          { Id: 'log', Arn: groupArn('/batch/all') },
          { Id: 'other', Arn: groupArn('/batch/copy'), InputPath: '$.detail' },
        ]),
      );
    });
    const total = 2 * MATCH_BATCH + 500;
    const ids: string[] = [];
    for (let i = 0; i < total; i += 10) {
      ids.push(
        ...(await store.transact((tx) =>
          publishEvents(
            tx,
            { partition, clock: systemClock, rng: systemRng },
            Array.from({ length: 10 }, (_, j) => ({
              source: 'batch.app',
              detailType: 'Order Placed',
              detail: { n: i + j },
            })),
          ),
        )),
      );
    }
    commits.length = 0;
    await controller.start();
    await drained();
    const matching = commits.filter((c) => c.outboxRemoved > 0);
    assert.equal(
      matching.reduce((n, c) => n + c.outboxRemoved, 0),
      total,
    );
    assert.ok(matching.length <= Math.ceil(total / MATCH_BATCH) + 2, `${matching.length} matching commits`);
    const settling = commits.filter((c) => c.deliveriesRemoved > 0);
    const delivered = settling.reduce((n, c) => n + c.deliveriesRemoved, 0);
    assert.equal(delivered, total + 20);
    // Deliveries arrive as matching commits them, so a target's passes see partial backlogs: far
    // fewer commits than deliveries all the same (one per delivery before batching).
    assert.ok(settling.length <= Math.ceil(delivered / 100), `${settling.length} settling commits`);
    assert.ok(
      settling.every((c) => c.deliveriesRemoved <= DELIVERY_BATCH),
      'a pass takes at most DELIVERY_BATCH',
    );

    const streams = await store.list<LogStreamRecord>(Kind.LogStream, { prefix: '/batch/all:' });
    assert.equal(streams.length, total);
    const first = await messages('/batch/all', ids[0]!);
    assert.equal(first.length, 2, 'two rules, one stream named after the event id');
    for (const m of first) assert.equal(JSON.parse(m).id, ids[0]);
    const last = await messages('/batch/all', ids[total - 1]!);
    assert.equal(last.length, 1);
    assert.deepEqual(JSON.parse(last[0]!).detail, { n: total - 1 });
    assert.deepEqual(await messages('/batch/copy', ids[3]!), [JSON.stringify({ n: 3 })]);
    assert.equal((await store.list(Kind.LogStream, { prefix: '/batch/copy:' })).length, 10);
  });

  it('delivers again, with the same id, an event written before a crash; moves records of the former key form', async () => {
    await createLogGroup(logs, { logGroupName: '/batch/crash' });
    const r = rule('crash', { source: ['batch.app'] }, [{ Id: 'log', Arn: groupArn('/batch/crash') }]);
    const written = envelope(1);
    // The attempt before the crash: stream and log event written, the record never removed.
    await createLogStream(logs, '/batch/crash', written.id);
    await putLogEvents(logs, {
      logGroupName: '/batch/crash',
      logStreamName: written.id,
      logEvents: [{ timestamp: Date.now(), message: JSON.stringify(written) }],
    });
    const legacy = envelope(2);
    // Written while no control plane runs; the next one starts on them.
    await controller.stop();
    await store.transact(async (tx) => {
      await writeDeliveries(tx, written, Date.now(), [r]);
      const record: DeliveryRecord = {
        event: legacy,
        bus: 'default',
        ruleName: 'crash',
        ruleArn: r.arn,
        target: r.targets[0]!,
        acceptedAt: Date.now(),
        attempts: 0,
        nextAttemptAt: Date.now(),
      };
      const key = `${String(record.acceptedAt).padStart(15, '0')}-${legacy.id}/default/crash/log`;
      await tx.put(Kind.EventDelivery, key, record);
    });
    let moved: string | undefined;
    const unwatch = store.watch((batch) => {
      for (const c of batch.changes)
        if (c.kind === Kind.EventDelivery && c.version !== undefined && c.key.includes(legacy.id))
          moved = c.key;
    });
    controller = newController();
    await controller.start();
    await drained();
    unwatch();
    assert.match(moved ?? '', new RegExp(`^default/crash/log/\\d{15}-${legacy.id}$`));
    const again = await messages('/batch/crash', written.id);
    assert.equal(again.length, 2, 'at least once: the same stream gets the event a second time');
    assert.deepEqual(
      again.map((m) => JSON.parse(m).id),
      [written.id, written.id],
    );
    assert.equal(JSON.parse((await messages('/batch/crash', legacy.id))[0]!).id, legacy.id);
  });
});
