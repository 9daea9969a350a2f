/**
 * EventBridge end to end in one process: events/s through PutEvents (the handler, batches of 10)
 * -> outbox -> matching against 1,000 rules on the bus -> delivery to a CloudWatch Logs target
 * (a log stream per event and one log event, as EventBridge writes them), on SQLite.
 *
 *   node_modules/.bin/node --disable-warning=ExperimentalWarning bench/eventbridge-delivery-bench.ts [--events 5000] [--rules 1000]
 *
 * Rules: all on the default bus with a log group target; 90 % name one of 50 sources with detail
 * conditions, 10 % no source; one rule matches every benchmark event. Baseline, same run:
 * PutEvents alone (accepting onto the outbox, no controller).
 *
 * Two more phases on a fresh store: matching alone (the outbox filled first, then `matchOutbox`
 * passes until it is empty: events/s matched against the rules, deliveries written), then delivery
 * alone (the controller started on those deliveries: events/s written to the log group).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { EventRulesController } from '../src/controllers/event-rules/event-rules-controller.ts';
import { systemClock, systemRng } from '../src/core/system.ts';
import { putEvents } from '../src/events/bus/put-events.ts';
import { type EventsContext, eventsKeys, type RuleRecord, ruleArn } from '../src/events/model/records.ts';
import { isEnabled, rulePattern, rulesOfBus } from '../src/events/model/rules.ts';
import { RuleIndex } from '../src/events/pattern/rule-index.ts';
import { matchOutbox } from '../src/controllers/event-rules/match-outbox.ts';
import { createLogGroup } from '../src/logs/model/groups.ts';
import type { LogsContext } from '../src/logs/model/records.ts';
import { SqliteEventStore } from '../src/logs/model/sqlite-event-store.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { Kind, type Store } from '../src/store/store.ts';
import { fmt } from './support.ts';

const { values } = parseArgs({ options: { events: { type: 'string' }, rules: { type: 'string' } } });
const EVENTS = Number(values.events ?? 5000);
const RULES = Number(values.rules ?? 1000);
const GROUP = '/bench/events';
const partition = { region: 'us-east-1', accountId: '000000000000' };

async function open(
  dir: string,
): Promise<{ store: Store; events: SqliteEventStore; ctx: EventsContext; logs: LogsContext }> {
  const store = SqliteStore.open(join(dir, 'longshore.db'));
  const events = new SqliteEventStore(join(dir, 'events.db'));
  const ctx: EventsContext = {
    store,
    clock: systemClock,
    rng: systemRng,
    partition,
    sealer: () => {
      throw new Error('unused');
    },
  };
  const logs: LogsContext = { store, clock: systemClock, partition, events };
  await createLogGroup(logs, { logGroupName: GROUP });
  let seed = 7;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const arn = `arn:aws:logs:us-east-1:000000000000:log-group:${GROUP}`;
  for (let r = 0; r < RULES; r++) {
    const pattern =
      r === 0
        ? { source: ['bench.app'], detail: { kind: ['order'] } }
        : rand() < 0.9
          ? {
              source: [`custom.app${Math.floor(rand() * 50)}`],
              detail: { state: [{ prefix: 'STOP' }], n: [{ numeric: ['>', rand() * 100] }] },
            }
          : { 'detail-type': ['Something Else'], detail: { state: ['RUNNING'] } };
    // Written as records: EventBridge's default quota (300 rules a bus, PutRule enforces it) is adjustable.
    const name = `rule-${r}`;
    const rule: RuleRecord = {
      name,
      bus: 'default',
      arn: ruleArn(partition, 'default', name),
      eventPattern: JSON.stringify(pattern),
      state: 'ENABLED',
      createdBy: partition.accountId,
      targets: [{ Id: 'log', Arn: arn }],
      tags: {},
      createdAt: Date.now(),
    };
    await store.transact((tx) => tx.put(Kind.EventRule, eventsKeys.rule('default', name), rule));
  }
  return { store, events, ctx, logs };
}

async function publishAll(ctx: EventsContext): Promise<void> {
  for (let i = 0; i < EVENTS; i += 10) {
    const entries = Array.from({ length: Math.min(10, EVENTS - i) }, (_, j) => ({
      Source: 'bench.app',
      DetailType: 'Order Placed',
      Detail: JSON.stringify({ kind: 'order', n: i + j, state: 'STOPPED' }),
    }));
    await putEvents(ctx, { Entries: entries });
  }
}

async function waitEmpty(store: Store, kinds: readonly Kind[]): Promise<void> {
  for (;;) {
    let left = 0;
    for (const kind of kinds) left += (await store.list(kind)).length;
    if (left === 0) return;
    await new Promise((r) => setTimeout(r, 5));
  }
}

function controllerOf(run: { store: Store; logs: LogsContext }): EventRulesController {
  return new EventRulesController({
    store: run.store,
    clock: systemClock,
    rng: systemRng,
    partition,
    ports: {
      runTask: () => Promise.reject(new Error('unused')),
      logs: () => run.logs,
      sealer: () => {
        throw new Error('unused');
      },
    },
    log: pino({ level: 'warn' }),
  });
}

/** Matching alone, then delivery alone, on a store whose outbox holds every event first. */
async function phases(): Promise<{ matched: number; delivered: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'longshore-eb-bench-'));
  const run = await open(dir);
  await publishAll(run.ctx);
  const index = new RuleIndex<RuleRecord>();
  for (const rule of await rulesOfBus(run.store, 'default')) {
    const pattern = rulePattern(rule);
    if (pattern && isEnabled(rule)) index.set(rule, pattern);
  }
  let t = performance.now();
  for (;;) {
    const r = await matchOutbox(run.store, 'default', index);
    if (!r.more) break;
  }
  const matchS = (performance.now() - t) / 1000;
  const deliveries = (await run.store.list(Kind.EventDelivery)).length;
  if ((await run.store.list(Kind.EventOutbox)).length !== 0 || deliveries !== EVENTS) {
    throw new Error(`matching left the outbox non-empty or wrote ${deliveries} deliveries`);
  }
  const controller = controllerOf(run);
  t = performance.now();
  await controller.start();
  await waitEmpty(run.store, [Kind.EventDelivery]);
  const deliverS = (performance.now() - t) / 1000;
  await controller.stop();
  const streams = (await run.store.list(Kind.LogStream, { prefix: `${GROUP}:` })).length;
  await run.store.close();
  await run.events.close();
  rmSync(dir, { recursive: true, force: true });
  if (streams !== EVENTS) throw new Error(`expected ${EVENTS} log streams, got ${streams}`);
  return { matched: EVENTS / matchS, delivered: EVENTS / deliverS };
}

async function main(): Promise<void> {
  // Baseline: PutEvents alone.
  const baseDir = mkdtempSync(join(tmpdir(), 'longshore-eb-bench-'));
  const base = await open(baseDir);
  let t = performance.now();
  await publishAll(base.ctx);
  const baseRate = EVENTS / ((performance.now() - t) / 1000);
  await base.store.close();
  await base.events.close();
  rmSync(baseDir, { recursive: true, force: true });

  // End to end: controller running while events are put.
  const dir = mkdtempSync(join(tmpdir(), 'longshore-eb-bench-'));
  const run = await open(dir);
  const controller = controllerOf(run);
  await controller.start();
  t = performance.now();
  await publishAll(run.ctx);
  const accepted = performance.now() - t;
  await waitEmpty(run.store, [Kind.EventOutbox, Kind.EventDelivery]);
  const total = (performance.now() - t) / 1000;
  await controller.stop();
  const streams = (await run.store.list(Kind.LogStream, { prefix: `${GROUP}:` })).length;
  await run.store.close();
  await run.events.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(`rules on the bus: ${RULES}; events: ${EVENTS}; delivered to the log group: ${streams}`);
  console.log(`PutEvents alone (baseline): ${fmt(baseRate, 0)} events/s`);
  console.log(`PutEvents accepted while delivering: ${fmt(EVENTS / (accepted / 1000), 0)} events/s`);
  console.log(
    `PutEvents -> match -> log group delivery: ${fmt(EVENTS / total, 0)} events/s end to end (${fmt(total, 2)} s)`,
  );
  console.log(`ratio end-to-end / PutEvents alone: ${fmt(EVENTS / total / baseRate, 2)}`);
  if (streams !== EVENTS) throw new Error(`expected ${EVENTS} deliveries, got ${streams}`);
  const p = await phases();
  console.log(`matching alone (outbox -> deliveries, ${RULES} rules): ${fmt(p.matched, 0)} events/s`);
  console.log(`delivery alone (deliveries -> log group): ${fmt(p.delivered, 0)} events/s`);
}

await main();
