/**
 * CloudWatch Logs' event store, SQLite (embedded) against PostgreSQL (cluster mode), through the
 * model and the FilterLogEvents handler (no HTTP): PutLogEvents of `--events` events in batches of
 * `--batch` (median and worst batch), then a selective FilterLogEvents (a term in 0.1% of the
 * events) over them, and a 1,000-event GetLogEvents-like page read through a second store object
 * (what another replica sees). PostgreSQL is the throwaway local server of test/support/postgres.ts.
 *
 *   node_modules/.bin/node --disable-warning=ExperimentalWarning bench/logs-store-bench.ts [--events 10000] [--batch 500]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { RequestContext } from '../src/aws/service.ts';
import { filterLogEvents } from '../src/logs/events/filter-log-events.ts';
import type { EventStore } from '../src/logs/model/event-store.ts';
import { createLogGroup, createLogStream, putLogEvents } from '../src/logs/model/index.ts';
import { PostgresEventStore } from '../src/logs/model/postgres-event-store.ts';
import type { LogsContext } from '../src/logs/model/records.ts';
import { SqliteEventStore } from '../src/logs/model/sqlite-event-store.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { startPostgres } from '../test/support/postgres.ts';
import { fmt, percentile } from './support.ts';

const { values } = parseArgs({
  options: { events: { type: 'string', default: '10000' }, batch: { type: 'string', default: '500' } },
});
const TOTAL = Number(values.events);
const BATCH = Number(values.batch);
const FILTER_RUNS = 20;
const dir = mkdtempSync(join(tmpdir(), 'longshore-logs-store-bench-'));
const request = { requestId: 'bench', now: Date.now() } as unknown as RequestContext;

/** A ~110-byte access-log line; one in 1,000 carries the needle. */
const message = (i: number) =>
  `10.0.${i % 256}.${(i >> 8) % 256} - - "GET /api/items/${i} HTTP/1.1" ${i % 50 === 0 ? 500 : 200} ${i % 9000} ${i % 1000 === 0 ? 'needle' : 'ok'}`;

async function run(name: string, events: EventStore, reader: EventStore) {
  const start = Date.now() - 3_600_000;
  const ctx: LogsContext = {
    store: SqliteStore.open(join(dir, `${name}-records.db`)),
    clock: { now: () => Date.now() },
    partition: { region: 'us-east-1', accountId: '000000000000' },
    events,
  };
  const group = await createLogGroup(ctx, { logGroupName: 'bench/g' });
  const stream = await createLogStream(ctx, 'bench/g', 's');
  // The first call of a store opens it (PostgreSQL: connects, migrates): not counted.
  await events.scan({ groupId: 0, limit: 1 });
  const batches: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < TOTAL; i += BATCH) {
    const logEvents = Array.from({ length: Math.min(BATCH, TOTAL - i) }, (_, k) => ({
      timestamp: start + i + k,
      message: message(i + k),
    }));
    const b0 = performance.now();
    await putLogEvents(ctx, { logGroupName: 'bench/g', logStreamName: 's', logEvents });
    batches.push(performance.now() - b0);
  }
  const ingestMs = performance.now() - t0;
  const filters: number[] = [];
  let found = 0;
  for (let r = 0; r < FILTER_RUNS; r++) {
    const f0 = performance.now();
    const out = await filterLogEvents(ctx, { logGroupName: 'bench/g', filterPattern: 'needle' }, request);
    filters.push(performance.now() - f0);
    found = out.events?.length ?? 0;
  }
  const pages: number[] = [];
  for (let r = 0; r < FILTER_RUNS; r++) {
    const p0 = performance.now();
    await reader.streamEvents({ groupId: group.id, streamId: stream.id, descending: true, limit: 1000 });
    pages.push(performance.now() - p0);
  }
  const sorted = (a: number[]) => [...a].sort((x, y) => x - y);
  console.log(
    `| ${name} | ${fmt(TOTAL / (ingestMs / 1000), 0)} events/s; batch median ${fmt(percentile(sorted(batches), 50))} ms, max ${fmt(Math.max(...batches))} ms | ${found} found, median ${fmt(percentile(sorted(filters), 50))} ms, max ${fmt(Math.max(...filters))} ms | median ${fmt(percentile(sorted(pages), 50))} ms |`,
  );
  await ctx.store.close();
}

console.log(
  `${TOTAL} events in batches of ${BATCH}, one stream; FilterLogEvents and page reads ${FILTER_RUNS} times each`,
);
console.log(
  '| store | PutLogEvents | FilterLogEvents "needle" (0.1%) | 1,000-event stream page, second store object |',
);
console.log('|---|---|---|---|');
const path = join(dir, 'logs', 'events.db');
const sqlite = new SqliteEventStore(path);
const sqliteReader = new SqliteEventStore(path);
await run('SQLite', sqlite, sqliteReader);
await sqlite.close();
await sqliteReader.close();
const server = await startPostgres();
try {
  const url = await server.createDatabase();
  const pg = new PostgresEventStore(url);
  const pgReader = new PostgresEventStore(url);
  await run('PostgreSQL (local)', pg, pgReader);
  await pg.close();
  await pgReader.close();
} finally {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
