/**
 * Scheduled rules with an injected clock and timers: rate() counted from the rule's creation and
 * cron() in UTC fire their targets with the `Scheduled Event` envelope; an occurrence never fires
 * twice (not on a repeated pass, not after a restart); occurrences missed while down fire once;
 * a disabled or deleted rule stops firing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScheduledRules } from '../../src/controllers/event-rules/scheduled-rules.ts';
import { seededRng } from '../../src/core/clock.ts';
import { deleteRule } from '../../src/events/bus/delete-rule.ts';
import { disableRule } from '../../src/events/bus/enable-rule.ts';
import { putRule } from '../../src/events/bus/put-rule.ts';
import { putTargets } from '../../src/events/bus/put-targets.ts';
import { removeTargets } from '../../src/events/bus/remove-targets.ts';
import type { DeliveryRecord } from '../../src/events/model/deliveries.ts';
import type { EventsContext } from '../../src/events/model/records.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { Kind, type Store } from '../../src/store/store.ts';
import { ManualTime } from '../simulated/manual-time.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 1, 12, 0, 30);

function setup(): { store: Store; time: ManualTime; ctx: EventsContext; start: () => ScheduledRules } {
  const store = SqliteStore.open(':memory:');
  const time = new ManualTime(T0);
  const rng = seededRng(7);
  const ctx: EventsContext = {
    store,
    clock: time,
    rng,
    partition: { region: 'us-east-1', accountId: '000000000000' },
    sealer: () => {
      throw new Error('no secrets here');
    },
  };
  const start = () => {
    const rules = new ScheduledRules({ store, clock: time, rng, timers: time });
    const unwatch = store.watch((b) => {
      for (const c of b.changes) if (c.kind === Kind.EventRule) rules.add(c.key);
    });
    const stop = rules.stop.bind(rules);
    rules.stop = async () => {
      unwatch();
      await stop();
    };
    return rules;
  };
  return { store, time, ctx, start };
}

async function deliveries(store: Store): Promise<DeliveryRecord[]> {
  return (await store.list<DeliveryRecord>(Kind.EventDelivery)).map((s) => s.value);
}

async function settle(rules: ScheduledRules, time: ManualTime, ms: number): Promise<void> {
  await rules.idle();
  await time.advance(ms);
  await new Promise((r) => setImmediate(r));
  await rules.idle();
}

describe('scheduled rules', () => {
  it('fires rate() from the rule creation with the Scheduled Event envelope, once per occurrence', async () => {
    const { store, time, ctx, start } = setup();
    await putRule(ctx, { Name: 'every5', ScheduleExpression: 'rate(5 minutes)' });
    await putTargets(ctx, {
      Rule: 'every5',
      Targets: [{ Id: 'log', Arn: 'arn:aws:logs:us-east-1:000000000000:log-group:/s' }],
    });
    let rules = start();
    await rules.resync();
    await settle(rules, time, 4 * MIN);
    assert.equal((await deliveries(store)).length, 0);
    await settle(rules, time, MIN + 1000);
    const [first, ...more] = await deliveries(store);
    assert.equal(more.length, 0);
    assert.equal(first!.event.source, 'aws.events');
    assert.equal(first!.event['detail-type'], 'Scheduled Event');
    assert.deepEqual(first!.event.resources, ['arn:aws:events:us-east-1:000000000000:rule/every5']);
    assert.deepEqual(first!.event.detail, {});
    assert.equal(first!.event.time, new Date(T0 + 5 * MIN).toISOString().replace('.000Z', 'Z'));
    assert.equal(first!.target.Id, 'log');
    // Another pass at the same time and a restart fire nothing more.
    rules.add('default/every5');
    await settle(rules, time, 0);
    await rules.stop();
    rules = start();
    await rules.resync();
    await settle(rules, time, 0);
    assert.equal((await deliveries(store)).length, 1);
    // Down for 12 minutes (10 and 15 missed): the latest missed occurrence fires once.
    await rules.stop();
    await time.advance(12 * MIN);
    rules = start();
    await rules.resync();
    await settle(rules, time, 0);
    const times = (await deliveries(store)).map((d) => d.event.time).sort();
    assert.deepEqual(
      times,
      [T0 + 5 * MIN, T0 + 15 * MIN].map((t) => new Date(t).toISOString().replace('.000Z', 'Z')),
    );
    // Disabled: nothing more.
    await disableRule(ctx, { Name: 'every5' });
    await settle(rules, time, 11 * MIN);
    assert.equal((await deliveries(store)).length, 2);
    await rules.stop();
  });

  it('fires cron() on UTC wall-clock times and stops when the rule is deleted', async () => {
    const { store, time, ctx, start } = setup();
    await putRule(ctx, { Name: 'tens', ScheduleExpression: 'cron(0/10 * * * ? *)' });
    await putTargets(ctx, {
      Rule: 'tens',
      Targets: [{ Id: 't', Arn: 'arn:aws:logs:us-east-1:000000000000:log-group:/s' }],
    });
    const rules = start();
    await rules.resync();
    await settle(rules, time, 10 * MIN);
    await settle(rules, time, 10 * MIN);
    const times = (await deliveries(store)).map((d) => d.event.time).sort();
    assert.deepEqual(times, ['2026-01-01T12:10:00Z', '2026-01-01T12:20:00Z']);
    for (const d of await store.list(Kind.EventDelivery))
      await store.transact((tx) => tx.remove(Kind.EventDelivery, d.key));
    await removeTargets(ctx, { Rule: 'tens', Ids: ['t'] });
    await deleteRule(ctx, { Name: 'tens' });
    await settle(rules, time, 30 * MIN);
    assert.equal((await deliveries(store)).length, 0);
    assert.equal((await store.list(Kind.EventRuleSchedule)).length, 0);
    await rules.stop();
  });
});
