/**
 * CloudWatch statistics of a cell: the five basic ones, and the distribution-based ones
 * (`p99.9`, `tm90`, `TM(10%:90%)`, `TM(150:1000)`, `wm`, `tc`, `ts`, `PR(a:b)`, `IQM`).
 */
import { type Cell, sortedValues } from './cells.ts';

export const BASIC_STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;

/** A parsed statistic. Range bounds are percents (`pct`) or absolute values. */
export type Statistic =
  | { type: 'basic'; name: (typeof BASIC_STATISTICS)[number] }
  | { type: 'percentile'; p: number }
  | { type: 'range'; fn: 'tm' | 'wm' | 'tc' | 'ts'; lo?: number; hi?: number; pct: boolean }
  | { type: 'rank'; lo?: number; hi?: number };

const NUM = '(\\d+(?:\\.\\d+)?)';
const PERCENTILE = new RegExp(`^p${NUM}$`);
const SHORT_RANGE = new RegExp(`^(tm|wm|tc|ts)${NUM}$`);
const LONG_RANGE = new RegExp(`^(TM|WM|TC|TS|PR)\\(${NUM}?(%?):${NUM}?(%?)\\)$`, 'i');

/** The statistic `name` means, or undefined when it is not one CloudWatch knows. */
export function parseStatistic(name: string): Statistic | undefined {
  if ((BASIC_STATISTICS as readonly string[]).includes(name))
    return { type: 'basic', name: name as (typeof BASIC_STATISTICS)[number] };
  if (name === 'IQM') return { type: 'range', fn: 'tm', lo: 25, hi: 75, pct: true };
  let m = PERCENTILE.exec(name);
  if (m) {
    const p = Number(m[1]);
    return p <= 100 ? { type: 'percentile', p } : undefined;
  }
  m = SHORT_RANGE.exec(name);
  if (m) {
    const hi = Number(m[2]);
    return hi <= 100 ? { type: 'range', fn: m[1] as 'tm', hi, pct: true } : undefined;
  }
  m = LONG_RANGE.exec(name);
  if (!m || (m[2] === undefined && m[4] === undefined)) return undefined;
  const [, fn, lo, loPct, hi, hiPct] = m;
  const pct = loPct === '%' || hiPct === '%';
  const bound = (s: string | undefined) => (s === undefined ? undefined : Number(s));
  const [l, h] = [bound(lo), bound(hi)];
  if (pct && ((l ?? 0) > 100 || (h ?? 0) > 100)) return undefined;
  if (l !== undefined && h !== undefined && l > h) return undefined;
  if (fn.toUpperCase() === 'PR') return pct ? undefined : { type: 'rank', lo: l, hi: h };
  return { type: 'range', fn: fn.toLowerCase() as 'tm', lo: l, hi: h, pct };
}

/** The value of `stat` over `cell`, or undefined when it cannot be computed (no distribution). */
export function statisticValue(stat: Statistic, cell: Cell): number | undefined {
  const [n, sum, min, max, dist] = cell;
  if (n === 0) return undefined;
  if (stat.type === 'basic') {
    switch (stat.name) {
      case 'SampleCount':
        return n;
      case 'Sum':
        return sum;
      case 'Average':
        return sum / n;
      case 'Minimum':
        return min;
      case 'Maximum':
        return max;
    }
  }
  if (dist === 0) return undefined;
  const values = sortedValues(dist);
  const total = values.reduce((t, [, c]) => t + c, 0);
  if (stat.type === 'percentile') return nearestRank(values, total, stat.p);
  if (stat.type === 'rank') {
    let inside = 0;
    for (const [v, c] of values)
      if ((stat.lo === undefined || v > stat.lo) && (stat.hi === undefined || v <= stat.hi)) inside += c;
    return (100 * inside) / total;
  }
  return rangeStatistic(stat, values, total);
}

/**
 * The smallest value with at least p% of the observations at or below it (nearest rank): for the
 * values 1..100, p50 is 50, p90 is 90 and p99.9 is 100.
 */
function nearestRank(values: readonly [number, number][], total: number, p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * total - 1e-9));
  let seen = 0;
  for (const [v, c] of values) {
    seen += c;
    if (seen >= rank) return v;
  }
  return values[values.length - 1][0];
}

/**
 * tm / wm / tc / ts over the observations between two bounds. Percent bounds select by rank: for
 * 1..100, TM(10%:90%) averages 11..90 (rank > 10 and <= 90). wm keeps the outside observations,
 * clamped to the bounds' values. Works per (value, count) run, never per observation: counts can
 * be large or fractional (Counts are doubles), and a run straddling a bound is split by measure.
 */
function rangeStatistic(
  stat: Statistic & { type: 'range' },
  values: readonly [number, number][],
  total: number,
): number | undefined {
  const loRank = stat.pct ? ((stat.lo ?? 0) / 100) * total : 0;
  const hiRank = stat.pct ? ((stat.hi ?? 100) / 100) * total : total;
  let count = 0;
  let sum = 0;
  let below = 0;
  let above = 0;
  let lowest: number | undefined;
  let highest: number | undefined;
  let seen = 0;
  for (const [v, c] of values) {
    let inside: number;
    let under: number;
    if (stat.pct) {
      // The run holds ranks (seen, seen + c]; the range is ranks (loRank, hiRank].
      inside = Math.max(0, Math.min(seen + c, hiRank) - Math.max(seen, loRank));
      under = Math.max(0, Math.min(seen + c, loRank) - seen);
    } else {
      const isIn = (stat.lo === undefined || v > stat.lo) && (stat.hi === undefined || v <= stat.hi);
      inside = isIn ? c : 0;
      under = !isIn && stat.lo !== undefined && v <= stat.lo ? c : 0;
    }
    seen += c;
    below += under;
    above += c - inside - under;
    if (inside > 0) {
      count += inside;
      sum += inside * v;
      lowest ??= v;
      highest = v;
    }
  }
  if (stat.fn === 'tc') return count;
  if (stat.fn === 'ts') return sum;
  if (count === 0) return undefined;
  if (stat.fn === 'tm') return sum / count;
  return (sum + below * (lowest ?? 0) + above * (highest ?? 0)) / (count + below + above);
}
