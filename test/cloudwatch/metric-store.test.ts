/**
 * The metric store through its model functions: statistic sets and distributions per period,
 * percentiles (and the trimmed statistics), high-resolution seconds, units, the rounding and
 * period rules by data age, and retention (rollups 1 min -> 5 min -> 1 h, expiry) with times
 * given directly, as an injected clock would.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  blockStoreOf,
  listMetricSeries,
  type MetricDatum,
  MetricsDatabase,
  SqliteBlockStore,
  useBlockStore,
  metricMinutes,
  metricStatistics,
  putMetricData,
  Resolution,
  retentionPass,
} from '../../src/cloudwatch/model/index.ts';
import { distributionCell, MAX_DISTINCT_VALUES, mergeCells } from '../../src/cloudwatch/model/cells.ts';
import { parseStatistic, statisticValue } from '../../src/cloudwatch/model/statistics.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);
const metric = { namespace: 'App', metricName: 'Latency', dimensions: [{ name: 'Service', value: 'web' }] };

const datum = (timestamp: number, value: number, extra: Partial<MetricDatum> = {}): MetricDatum => ({
  ...metric,
  timestamp,
  unit: 'Milliseconds',
  sampleCount: 1,
  sum: value,
  minimum: value,
  maximum: value,
  values: [value],
  ...extra,
});

describe('percentiles and trimmed statistics of a distribution', () => {
  // The values 1..100 once each.
  const cell = distributionCell(Array.from({ length: 100 }, (_, i) => i + 1));
  const table: [string, number][] = [
    ['SampleCount', 100],
    ['Sum', 5050],
    ['Average', 50.5],
    ['Minimum', 1],
    ['Maximum', 100],
    ['p50', 50],
    ['p90', 90],
    ['p99', 99],
    ['p99.9', 100],
    ['p0', 1],
    ['p100', 100],
    ['tm90', 45.5],
    ['TM(10%:90%)', 50.5],
    ['IQM', 50.5],
    ['TC(10%:90%)', 80],
    ['TS(:50%)', 1275],
    ['TM(10:20)', 15.5],
    ['PR(:25)', 25],
    ['WM(10%:90%)', 50.5],
  ];
  for (const [name, want] of table) {
    it(`${name} = ${want}`, () => {
      const stat = parseStatistic(name);
      assert.ok(stat, name);
      assert.equal(statisticValue(stat, cell), want);
    });
  }
  it('computes over large and fractional counts without walking every observation', () => {
    const big = distributionCell([1, 2, 3], [1e12, 2e12, 1e12]);
    const at = (name: string) => statisticValue(parseStatistic(name) ?? { type: 'percentile', p: 0 }, big);
    assert.equal(at('p50'), 2);
    assert.equal(at('TM(25%:75%)'), 2);
    assert.equal(at('TC(:25%)'), 1e12);
    assert.equal(at('tm100'), 2);
    const half = distributionCell([10, 20], [0.5, 1.5]);
    assert.equal(statisticValue({ type: 'basic', name: 'SampleCount' }, half), 2);
    assert.equal(statisticValue(parseStatistic('TS(50%:)') ?? { type: 'percentile', p: 0 }, half), 20);
  });
  it('refuses names that are not statistics', () => {
    for (const bad of ['p101', 'Median', 'tm', 'TM(90%:10%)', 'PR(10%:20%)', 'p-1'])
      assert.equal(parseStatistic(bad), undefined, bad);
  });
  it('keeps at most MAX_DISTINCT_VALUES values, within 1% once merged', () => {
    let c = distributionCell([1]);
    for (let i = 2; i <= 5000; i++) c = mergeCells(c, distributionCell([i]));
    const dist = c[4];
    assert.ok(dist !== 0 && Object.keys(dist).length <= MAX_DISTINCT_VALUES);
    assert.equal(c[0], 5000);
    const p90 = statisticValue({ type: 'percentile', p: 90 }, c) ?? 0;
    assert.ok(Math.abs(p90 - 4500) / 4500 < 0.03, `p90 ${p90}`);
  });
});

/** The same suite over both block stores: records of the generic store, and metrics.db's table. */
const implementations: [string, () => SqliteStore][] = [
  ['KV blocks', () => SqliteStore.open(':memory:')],
  [
    'SQLite blocks',
    () => {
      const store = SqliteStore.open(':memory:');
      useBlockStore(store, new SqliteBlockStore(new MetricsDatabase(':memory:'), 'us-east-1'));
      return store;
    },
  ],
];

for (const [impl, open] of implementations) {
  describe(`the metric store (${impl})`, () => {
    let store: SqliteStore;
    before(() => {
      store = open();
    });
    after(() => store.close());

    it('folds data into periods with statistics and percentiles', async () => {
      const t0 = NOW - 30 * MIN;
      await putMetricData(
        store,
        [
          datum(t0, 10),
          datum(t0 + 10_000, 20),
          datum(t0 + MIN, 30),
          datum(t0 + MIN, 0, {
            values: [100, 200],
            counts: [3, 1],
            sampleCount: 4,
            sum: 500,
            minimum: 100,
            maximum: 200,
          }),
        ],
        { now: NOW },
      );
      const points = await metricStatistics(
        store,
        metric,
        { start: t0, end: t0 + 2 * MIN, period: 60, now: NOW },
        ['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum', 'p50', 'p99'],
      );
      assert.deepEqual(points, [
        {
          timestamp: t0,
          unit: 'Milliseconds',
          values: { SampleCount: 2, Sum: 30, Average: 15, Minimum: 10, Maximum: 20, p50: 10, p99: 20 },
        },
        {
          timestamp: t0 + MIN,
          unit: 'Milliseconds',
          values: { SampleCount: 5, Sum: 530, Average: 106, Minimum: 30, Maximum: 200, p50: 100, p99: 200 },
        },
      ]);
      const fiveMin = await metricStatistics(
        store,
        metric,
        { start: t0, end: t0 + 5 * MIN, period: 300, now: NOW },
        ['SampleCount'],
      );
      assert.deepEqual(
        fiveMin.map((p) => p.values),
        [{ SampleCount: 7 }],
      );
    });

    it('has no percentiles for statistic sets whose minimum and maximum differ', async () => {
      const m = { ...metric, metricName: 'Sets' };
      const t0 = NOW - 20 * MIN;
      await putMetricData(
        store,
        [{ ...m, timestamp: t0, unit: 'Count', sampleCount: 4, sum: 10, minimum: 1, maximum: 4 }],
        { now: NOW },
      );
      await putMetricData(
        store,
        [{ ...m, timestamp: t0 + MIN, unit: 'Count', sampleCount: 3, sum: 6, minimum: 2, maximum: 2 }],
        { now: NOW },
      );
      const points = await metricStatistics(
        store,
        m,
        { start: t0, end: t0 + 2 * MIN, period: 60, now: NOW },
        ['Sum', 'p50'],
      );
      assert.deepEqual(
        points.map((p) => p.values),
        [{ Sum: 10 }, { Sum: 6, p50: 2 }],
      );
    });

    it('keeps high-resolution data per second for periods under a minute', async () => {
      const m = { ...metric, metricName: 'HighRes' };
      const t0 = NOW - 10 * MIN;
      const data = [0, 1, 2, 11, 12, 31].map((s, i) => ({
        ...datum(t0 + s * 1000, i + 1),
        ...m,
        storageResolution: 1,
      }));
      await putMetricData(store, data, { now: NOW });
      const tens = await metricStatistics(store, m, { start: t0, end: t0 + MIN, period: 10, now: NOW }, [
        'SampleCount',
        'Sum',
      ]);
      assert.deepEqual(
        tens.map((p) => [(p.timestamp - t0) / 1000, p.values]),
        [
          [0, { SampleCount: 3, Sum: 6 }],
          [10, { SampleCount: 2, Sum: 9 }],
          [30, { SampleCount: 1, Sum: 6 }],
        ],
      );
      const minute = await metricStatistics(store, m, { start: t0, end: t0 + MIN, period: 60, now: NOW }, [
        'SampleCount',
      ]);
      assert.deepEqual(
        minute.map((p) => p.values),
        [{ SampleCount: 6 }],
      );
      // Standard-resolution data has nothing under a minute.
      const low = await metricStatistics(
        store,
        metric,
        { start: NOW - 30 * MIN, end: NOW, period: 10, now: NOW },
        ['SampleCount'],
      );
      assert.deepEqual(low, []);
    });

    it('filters by unit and calls mixed units None', async () => {
      const m = { ...metric, metricName: 'Units' };
      const t0 = NOW - 5 * MIN;
      await putMetricData(
        store,
        [
          { ...datum(t0, 1), ...m, unit: 'Seconds' },
          { ...datum(t0, 2), ...m, unit: 'Count' },
        ],
        { now: NOW },
      );
      const q = { start: t0, end: t0 + MIN, period: 60, now: NOW };
      assert.deepEqual(await metricStatistics(store, m, { ...q, unit: 'Seconds' }, ['Sum']), [
        { timestamp: t0, unit: 'Seconds', values: { Sum: 1 } },
      ]);
      assert.deepEqual(await metricStatistics(store, m, q, ['Sum']), [
        { timestamp: t0, unit: 'None', values: { Sum: 3 } },
      ]);
      assert.deepEqual(await metricStatistics(store, m, { ...q, unit: 'Bytes' }, ['Sum']), []);
    });

    it('rounds StartTime down to the minute and answers old data only at coarse periods', async () => {
      const m = { ...metric, metricName: 'Old' };
      const t = NOW - 5 * HOUR;
      await putMetricData(store, [{ ...datum(t + 5_000, 7), ...m }], { now: NOW });
      const points = await metricStatistics(
        store,
        m,
        { start: t + 34_000, end: t + MIN, period: 60, now: NOW },
        ['Sum'],
      );
      assert.deepEqual(
        points.map((p) => p.timestamp),
        [t],
      );
      // Older than 3 hours: a 10-second period answers nothing (no error).
      assert.deepEqual(
        await metricStatistics(store, m, { start: t, end: t + MIN, period: 10, now: NOW }, ['Sum']),
        [],
      );
    });

    it("keeps metricMinutes working for the load balancers' data plane", async () => {
      const minutes = await metricMinutes(store, 'App', 'Latency', metric.dimensions, 0, NOW + MIN);
      assert.ok(minutes.length >= 2);
      assert.deepEqual(Object.keys(minutes[0]).sort(), [
        'dimensions',
        'maximum',
        'metricName',
        'minimum',
        'minute',
        'namespace',
        'sampleCount',
        'sum',
        'unit',
      ]);
    });

    it('lists metrics by namespace, name and dimension filters', async () => {
      const names = (ms: { metricName: string }[]) => ms.map((m) => m.metricName);
      assert.deepEqual(names(await listMetricSeries(store, { namespace: 'App', activeSince: 0 })), [
        'HighRes',
        'Latency',
        'Old',
        'Sets',
        'Units',
      ]);
      assert.deepEqual(
        names(await listMetricSeries(store, { namespace: 'App', metricName: 'Old', activeSince: 0 })),
        ['Old'],
      );
      assert.deepEqual(
        names(
          await listMetricSeries(store, { dimensions: [{ name: 'Service', value: 'api' }], activeSince: 0 }),
        ),
        [],
      );
      assert.deepEqual(names(await listMetricSeries(store, { activeSince: NOW + 1 })), []);
    });
  });

  describe(`retention (${impl})`, () => {
    it('rolls minutes into 5-minute and hourly cells and expires what is past 455 days, without losing a count', async () => {
      const store = open();
      const m = { namespace: 'Ret', metricName: 'Requests', dimensions: [] };
      const put = (t: number, v: number, res = 60) =>
        putMetricData(
          store,
          [
            {
              ...m,
              timestamp: t,
              unit: 'Count',
              sampleCount: 1,
              sum: v,
              minimum: v,
              maximum: v,
              values: [v],
              storageResolution: res,
            },
          ],
          {
            now: t,
          },
        );
      const t0 = Date.UTC(2026, 0, 1, 0, 0, 0);
      // One value a minute for two hours (1 each), one high-resolution value.
      for (let i = 0; i < 120; i++) await put(t0 + i * MIN + 1_000, 1);
      await put(t0 + 30 * 1000, 5, 1);
      const kinds = async () => {
        const out: number[] = [];
        for (const res of Object.values(Resolution))
          for (const b of await blockStoreOf(store).aged(res, Number.MAX_SAFE_INTEGER, 100)) out.push(b.res);
        return out;
      };
      assert.deepEqual(await kinds(), [1, 60, 60]);
      const total = async (now: number, period: number) =>
        (
          await metricStatistics(store, m, { start: t0, end: t0 + 3 * HOUR, period, now }, [
            'Sum',
            'SampleCount',
          ])
        ).reduce((n, p) => n + (p.values.Sum ?? 0), 0);
      assert.equal(await total(t0 + 3 * HOUR, 60), 125);

      // 4 hours later: the seconds block expired, the minute blocks stay.
      let r = await retentionPass(store, t0 + 4 * HOUR);
      assert.deepEqual([r.folded, r.removed], [0, 1]);
      assert.deepEqual(await kinds(), [60, 60]);
      assert.equal(
        await retentionPass(store, t0 + 4 * HOUR).then((x) => x.folded + x.removed),
        0,
        'a pass repeats nothing',
      );

      // 16 days: minutes -> one 5-hour block of 5-minute cells; 300 s periods still add up to 125.
      r = await retentionPass(store, t0 + 16 * DAY);
      assert.deepEqual([r.folded, r.removed], [2, 0]);
      assert.deepEqual(await kinds(), [300]);
      assert.equal(await total(t0 + 16 * DAY, 300), 125);
      assert.equal(await total(t0 + 16 * DAY, 60), 0, 'a 1-minute period of 16-day-old data answers nothing');
      const fives = await metricStatistics(
        store,
        m,
        { start: t0, end: t0 + 10 * MIN, period: 300, now: t0 + 16 * DAY },
        ['SampleCount', 'p50'],
      );
      assert.deepEqual(
        fives.map((p) => p.values),
        [
          { SampleCount: 6, p50: 1 },
          { SampleCount: 5, p50: 1 },
        ],
      );

      // 64 days: 5-minute cells -> hourly; 456 days: gone, the series record too.
      await retentionPass(store, t0 + 64 * DAY);
      assert.deepEqual(await kinds(), [3600]);
      assert.equal(await total(t0 + 64 * DAY, 3600), 125);
      r = await retentionPass(store, t0 + 456 * DAY);
      assert.deepEqual([r.removed, r.forgotten], [1, 1]);
      assert.deepEqual(await kinds(), []);
      await store.close();
    });
  });
}

describe('the metrics retention controller', () => {
  it('passes at start, then every 5 minutes, sooner while a batch was full, and stops', async () => {
    const { MetricsRetentionController, METRICS_RETENTION_BACKLOG_MS, METRICS_RETENTION_EVERY_MS } =
      await import('../../src/controllers/metrics-retention/metrics-retention-controller.ts');
    const store = SqliteStore.open(':memory:');
    const t0 = Date.UTC(2026, 0, 1);
    // 3 high-resolution minutes: 3 one-second blocks that age out together.
    for (let m = 0; m < 3; m++)
      await putMetricData(
        store,
        [
          {
            ...metric,
            timestamp: t0 + m * MIN,
            unit: 'Count',
            sampleCount: 1,
            sum: 1,
            minimum: 1,
            maximum: 1,
            storageResolution: 1,
          },
        ],
        { now: t0 },
      );
    const scheduled: { fn: () => void; ms: number }[] = [];
    const timers = {
      setTimeout: (fn: () => void, ms: number) => scheduled.push({ fn, ms }),
      clearTimeout: () => {},
    };
    let now = t0 + 4 * HOUR;
    const controller = new MetricsRetentionController({
      store,
      clock: { now: () => now },
      timers,
      everyMs: METRICS_RETENTION_EVERY_MS,
    });
    const fire = async () => {
      const next = scheduled.shift();
      assert.ok(next, 'a pass is scheduled');
      next.fn();
      await new Promise((r) => setTimeout(r, 20));
      return next.ms;
    };
    controller.start();
    assert.equal(await fire(), 0, 'the first pass runs at once');
    assert.equal(scheduled[0]?.ms, METRICS_RETENTION_EVERY_MS);
    const seconds = async () =>
      (await blockStoreOf(store).aged(Resolution.Second, Number.MAX_SAFE_INTEGER, 10)).length;
    assert.equal(await seconds(), 0, 'the 1-second blocks older than 3 hours are gone');
    now += DAY;
    await controller.stop();
    await store.close();
    assert.ok(METRICS_RETENTION_BACKLOG_MS < METRICS_RETENTION_EVERY_MS);
  });
});
