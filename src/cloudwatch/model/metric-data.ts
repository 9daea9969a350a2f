/**
 * Metric data as CloudWatch keeps it at one-minute resolution: per metric (namespace, name,
 * dimensions) and minute, a statistic set (SampleCount, Sum, Minimum, Maximum) that every datum
 * of that minute is folded into. Longshore's own producers write here (the load balancers' data
 * plane: AWS/ApplicationELB and AWS/NetworkELB); GetMetricData and friends read it.
 */
import { Kind, type Reader, type Store } from '../../store/store.ts';

export interface MetricDimension {
  name: string;
  value: string;
}

/** One observation, or a statistic set of several, at `timestamp` (epoch ms). */
export interface MetricDatum {
  namespace: string;
  metricName: string;
  dimensions: MetricDimension[];
  timestamp: number;
  unit: string;
  sampleCount: number;
  sum: number;
  minimum: number;
  maximum: number;
}

/** One minute of one metric, as stored. */
export interface MetricMinute {
  namespace: string;
  metricName: string;
  dimensions: MetricDimension[];
  /** Epoch ms of the minute's start. */
  minute: number;
  unit: string;
  sampleCount: number;
  sum: number;
  minimum: number;
  maximum: number;
}

const MINUTE_MS = 60_000;

/** Dimensions sorted by name: one metric, whatever order they were given in. */
const sortedDimensions = (dims: readonly MetricDimension[]) =>
  [...dims].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

/** `namespace|name|dim=value,...|` : every minute of one metric shares this prefix. */
export function metricPrefix(
  namespace: string,
  metricName: string,
  dims: readonly MetricDimension[],
): string {
  const d = sortedDimensions(dims)
    .map((x) => `${x.name}=${x.value}`)
    .join(',');
  return `${namespace}|${metricName}|${d}|`;
}

/** Folds `data` into their minutes, one transaction. */
export async function putMetricData(store: Store, data: readonly MetricDatum[]): Promise<void> {
  if (data.length === 0) return;
  await store.transact(async (tx) => {
    for (const d of data) {
      const minute = Math.floor(d.timestamp / MINUTE_MS) * MINUTE_MS;
      const key = `${metricPrefix(d.namespace, d.metricName, d.dimensions)}${String(minute).padStart(15, '0')}`;
      const stored = await tx.get<MetricMinute>(Kind.MetricMinute, key);
      const prev = stored?.value;
      const next: MetricMinute = prev
        ? {
            ...prev,
            sampleCount: prev.sampleCount + d.sampleCount,
            sum: prev.sum + d.sum,
            minimum: Math.min(prev.minimum, d.minimum),
            maximum: Math.max(prev.maximum, d.maximum),
          }
        : {
            namespace: d.namespace,
            metricName: d.metricName,
            dimensions: sortedDimensions(d.dimensions),
            minute,
            unit: d.unit,
            sampleCount: d.sampleCount,
            sum: d.sum,
            minimum: d.minimum,
            maximum: d.maximum,
          };
      await tx.put(Kind.MetricMinute, key, next, stored ? stored.version : 'absent');
    }
  });
}

/** The minutes of one metric from `from` (inclusive) to `to` (exclusive), oldest first. */
export async function metricMinutes(
  reader: Reader,
  namespace: string,
  metricName: string,
  dims: readonly MetricDimension[],
  from: number,
  to: number,
): Promise<MetricMinute[]> {
  const rows = await reader.list<MetricMinute>(Kind.MetricMinute, {
    prefix: metricPrefix(namespace, metricName, dims),
  });
  return rows.map((r) => r.value).filter((m) => m.minute >= from && m.minute < to);
}
