/**
 * CloudWatch Logs ingestion and search on the embedded event store, through the model and the
 * FilterLogEvents handler (no HTTP): PutLogEvents events/s and MB/s in 10,000-event batches, the
 * longest batch and the longest event-loop block while ingesting, then FilterLogEvents over all
 * events for a selective term (0.1% of events), a JSON pattern over one hour, and an unfiltered
 * time-range page. Baseline: a bare prepared INSERT loop into an identical SQLite table in the
 * same run (what the event store costs over SQLite itself).
 *
 *   node_modules/.bin/node --disable-warning=ExperimentalWarning bench/logs-bench.ts [--events 200000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { RequestContext } from '../src/aws/service.ts';
import { filterLogEvents } from '../src/logs/events/filter-log-events.ts';
import { createLogGroup, createLogStream, putLogEvents, SqliteEventStore } from '../src/logs/model/index.ts';
import type { LogsContext } from '../src/logs/model/records.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';

const { values } = parseArgs({ options: { events: { type: 'string', default: '200000' } } });
const TOTAL = Number(values.events);
const BATCH = 10_000;
const STREAMS = 10;
const dir = mkdtempSync(join(tmpdir(), 'longshore-logs-bench-'));
const start = Date.now() - 6 * 3_600_000;
let now = start;
let reading = false;
const ctx: LogsContext = {
  store: SqliteStore.open(join(dir, 'longshore.db')),
  // Ingestion runs on a simulated clock (events over 6 hours); the reads on the wall clock.
  clock: { now: () => (reading ? Date.now() : now) },
  partition: { region: 'us-east-1', accountId: '000000000000' },
  events: new SqliteEventStore(join(dir, 'logs', 'events.db')),
};
const request = { requestId: 'bench', now } as unknown as RequestContext;

/** A ~110-byte access-log line or a JSON line; one in 1,000 carries the needle. */
const message = (i: number) =>
  i % 2 === 0
    ? `10.0.${i % 256}.${(i >> 8) % 256} - - "GET /api/items/${i} HTTP/1.1" ${i % 50 === 0 ? 500 : 200} ${i % 9000} ${i % 1000 === 0 ? 'needle' : 'ok'}`
    : JSON.stringify({ level: i % 50 === 1 ? 'error' : 'info', latency: i % 997, route: `/r/${i % 20}`, i });

/** Messages are made before the clock starts (a pool reused across batches): the loop delay measured is the store's. */
const POOL = Array.from({ length: Math.min(TOTAL, 100_000) }, (_, i) => message(i));

await createLogGroup(ctx, { logGroupName: 'bench/g' });
for (let s = 0; s < STREAMS; s++) await createLogStream(ctx, 'bench/g', `s${s}`);

// Ingestion: events spread over 6 hours, 10,000 per batch, streams in turn.
let bytes = 0;
let longest = 0;
const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();
const t0 = performance.now();
for (let i = 0; i < TOTAL; i += BATCH) {
  const n = Math.min(BATCH, TOTAL - i);
  const spacing = (6 * 3_600_000) / TOTAL;
  const events = Array.from({ length: n }, (_, k) => ({
    timestamp: Math.floor(start + (i + k) * spacing),
    message: POOL[(i + k) % POOL.length]!,
  }));
  for (const e of events) bytes += Buffer.byteLength(e.message) + 26;
  now = events[events.length - 1]!.timestamp + 1;
  const b0 = performance.now();
  await putLogEvents(ctx, {
    logGroupName: 'bench/g',
    logStreamName: `s${(i / BATCH) % STREAMS}`,
    logEvents: events,
  });
  longest = Math.max(longest, performance.now() - b0);
}
const ingestS = (performance.now() - t0) / 1000;
loop.disable();
const loopMaxMs = loop.max / 1e6;
const loopP99Ms = loop.percentile(99) / 1e6;

// Baseline: the same rows through a bare prepared INSERT in one transaction per 10,000.
const bare = new DatabaseSync(join(dir, 'bare.db'));
bare.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
bare.exec(
  'CREATE TABLE e (id INTEGER PRIMARY KEY, g INTEGER, s INTEGER, t INTEGER, it INTEGER, m TEXT); CREATE INDEX e1 ON e (g, t); CREATE INDEX e2 ON e (g, s, t);',
);
const insert = bare.prepare('INSERT INTO e (g, s, t, it, m) VALUES (?, ?, ?, ?, ?)');
const b0 = performance.now();
for (let i = 0; i < TOTAL; i += BATCH) {
  bare.exec('BEGIN');
  for (let k = i; k < Math.min(i + BATCH, TOTAL); k++)
    insert.run(1, (i / BATCH) % STREAMS, start + k, start, POOL[k % POOL.length]!);
  bare.exec('COMMIT');
}
const bareS = (performance.now() - b0) / 1000;
bare.close();

/** Pages of FilterLogEvents until the end; returns events found, pages, total and worst page ms. */
async function filterAll(input: Record<string, unknown>) {
  let token: string | undefined;
  let found = 0;
  let pages = 0;
  let worst = 0;
  const f0 = performance.now();
  do {
    const p0 = performance.now();
    const out = await filterLogEvents(
      ctx,
      { logGroupName: 'bench/g', ...input, ...(token ? { nextToken: token } : {}) },
      request,
    );
    worst = Math.max(worst, performance.now() - p0);
    found += out.events?.length ?? 0;
    pages += 1;
    token = out.nextToken;
  } while (token);
  return { found, pages, ms: performance.now() - f0, worst };
}

reading = true;
const needle = await filterAll({ filterPattern: 'needle' });
const json = await filterAll({
  filterPattern: '{ $.level = "error" && $.latency > 500 }',
  startTime: start + 3_600_000,
  endTime: start + 2 * 3_600_000,
});
const page0 = performance.now();
const firstPage = await filterLogEvents(
  ctx,
  { logGroupName: 'bench/g', startTime: start + 3_600_000, limit: 1000 },
  request,
);
const pageMs = performance.now() - page0;

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });
console.log(`events: ${fmt(TOTAL)} (${fmt(bytes / 1e6)} MB as PutLogEvents counts them), ${STREAMS} streams`);
console.log(
  `PutLogEvents: ${fmt(TOTAL / ingestS)} events/s, ${fmt(bytes / 1e6 / ingestS)} MB/s; longest 10,000-event batch ${fmt(longest)} ms, event-loop delay p99 ${fmt(loopP99Ms)} ms, max ${fmt(loopMaxMs)} ms`,
);
console.log(
  `baseline bare SQLite INSERT: ${fmt(TOTAL / bareS)} rows/s; event store / baseline = ${(bareS / ingestS).toFixed(2)}`,
);
console.log(
  `FilterLogEvents 'needle' (0.1%) over all: ${fmt(needle.found)} found in ${fmt(needle.ms)} ms, ${needle.pages} pages, worst page ${fmt(needle.worst)} ms`,
);
console.log(
  `FilterLogEvents JSON pattern over 1 h: ${fmt(json.found)} found in ${fmt(json.ms)} ms, ${json.pages} pages, worst page ${fmt(json.worst)} ms`,
);
console.log(
  `FilterLogEvents 1,000-event time-range page: ${firstPage.events?.length} events in ${fmt(pageMs)} ms`,
);
await ctx.events.close();
await ctx.store.close();
rmSync(dir, { recursive: true, force: true });
