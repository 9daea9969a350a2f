/**
 * Reading metrics: a metric's cells grouped into periods (`metricPeriods`), their statistics
 * (`metricStatistics`, what GetMetricStatistics, GetMetricData and alarms use) and the metrics
 * themselves (`listMetricSeries`, for ListMetrics and SEARCH).
 */
import { Kind, type Reader } from '../../store/store.ts';
import { type Cell, mergeCells } from './cells.ts';
import {
  type MetricId,
  type MetricSeriesRecord,
  metricBlocks,
  Resolution,
  seriesKey,
  seriesPrefix,
} from './metric-data.ts';
import { parseStatistic, statisticValue } from './statistics.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** How long each resolution stays queryable (retention.ts keeps the same numbers). */
export const RETENTION_MS = {
  [Resolution.Second]: 3 * HOUR,
  [Resolution.Minute]: 15 * DAY,
  [Resolution.FiveMinutes]: 63 * DAY,
  [Resolution.Hour]: 455 * DAY,
} as const;

export interface PeriodQuery {
  /** Epoch ms, inclusive; rounded down as CloudWatch does (`alignStart`). */
  start: number;
  /** Epoch ms, exclusive. */
  end: number;
  /** Seconds: 1, 5, 10, 30 or a multiple of 60. */
  period: number;
  /** Only data stored with this unit; all units otherwise. */
  unit?: string;
  /** The current time: data age decides rounding and which periods are answered. */
  now: number;
  /** False when no statistic needs the values (percentiles ...): periods then skip merging them. */
  distribution?: boolean;
}

/** One period of one metric: its start, the cells of the period folded together, and their unit. */
export interface PeriodCell {
  timestamp: number;
  cell: Cell;
  /** The unit the data was stored with; `None` when the period mixes units. */
  unit: string;
}

/**
 * StartTime rounded down as CloudWatch does: to the minute when it is less than 15 days ago, to
 * 5 minutes up to 63 days, to the hour beyond (12:32:34 -> 12:32:00; 20 days ago 12:32 -> 12:30).
 * Periods under a minute round to the period.
 */
export function alignStart(start: number, period: number, now: number): number {
  const age = now - start;
  const unit =
    age > RETENTION_MS[60]
      ? age > RETENTION_MS[300]
        ? HOUR
        : 300_000
      : period < 60
        ? period * 1000
        : 60_000;
  return Math.floor(start / unit) * unit;
}

/**
 * Whether `period` can be answered for data starting at `start`: older than 3 hours needs a
 * multiple of 60, older than 15 days of 300, older than 63 days of 3600; otherwise CloudWatch
 * returns no datapoints (not an error).
 */
export function periodAnswerable(start: number, period: number, now: number): boolean {
  const age = now - start;
  if (age > RETENTION_MS[300]) return period % 3600 === 0;
  if (age > RETENTION_MS[60]) return period % 300 === 0;
  if (age > RETENTION_MS[1]) return period % 60 === 0;
  return true;
}

/** The metric's data in [start, end) grouped by period, oldest first; periods without data are absent. */
export async function metricPeriods(reader: Reader, metric: MetricId, q: PeriodQuery): Promise<PeriodCell[]> {
  if (!periodAnswerable(q.start, q.period, q.now)) return [];
  const start = alignStart(q.start, q.period, q.now);
  const periodMs = q.period * 1000;
  const tiers: Resolution[] =
    q.period < 60 ? [Resolution.Second] : [Resolution.Minute, Resolution.FiveMinutes, Resolution.Hour];
  const key = seriesKey(metric);
  const merge = q.distribution === false ? mergeSummaries : mergeCells;
  const buckets = new Map<number, { cell: Cell; units: Set<string> }>();
  for (const res of tiers) {
    for (const block of await metricBlocks(reader, key, res, start, q.end)) {
      if (q.unit !== undefined && block.unit !== q.unit) continue;
      for (const [i, cell] of Object.entries(block.cells)) {
        const t = block.start + Number(i) * res * 1000;
        if (t < start || t >= q.end) continue;
        const ts = start + Math.floor((t - start) / periodMs) * periodMs;
        const bucket = buckets.get(ts);
        if (bucket) {
          bucket.cell = merge(bucket.cell, cell);
          bucket.units.add(block.unit);
        } else buckets.set(ts, { cell, units: new Set([block.unit]) });
      }
    }
  }
  return [...buckets.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([timestamp, b]) => ({
      timestamp,
      cell: b.cell,
      unit: b.units.size === 1 ? [...b.units][0] : 'None',
    }));
}

/** Two cells' statistic sets, without their distributions (for the basic statistics only). */
const mergeSummaries = (a: Cell, b: Cell): Cell => [
  a[0] + b[0],
  a[1] + b[1],
  Math.min(a[2], b[2]),
  Math.max(a[3], b[3]),
  0,
];

/** One period's statistics: each asked-for statistic that could be computed. */
export interface StatisticsPoint {
  timestamp: number;
  unit: string;
  values: Record<string, number>;
}

/**
 * The statistics of one metric over [start, end) by period: what alarms and auto scaling call.
 * Statistic names are CloudWatch's (`Average`, `p99`, `TM(10%:90%)` ...); a statistic that cannot
 * be computed for a period (a percentile of statistic sets) is absent from that point.
 *
 *   await metricStatistics(store, { namespace: 'App', metricName: 'Latency', dimensions: [] },
 *     { start: now - 3_600_000, end: now, period: 60, now }, ['Average', 'p99'])
 */
export async function metricStatistics(
  reader: Reader,
  metric: MetricId,
  q: PeriodQuery,
  statistics: readonly string[],
): Promise<StatisticsPoint[]> {
  const parsed = statistics.map((name) => {
    const stat = parseStatistic(name);
    if (!stat) throw new Error(`not a CloudWatch statistic: ${name}`);
    return [name, stat] as const;
  });
  const distribution = parsed.some(([, stat]) => stat.type !== 'basic');
  return (await metricPeriods(reader, metric, { ...q, distribution })).map((p) => {
    const values: Record<string, number> = {};
    for (const [name, stat] of parsed) {
      const v = statisticValue(stat, p.cell);
      if (v !== undefined) values[name] = v;
    }
    return { timestamp: p.timestamp, unit: p.unit, values };
  });
}

/** What ListMetrics filters on; a dimension filter without a value matches any value. */
export interface MetricFilter {
  namespace?: string;
  metricName?: string;
  dimensions?: readonly { name: string; value?: string }[];
  /** Only metrics that got data at or after this time (epoch ms). */
  activeSince: number;
}

/** The metrics matching `filter`, in key order (namespace, name, dimensions). */
export async function listMetricSeries(reader: Reader, filter: MetricFilter): Promise<MetricSeriesRecord[]> {
  const prefix =
    filter.namespace === undefined ? undefined : seriesPrefix(filter.namespace, filter.metricName);
  const rows = await reader.list<MetricSeriesRecord>(Kind.MetricSeries, prefix ? { prefix } : undefined);
  return rows
    .map((r) => r.value)
    .filter(
      (m) =>
        m.lastPut >= filter.activeSince &&
        (filter.metricName === undefined || m.metricName === filter.metricName) &&
        (filter.dimensions ?? []).every((f) =>
          m.dimensions.some((d) => d.name === f.name && (f.value === undefined || d.value === f.value)),
        ),
    );
}
