/**
 * Metric filters at ingestion: every event of a PutLogEvents batch is matched against the group's
 * metric filters, and each match becomes a datum of the filter's metric (value and dimensions
 * read from the event's JSON fields or space-delimited fields); an event that does not match
 * emits `defaultValue` when the filter has one. Data are folded per metric and minute before
 * they are written (`putMetricData`), so a 10,000-event batch is a handful of writes.
 */
import { type MetricDatum, putMetricData } from '../../cloudwatch/model/metric-data.ts';
import { Kind, VersionConflict } from '../../store/store.ts';
import { type Match, fieldValue } from '../filter-pattern/index.ts';
import type { NewEvent } from './event-store.ts';
import { cachedPattern } from './pattern-cache.ts';
import {
  type LogsContext,
  logsKeys,
  type MetricFilterRecord,
  type MetricTransformationRecord,
} from './records.ts';

const MINUTE_MS = 60_000;
const METRIC_WRITE_ATTEMPTS = 5;

/** The data `events` produce for the group's metric filters (already folded per metric and minute). */
export function metricDataFor(
  filters: readonly MetricFilterRecord[],
  events: readonly NewEvent[],
): MetricDatum[] {
  const folded = new Map<string, MetricDatum>();
  const add = (
    t: MetricTransformationRecord,
    timestamp: number,
    value: number,
    dims: Record<string, string>,
  ) => {
    const dimensions = Object.entries(dims).map(([name, v]) => ({ name, value: v }));
    const minute = Math.floor(timestamp / MINUTE_MS) * MINUTE_MS;
    const key = JSON.stringify([t.metricNamespace, t.metricName, dimensions, minute]);
    const prev = folded.get(key);
    if (prev) {
      prev.sampleCount += 1;
      prev.sum += value;
      prev.minimum = Math.min(prev.minimum, value);
      prev.maximum = Math.max(prev.maximum, value);
      return;
    }
    folded.set(key, {
      namespace: t.metricNamespace,
      metricName: t.metricName,
      dimensions,
      timestamp: minute,
      unit: t.unit ?? 'None',
      sampleCount: 1,
      sum: value,
      minimum: value,
      maximum: value,
    });
  };
  for (const filter of filters) {
    const t = filter.metricTransformations[0];
    if (!t) continue;
    const pattern = cachedPattern(filter.filterPattern);
    for (const e of events) {
      const match = pattern.match(e.message);
      if (!match) {
        if (t.defaultValue !== undefined) add(t, e.timestamp, t.defaultValue, {});
        continue;
      }
      const value = metricValueOf(t.metricValue, match);
      if (value === undefined) continue;
      const dims = dimensionsOf(t.dimensions, match);
      if (dims) add(t, e.timestamp, value, dims);
    }
  }
  return [...folded.values()];
}

/** `1`, `$.latency`, `$bytes`: a number, or undefined when the field is missing or not numeric. */
export function metricValueOf(metricValue: string, match: Match): number | undefined {
  const raw = metricValue.startsWith('$') ? fieldValue(match, metricValue) : metricValue;
  if (raw === undefined || typeof raw === 'boolean') return undefined;
  const n = typeof raw === 'number' ? raw : Number(raw);
  return Number.isFinite(n) && String(raw).trim() !== '' ? n : undefined;
}

/** Dimension values from the event's fields; undefined (no datum) when one is missing. */
function dimensionsOf(
  dims: Record<string, string> | undefined,
  match: Match,
): Record<string, string> | undefined {
  if (!dims) return {};
  const out: Record<string, string> = {};
  for (const [name, ref] of Object.entries(dims)) {
    const v = ref.startsWith('$') ? fieldValue(match, ref) : ref;
    if (v === undefined || String(v) === '') return undefined;
    out[name] = String(v);
  }
  return out;
}

/** Matches the batch against the group's metric filters and writes what they produce. */
export async function emitMetricFilterData(
  ctx: LogsContext,
  logGroupName: string,
  events: readonly NewEvent[],
): Promise<number> {
  const filters = await ctx.store.list<MetricFilterRecord>(Kind.LogMetricFilter, {
    prefix: logsKeys.metricFiltersOf(logGroupName),
  });
  if (filters.length === 0) return 0;
  const data = metricDataFor(
    filters.map((f) => f.value),
    events,
  );
  // The events are stored already: a concurrent write to the same metric minute is retried, not
  // reported as a failed PutLogEvents (whose retry would store the events twice).
  for (let attempt = 1; ; attempt++) {
    try {
      await putMetricData(ctx.store, data, { now: ctx.clock.now() });
      break;
    } catch (error) {
      if (!(error instanceof VersionConflict) || attempt >= METRIC_WRITE_ATTEMPTS) throw error;
    }
  }
  return data.length;
}
