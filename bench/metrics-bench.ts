/**
 * CloudWatch metrics on the embedded store, through the handlers (no HTTP): PutMetricData
 * datapoints/s in 1,000-datum requests over 1,000 series, then 1,000 series x 24 h of one-minute
 * data loaded through the model, and GetMetricData over all of it (two requests of 500 MetricStat
 * queries at a 5-minute period; a SUM over a 500-series SEARCH). Prints the store's heap and RSS
 * after loading. Baseline: a bare prepared INSERT loop of one row per datapoint into SQLite in the
 * same run (what the metric store costs over SQLite itself).
 *
 *   node_modules/.bin/node --disable-warning=ExperimentalWarning bench/metrics-bench.ts [--seconds 10] [--series 1000] [--kv]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import type { RequestContext } from '../src/aws/service.ts';
import type { CloudWatchContext } from '../src/cloudwatch/cloudwatch-service.ts';
import { getMetricData } from '../src/cloudwatch/get-metric-data.ts';
import {
  type MetricDatum,
  MetricsDatabase,
  SqliteBlockStore,
  putMetricData as storePut,
  useBlockStore,
} from '../src/cloudwatch/model/index.ts';
import { putMetricData } from '../src/cloudwatch/put-metric-data.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    series: { type: 'string', default: '1000' },
    kv: { type: 'boolean', default: false },
  },
});
const SECONDS = Number(values.seconds);
const SERIES = Number(values.series);
const MIN = 60_000;
const dir = mkdtempSync(join(tmpdir(), 'longshore-metrics-bench-'));
const realNow = Math.floor(Date.now() / MIN) * MIN;
let now = realNow;
const ctx: CloudWatchContext = {
  store: SqliteStore.open(join(dir, 'longshore.db')),
  clock: { now: () => now },
  partition: { region: 'us-east-1', accountId: '000000000000' },
};
const request = { requestId: 'bench', now } as unknown as RequestContext;
// As `longshore up` runs it: blocks in metrics.db (`--kv` keeps them as records of the generic store).
const metricsDb = new MetricsDatabase(join(dir, 'metrics.db'));
if (!values.kv) useBlockStore(ctx.store, new SqliteBlockStore(metricsDb, 'us-east-1'));
const host = (i: number) => `h${String(i).padStart(5, '0')}`;

// 1. PutMetricData: 1,000 datums a request, one per series, a minute apart per round.
let sent = 0;
let round = 0;
const t1 = performance.now();
while (performance.now() - t1 < SECONDS * 1000) {
  const ts = new Date(realNow - 60 * MIN + (round % 60) * MIN);
  const MetricData = Array.from({ length: 1000 }, (_, i) => ({
    MetricName: 'Latency',
    Dimensions: [{ Name: 'Host', Value: host(i % SERIES) }],
    Timestamp: ts,
    Values: [10 + (i % 7), 20 + (i % 13)],
    Counts: [3, 1],
    Unit: 'Milliseconds' as const,
  }));
  await putMetricData(ctx, { Namespace: 'Put', MetricData }, request);
  sent += MetricData.length;
  round++;
}
const putSeconds = (performance.now() - t1) / 1000;
const putRate = sent / putSeconds;

// Baseline: one row per datapoint, prepared INSERT in 1,000-row transactions.
const raw = new DatabaseSync(join(dir, 'raw.db'));
raw.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
raw.exec('CREATE TABLE points (series TEXT, t INTEGER, value REAL)');
const insert = raw.prepare('INSERT INTO points VALUES (?, ?, ?)');
let rawCount = 0;
const t2 = performance.now();
while (performance.now() - t2 < Math.min(SECONDS, 5) * 1000) {
  raw.exec('BEGIN');
  for (let i = 0; i < 1000; i++) insert.run(host(i), realNow + rawCount, i);
  raw.exec('COMMIT');
  rawCount += 1000;
}
const rawRate = rawCount / ((performance.now() - t2) / 1000);
raw.close();

// 2. 1,000 series x 24 h of one-minute data, through the model (as the data plane writes).
const dayStart = realNow - 24 * 60 * MIN;
const t3 = performance.now();
for (let s = 0; s < SERIES; s++) {
  const data: MetricDatum[] = [];
  for (let m = 0; m < 1440; m++) {
    const v = (s % 10) + (m % 5);
    data.push({
      namespace: 'Bench',
      metricName: 'Requests',
      dimensions: [{ name: 'Host', value: host(s) }],
      timestamp: dayStart + m * MIN,
      unit: 'Count',
      sampleCount: 1,
      sum: v,
      minimum: v,
      maximum: v,
      values: [v],
    });
  }
  await storePut(ctx.store, data, { now: realNow });
}
const loadSeconds = (performance.now() - t3) / 1000;
const mem = process.memoryUsage();

// 3. GetMetricData over every series and the whole day.
const stat = (s: number) => ({
  Id: `m${s}`,
  MetricStat: {
    Metric: { Namespace: 'Bench', MetricName: 'Requests', Dimensions: [{ Name: 'Host', Value: host(s) }] },
    Period: 300,
    Stat: 'Average',
  },
});
const StartTime = new Date(dayStart);
const EndTime = new Date(realNow);
const t4 = performance.now();
let points = 0;
for (let from = 0; from < SERIES; from += 500) {
  const queries = Array.from({ length: Math.min(500, SERIES - from) }, (_, i) => stat(from + i));
  const out = await getMetricData(
    ctx,
    { StartTime, EndTime, MetricDataQueries: queries, MaxDatapoints: 1_000_000 },
    request,
  );
  for (const r of out.MetricDataResults ?? []) points += r.Values?.length ?? 0;
}
const statSeconds = (performance.now() - t4) / 1000;
const t5 = performance.now();
const summed = await getMetricData(
  ctx,
  {
    StartTime,
    EndTime,
    MetricDataQueries: [
      { Id: 'total', Expression: `SUM(SEARCH('{Bench,Host} MetricName="Requests"', 'Sum', 300))` },
    ],
  },
  request,
);
const searchSeconds = (performance.now() - t5) / 1000;

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
console.log(
  `PutMetricData (handler, 1,000-datum requests, Values/Counts): ${Math.round(putRate).toLocaleString('en-US')} datapoints/s over ${putSeconds.toFixed(1)} s`,
);
console.log(
  `baseline: bare SQLite INSERT, one row per datapoint: ${Math.round(rawRate).toLocaleString('en-US')} rows/s (ratio ${(putRate / rawRate).toFixed(2)})`,
);
console.log(
  `load ${SERIES} series x 24 h (${(SERIES * 1440).toLocaleString('en-US')} datapoints) through the model: ${loadSeconds.toFixed(1)} s (${Math.round((SERIES * 1440) / loadSeconds).toLocaleString('en-US')} datapoints/s)`,
);
console.log(`after loading: heap ${mb(mem.heapUsed)}, RSS ${mb(mem.rss)}`);
console.log(
  `GetMetricData, ${SERIES} MetricStat queries x 24 h at 300 s: ${statSeconds.toFixed(2)} s (${points.toLocaleString('en-US')} datapoints)`,
);
console.log(
  `GetMetricData, SUM(SEARCH(...)) over 500 series x 24 h at 300 s: ${searchSeconds.toFixed(2)} s (${summed.MetricDataResults?.[0]?.Values?.length} datapoints)`,
);
await ctx.store.close();
metricsDb.close();
rmSync(dir, { recursive: true, force: true });
now = 0;
