/**
 * Metric data as CloudWatch keeps it: per metric (namespace, name, dimensions) a series record, and
 * its cells (statistic set + value distribution, `cells.ts`) in blocks of 60 cells per resolution:
 *
 *   resolution  block spans   kept (retention.ts)
 *   1 s         1 minute      3 hours   (StorageResolution 1 only; a copy of the minute data)
 *   60 s        1 hour        15 days, then folded into 5-minute cells
 *   300 s       5 hours       63 days, then folded into 1-hour cells
 *   3600 s      60 hours      455 days, then forgotten
 *
 * Every datum lives in exactly one of the 60/300/3600 tiers, so a query adds them up without
 * counting anything twice. Longshore's producers (the load balancers' data plane) and
 * PutMetricData write here; GetMetricStatistics, GetMetricData and alarms read `metric-query.ts`.
 */
import { Kind, type Reader, type Store } from '../../store/store.ts';
import { type BlockWrite, blockKey, blockStoreOf } from './block-store.ts';
import { type Cell, distributionCell, mergeCells, statisticSetCell } from './cells.ts';

export interface MetricDimension {
  name: string;
  value: string;
}

/** One metric: what ListMetrics lists and a query names. */
export interface MetricId {
  namespace: string;
  metricName: string;
  dimensions: readonly MetricDimension[];
}

/**
 * One observation, or a statistic set of several, at `timestamp` (epoch ms). With `values` (and
 * optional `counts`), the distribution is kept for percentiles; the statistic set must agree.
 */
export interface MetricDatum extends MetricId {
  timestamp: number;
  unit: string;
  sampleCount: number;
  sum: number;
  minimum: number;
  maximum: number;
  values?: readonly number[];
  counts?: readonly number[];
  /** 1: high resolution (kept per second for 3 hours as well); 60 (default): per minute. */
  storageResolution?: number;
}

/** One minute of one metric, as `metricMinutes` returns it. */
export interface MetricMinute extends MetricId {
  /** Epoch ms of the minute's start. */
  minute: number;
  unit: string;
  sampleCount: number;
  sum: number;
  minimum: number;
  maximum: number;
}

/** The resolutions cells are kept at, in seconds. */
export const Resolution = { Second: 1, Minute: 60, FiveMinutes: 300, Hour: 3600 } as const;
export type Resolution = (typeof Resolution)[keyof typeof Resolution];

/** Cells per block: a block of resolution r spans 60 r seconds. */
export const CELLS_PER_BLOCK = 60;

export const blockSpanMs = (res: Resolution) => res * 1000 * CELLS_PER_BLOCK;

/** A metric as stored: ListMetrics and SEARCH read these. */
export interface MetricSeriesRecord extends MetricId {
  /** When data last arrived (epoch ms, receipt time): ListMetrics' RecentlyActive and two-week window. */
  lastPut: number;
}

/** A block of one metric's cells at one resolution and unit. */
export interface MetricBlock {
  series: string;
  res: Resolution;
  /** Epoch ms of the first cell; a multiple of the block's span. */
  start: number;
  unit: string;
  /** Cell index (0..59) -> cell. */
  cells: Readonly<Record<string, Cell>>;
}

/**
 * lastPut is rewritten at most this often per metric, so a metric written every few seconds costs
 * one series write per 5 minutes (ListMetrics' windows are 3 hours and 2 weeks).
 */
const SERIES_TOUCH_MS = 5 * 60_000;

/** Dimensions sorted by name: one metric, whatever order they were given in. */
export const sortedDimensions = (dims: readonly MetricDimension[]): MetricDimension[] =>
  [...dims].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

/** Key components never contain the separators: `|`, `,` and `=` are escaped. */
const esc = (s: string) => s.replace(/[%|,=]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** `namespace|name|dim=value,...`: the series record's key, and the start of its blocks' keys. */
export function seriesKey(id: MetricId): string {
  const d = sortedDimensions(id.dimensions)
    .map((x) => `${esc(x.name)}=${esc(x.value)}`)
    .join(',');
  return `${esc(id.namespace)}|${esc(id.metricName)}|${d}`;
}

/** Keys of the series records of a namespace (and metric name): for ListMetrics and SEARCH. */
export const seriesPrefix = (namespace: string, metricName?: string) =>
  metricName === undefined ? `${esc(namespace)}|` : `${esc(namespace)}|${esc(metricName)}|`;

/** The cell a datum stands for. */
export function datumCell(d: MetricDatum): Cell {
  return d.values && d.values.length > 0
    ? distributionCell(d.values, d.counts)
    : statisticSetCell(d.sampleCount, d.sum, d.minimum, d.maximum);
}

/**
 * Folds `data` into their cells: per block touched one read and one write (in the store view's
 * block store, `block-store.ts`, all or nothing), after the series records of metrics that are
 * new or whose lastPut is over a minute old (one transaction). A crash between the two leaves a
 * metric listed without data, never data ListMetrics cannot find. `now` is the receipt time
 * (defaults to the wall clock for callers without an injected one).
 */
export async function putMetricData(
  store: Store,
  data: readonly MetricDatum[],
  options: { now?: number } = {},
): Promise<void> {
  if (data.length === 0) return;
  const now = options.now ?? Date.now();
  const blocks = new Map<string, BlockWrite & { cells: Map<number, Cell> }>();
  const series = new Map<string, MetricSeriesRecord>();
  const add = (key: string, res: Resolution, unit: string, t: number, cell: Cell) => {
    const span = blockSpanMs(res);
    const start = Math.floor(t / span) * span;
    const meta = { series: key, res, start, unit };
    const bk = blockKey(meta);
    let block = blocks.get(bk);
    if (!block) {
      block = { block: meta, cells: new Map() };
      blocks.set(bk, block);
    }
    const i = Math.floor((t - start) / (res * 1000));
    block.cells.set(i, mergeCells(block.cells.get(i), cell));
  };
  for (const d of data) {
    const key = seriesKey(d);
    const cell = datumCell(d);
    add(key, Resolution.Minute, d.unit, d.timestamp, cell);
    if (d.storageResolution === 1) add(key, Resolution.Second, d.unit, d.timestamp, cell);
    series.set(key, {
      namespace: d.namespace,
      metricName: d.metricName,
      dimensions: sortedDimensions(d.dimensions),
      lastPut: now,
    });
  }
  await store.transact(async (tx) => {
    for (const [key, record] of series) {
      const stored = await tx.get<MetricSeriesRecord>(Kind.MetricSeries, key);
      if (stored && stored.value.lastPut > now - SERIES_TOUCH_MS) continue;
      await tx.put(Kind.MetricSeries, key, record, stored ? stored.version : 'absent');
    }
  });
  await blockStoreOf(store).fold([...blocks.values()]);
}

/** The stored blocks of one metric at `res` that overlap [from, to), oldest first. */
export async function metricBlocks(
  reader: Reader,
  series: string,
  res: Resolution,
  from: number,
  to: number,
): Promise<MetricBlock[]> {
  return blockStoreOf(reader).blocks(series, res, from - blockSpanMs(res) + 1, to);
}

/** The one-minute cells of one metric from `from` (inclusive) to `to` (exclusive), oldest first. */
export async function metricMinutes(
  reader: Reader,
  namespace: string,
  metricName: string,
  dims: readonly MetricDimension[],
  from: number,
  to: number,
): Promise<MetricMinute[]> {
  const id = { namespace, metricName, dimensions: sortedDimensions(dims) };
  const out: MetricMinute[] = [];
  for (const block of await metricBlocks(reader, seriesKey(id), Resolution.Minute, from, to)) {
    for (const [i, [n, sum, min, max]] of Object.entries(block.cells)) {
      const minute = block.start + Number(i) * 60_000;
      if (minute < from || minute >= to) continue;
      out.push({ ...id, minute, unit: block.unit, sampleCount: n, sum, minimum: min, maximum: max });
    }
  }
  return out.sort((a, b) => a.minute - b.minute);
}
