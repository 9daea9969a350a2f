/**
 * A cell: what CloudWatch keeps of one metric over one interval (a second, minute, 5 minutes or an
 * hour): the statistic set (SampleCount, Sum, Minimum, Maximum) and, for percentiles, the
 * distribution of the values as a bounded value -> count map.
 *
 * Stored as a tuple `[sampleCount, sum, minimum, maximum, distribution]` (JSON arrays are the
 * smallest form in the store). `distribution` is 0 once a statistic set whose Minimum and Maximum
 * differ was folded in: its values are unknown, so percentiles of that cell are unavailable (as in
 * CloudWatch, which computes percentiles of statistic sets only when SampleCount is 1 or Min == Max).
 */

/** value (as a JSON key) -> how many times it occurred. */
export type Distribution = Readonly<Record<string, number>>;

export type Cell = readonly [n: number, sum: number, min: number, max: number, dist: Distribution | 0];

/**
 * Distinct values a cell keeps before they are merged into log-scale buckets: 150 is what one
 * PutMetricData datum may carry; past 200, values are rounded to buckets 1% wide (then 2%, 4% ...
 * until they fit), so a percentile is off by at most that width, like CloudWatch's own estimates.
 */
export const MAX_DISTINCT_VALUES = 200;

/** A cell of `count` observations of `value`. */
export function valueCell(value: number, count = 1): Cell {
  return [count, value * count, value, value, { [String(value)]: count }];
}

/** A cell from a statistic set: with a distribution only when every value is known (Min == Max). */
export function statisticSetCell(n: number, sum: number, min: number, max: number): Cell {
  return [n, sum, min, max, min === max && n > 0 ? { [String(min)]: n } : 0];
}

/** A cell from Values/Counts (counts default to 1 each). */
export function distributionCell(values: readonly number[], counts?: readonly number[]): Cell {
  let n = 0;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  const dist: Record<string, number> = {};
  values.forEach((v, i) => {
    const c = counts?.[i] ?? 1;
    if (c <= 0) return;
    n += c;
    sum += v * c;
    min = Math.min(min, v);
    max = Math.max(max, v);
    dist[String(v)] = (dist[String(v)] ?? 0) + c;
  });
  return [n, sum, n > 0 ? min : 0, n > 0 ? max : 0, bounded(dist)];
}

export function mergeCells(a: Cell | undefined, b: Cell): Cell {
  if (!a || a[0] === 0) return b;
  if (b[0] === 0) return a;
  let dist: Distribution | 0 = 0;
  if (a[4] !== 0 && b[4] !== 0) {
    const merged: Record<string, number> = { ...a[4] };
    for (const [v, c] of Object.entries(b[4])) merged[v] = (merged[v] ?? 0) + c;
    dist = bounded(merged);
  }
  return [a[0] + b[0], a[1] + b[1], Math.min(a[2], b[2]), Math.max(a[3], b[3]), dist];
}

/** `dist`, its values merged into log-scale buckets when it holds more than MAX_DISTINCT_VALUES. */
function bounded(dist: Record<string, number>): Record<string, number> {
  let out = dist;
  for (let width = 0.01; Object.keys(out).length > MAX_DISTINCT_VALUES; width *= 2) {
    const step = Math.log1p(width);
    const next: Record<string, number> = {};
    for (const [v, c] of Object.entries(dist)) {
      const x = Number(v);
      const q = x === 0 ? 0 : Math.sign(x) * Math.exp(Math.round(Math.log(Math.abs(x)) / step) * step);
      const key = String(Number(q.toPrecision(6)));
      next[key] = (next[key] ?? 0) + c;
    }
    out = next;
  }
  return out;
}

/** The distribution's values, ascending, with their counts. */
export function sortedValues(dist: Distribution): [number, number][] {
  return Object.entries(dist)
    .map(([v, c]) => [Number(v), c] as [number, number])
    .sort((x, y) => x[0] - y[0]);
}
