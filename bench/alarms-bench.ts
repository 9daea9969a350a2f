/**
 * CloudWatch alarm evaluation: 1,000 metric alarms (one metric each, 5 minutes of data, 3 of 3
 * periods) evaluated by the alarm-evaluation controller over SQLite with the metric blocks in
 * metrics.db, as `longshore up` runs it. Prints alarms evaluated per second (8 at a time, the
 * controller's worker count) and, as the baseline, the same statistics read alone.
 *
 *   node --disable-warning=ExperimentalWarning bench/alarms-bench.ts [--alarms 1000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AlarmActionRegistry } from '../src/cloudwatch/model/alarm-actions.ts';
import { evaluationRange } from '../src/cloudwatch/model/alarm-evaluate.ts';
import type { MetricAlarmRecord } from '../src/cloudwatch/model/alarm-records.ts';
import { getAlarm, putAlarm } from '../src/cloudwatch/model/alarms.ts';
import { useBlockStore } from '../src/cloudwatch/model/block-store.ts';
import { putMetricData } from '../src/cloudwatch/model/metric-data.ts';
import { metricStatistics } from '../src/cloudwatch/model/metric-query.ts';
import { MetricsDatabase, SqliteBlockStore } from '../src/cloudwatch/model/sqlite-block-store.ts';
import { seededRng } from '../src/core/clock.ts';
import { AlarmEvaluationController } from '../src/controllers/alarm-evaluation/alarm-evaluation-controller.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';

const { values } = parseArgs({ options: { alarms: { type: 'string', default: '1000' } } });
const N = Number(values.alarms);
const MIN = 60_000;
const dir = mkdtempSync(join(tmpdir(), 'longshore-alarms-bench-'));
const store = SqliteStore.open(join(dir, 'longshore.db'));
const metricsDb = new MetricsDatabase(join(dir, 'metrics.db'));
useBlockStore(store, new SqliteBlockStore(metricsDb, 'us-east-1'));
const t0 = Math.floor(Date.now() / MIN) * MIN - 10 * MIN;
let now = t0;
const ctx = {
  partition: { region: 'us-east-1', accountId: '000000000000' },
  clock: { now: () => now },
  rng: seededRng(1),
};
const name = (i: number) => `alarm-${String(i).padStart(5, '0')}`;

for (let i = 0; i < N; i += 100) {
  const data = [];
  for (let j = i; j < Math.min(N, i + 100); j++)
    for (let m = 0; m < 5; m++) {
      const v = (j * 7 + m) % 100;
      data.push({
        namespace: 'Bench',
        metricName: 'Load',
        dimensions: [{ name: 'Id', value: String(j) }],
        timestamp: t0 + m * MIN + 1000,
        unit: 'None',
        storageResolution: 60,
        sampleCount: 1,
        sum: v,
        minimum: v,
        maximum: v,
        values: [v],
      });
    }
  await putMetricData(store, data, { now: t0 + 5 * MIN });
}
await store.transact(async (tx) => {
  for (let i = 0; i < N; i++)
    await putAlarm(tx, ctx, {
      AlarmName: name(i),
      Namespace: 'Bench',
      MetricName: 'Load',
      Dimensions: [{ Name: 'Id', Value: String(i) }],
      Statistic: 'Average',
      Period: 60,
      EvaluationPeriods: 3,
      Threshold: 50,
      ComparisonOperator: 'GreaterThanThreshold',
    });
});
const controller = new AlarmEvaluationController({
  store,
  ...ctx,
  actions: new AlarmActionRegistry(),
  intervalMs: MIN,
});

async function inParallel(fn: (i: number) => Promise<unknown>, workers = 8): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < N) await fn(next++);
    }),
  );
  return (performance.now() - start) / 1000;
}

// Round 1 moves every alarm out of INSUFFICIENT_DATA (a state change each: history + event);
// round 2, a minute later, is the steady state (no change for most alarms).
now = t0 + 5 * MIN + 5000;
const changing = await inParallel((i) => controller.evaluate(name(i)));
now += MIN;
const steady = await inParallel((i) => controller.evaluate(name(i)));
const sample = (await getAlarm(store, name(0))) as MetricAlarmRecord;
const range = evaluationRange(sample, now);
const baseline = await inParallel((i) =>
  metricStatistics(
    store,
    { namespace: 'Bench', metricName: 'Load', dimensions: [{ name: 'Id', value: String(i) }] },
    { start: range.start, end: range.end, period: 60, now },
    ['Average', 'SampleCount'],
  ),
);
const rate = (s: number) => Math.round(N / s).toLocaleString('en-US');
console.log(`alarms: ${N}, evaluations counted: ${controller.evaluations}`);
console.log(
  `first evaluation (state changes, history, events): ${rate(changing)} alarms/s (${(changing * 1000).toFixed(0)} ms)`,
);
console.log(`steady evaluation: ${rate(steady)} alarms/s (${(steady * 1000).toFixed(0)} ms)`);
console.log(
  `baseline, the statistics read alone: ${rate(baseline)} reads/s; evaluation / read = ${(baseline / steady).toFixed(2)}`,
);
await store.close();
metricsDb.close();
rmSync(dir, { recursive: true, force: true });
