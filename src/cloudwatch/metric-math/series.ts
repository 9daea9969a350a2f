/** The values metric math works on: scalars, time series and arrays of time series. */

import type { MetricId } from '../model/index.ts';

/** A time series: timestamps ascending (epoch ms), one value each. */
export interface Series {
  /** The query the series came from (METRICS("prefix") matches on it). */
  id: string;
  label: string;
  timestamps: number[];
  values: number[];
  /** Seconds between datapoints (PERIOD()). */
  period: number;
  /** The metric and statistic it was read as (dynamic labels' PROP); kept through arithmetic. */
  metric?: MetricId;
  stat?: string;
}

export type Value =
  | { type: 'scalar'; value: number }
  | { type: 'series'; series: Series }
  | { type: 'array'; items: Series[] }
  | { type: 'string'; value: string }
  | { type: 'keyword'; name: string };

/** A well-formed expression that cannot be evaluated (wrong argument types, unknown function). */
export class MathEvalError extends Error {}

export const scalar = (value: number): Value => ({ type: 'scalar', value });

/** A series built from points, dropping values that are not finite (x/0, LOG(0), sqrt of negatives). */
export function seriesOf(base: Series, points: Iterable<readonly [number, number]>): Series {
  const timestamps: number[] = [];
  const values: number[] = [];
  for (const [t, v] of points) {
    if (!Number.isFinite(v)) continue;
    timestamps.push(t);
    values.push(v);
  }
  return {
    id: base.id,
    label: base.label,
    period: base.period,
    ...(base.metric ? { metric: base.metric } : {}),
    ...(base.stat ? { stat: base.stat } : {}),
    timestamps,
    values,
  };
}

export function pointsOf(s: Series): [number, number][] {
  return s.timestamps.map((t, i) => [t, s.values[i]]);
}

export const valueMap = (s: Series) => new Map(pointsOf(s));

export function describeValue(v: Value): string {
  switch (v.type) {
    case 'scalar':
      return 'a scalar';
    case 'series':
      return 'a time series';
    case 'array':
      return 'an array of time series';
    case 'string':
      return 'a string';
    case 'keyword':
      return v.name;
  }
}
