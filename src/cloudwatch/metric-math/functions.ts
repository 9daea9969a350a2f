/**
 * Metric math functions. Each takes evaluated arguments; a function that maps points (ABS, RATE,
 * FILL ...) also maps every series of an array. SUM/AVG/MIN/MAX/STDDEV of one series give a
 * scalar (AVG(m1) is m1's mean over the range); of an array, a series whose point at each
 * timestamp aggregates the array's points there (SUM(METRICS()) adds the metrics up).
 */
import type { MathEnv } from './evaluate.ts';
import {
  describeValue,
  MathEvalError,
  pointsOf,
  scalar,
  type Series,
  seriesOf,
  type Value,
  valueMap,
} from './series.ts';

type Fn = (args: Value[], env: MathEnv) => Value;

const arity = (name: string, args: Value[], min: number, max = min) => {
  if (args.length < min || args.length > max) {
    const n = min === max ? `${min}` : `${min} to ${max}`;
    throw new MathEvalError(
      `The function ${name} takes ${n} argument${max === 1 ? '' : 's'}, not ${args.length}.`,
    );
  }
};

/** Applies `f` to a series, or to each series of an array. */
function perSeries(name: string, v: Value, f: (s: Series) => Series): Value {
  if (v.type === 'series') return { type: 'series', series: f(v.series) };
  if (v.type === 'array') return { type: 'array', items: v.items.map(f) };
  throw new MathEvalError(`The function ${name} takes a time series or an array, not ${describeValue(v)}.`);
}

function pointwise(name: string, f: (x: number) => number): Fn {
  return (args) => {
    arity(name, args, 1);
    const [v] = args;
    if (v.type === 'scalar') return scalar(f(v.value));
    return perSeries(name, v, (s) =>
      seriesOf(
        s,
        pointsOf(s).map(([t, x]) => [t, f(x)]),
      ),
    );
  };
}

/** Consecutive points: `f(previous, current)` at the current timestamp; the first point has none. */
function stepwise(name: string, f: (dv: number, dtSeconds: number, v: number) => number): Fn {
  return (args) => {
    arity(name, args, 1);
    return perSeries(name, args[0], (s) =>
      seriesOf(
        s,
        pointsOf(s)
          .slice(1)
          .map(([t, v], i) => [t, f(v - s.values[i], (t - s.timestamps[i]) / 1000, v)]),
      ),
    );
  };
}

const REDUCERS: Record<string, (xs: number[]) => number> = {
  SUM: (xs) => xs.reduce((a, b) => a + b, 0),
  AVG: (xs) => xs.reduce((a, b) => a + b, 0) / xs.length,
  // Loops, not Math.min(...xs): a series may hold a million points, past the arguments limit.
  MIN: (xs) => xs.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY),
  MAX: (xs) => xs.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY),
  // Population standard deviation of the values.
  STDDEV: (xs) => {
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    return Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
  },
};

function reducer(name: string): Fn {
  const reduce = REDUCERS[name];
  return (args, env) => {
    arity(name, args, 1);
    const [v] = args;
    if (v.type === 'series')
      return scalar(v.series.values.length === 0 ? Number.NaN : reduce(v.series.values));
    if (v.type !== 'array')
      throw new MathEvalError(
        `The function ${name} takes a time series or an array, not ${describeValue(v)}.`,
      );
    const at = new Map<number, number[]>();
    for (const s of v.items)
      for (const [t, x] of pointsOf(s)) {
        const xs = at.get(t);
        if (xs) xs.push(x);
        else at.set(t, [x]);
      }
    const base: Series = {
      id: '',
      label: name,
      timestamps: [],
      values: [],
      period: v.items[0]?.period ?? env.period,
    };
    return {
      type: 'series',
      series: seriesOf(
        base,
        [...at.entries()].sort((a, b) => a[0] - b[0]).map(([t, xs]) => [t, reduce(xs)]),
      ),
    };
  };
}

/** FILL(x, value | series | REPEAT | LINEAR) over the request's periods. */
const fill: Fn = (args, env) => {
  arity('FILL', args, 2);
  const [x, how] = args;
  const filler = (s: Series): Series => {
    const have = valueMap(s);
    const grid = [...new Set([...env.grid, ...s.timestamps])].sort((a, b) => a - b);
    let byTime: (t: number, i: number) => number | undefined;
    if (how.type === 'scalar') byTime = () => how.value;
    else if (how.type === 'series') {
      const other = valueMap(how.series);
      byTime = (t) => other.get(t);
    } else if (how.type === 'keyword' && (how.name === 'REPEAT' || how.name === 'LINEAR')) {
      // The nearest grid index with a value on each side of every index, in two linear passes.
      const before = new Array<number>(grid.length).fill(-1);
      const after = new Array<number>(grid.length).fill(-1);
      for (let i = 0, last = -1; i < grid.length; i++) {
        before[i] = last;
        if (have.has(grid[i])) last = i;
      }
      for (let i = grid.length - 1, next = -1; i >= 0; i--) {
        after[i] = next;
        if (have.has(grid[i])) next = i;
      }
      const at = (j: number) => (j < 0 ? undefined : have.get(grid[j]));
      // REPEAT: the last value before the gap (a leading gap takes the first value after it).
      // LINEAR: interpolated between the values on either side; an end gap repeats the nearest.
      byTime =
        how.name === 'REPEAT'
          ? (_t, i) => at(before[i]) ?? at(after[i])
          : (t, i) => {
              const [b, a] = [before[i], after[i]];
              if (b < 0 || a < 0) return at(b) ?? at(a);
              const [vb, va] = [at(b) as number, at(a) as number];
              return vb + ((va - vb) * (t - grid[b])) / (grid[a] - grid[b]);
            };
    } else
      throw new MathEvalError(
        `FILL's second argument is a number, a time series, REPEAT or LINEAR, not ${describeValue(how)}.`,
      );
    const points: [number, number][] = [];
    grid.forEach((t, i) => {
      const v = have.get(t) ?? byTime(t, i);
      if (v !== undefined) points.push([t, v]);
    });
    return seriesOf(s, points);
  };
  return perSeries('FILL', x, filler);
};

/** IF(condition, a[, b]): a where the condition is non-zero, b (or nothing) where it is zero. */
const ifFn: Fn = (args) => {
  arity('IF', args, 2, 3);
  const [cond, a, b] = args;
  const pick = (v: Value | undefined, t: number): number | undefined => {
    if (v === undefined) return undefined;
    if (v.type === 'scalar') return v.value;
    if (v.type === 'series') return valueMap(v.series).get(t);
    throw new MathEvalError(`IF's branches are numbers or time series, not ${describeValue(v)}.`);
  };
  const one = (s: Series) =>
    seriesOf(
      s,
      pointsOf(s).flatMap(([t, c]) => {
        const v = pick(c !== 0 ? a : b, t);
        return v === undefined ? [] : [[t, v] as [number, number]];
      }),
    );
  if (cond.type === 'scalar') return cond.value !== 0 ? a : (b ?? { type: 'array', items: [] });
  return perSeries('IF', cond, one);
};

const metrics: Fn = (args, env) => {
  arity('METRICS', args, 0, 1);
  const [filter] = args;
  if (filter && filter.type !== 'string')
    throw new MathEvalError(`METRICS takes a string, not ${describeValue(filter)}.`);
  const all = env.metrics();
  return { type: 'array', items: filter ? all.filter((s) => s.id.includes(filter.value)) : all };
};

const arrayOnly =
  (name: string, f: (items: Series[]) => Value): Fn =>
  (args) => {
    arity(name, args, 1);
    const [v] = args;
    if (v.type === 'array') return f(v.items);
    if (v.type === 'series') return f([v.series]);
    throw new MathEvalError(`The function ${name} takes an array of time series, not ${describeValue(v)}.`);
  };

/** SORT(array, SUM|AVG|MIN|MAX|STDDEV, ASC|DESC[, N]): the series ordered by that aggregate, the first N. */
const sort: Fn = (args) => {
  arity('SORT', args, 3, 4);
  const [v, by, order, limit] = args;
  if (v.type !== 'array')
    throw new MathEvalError(`SORT takes an array of time series, not ${describeValue(v)}.`);
  const name = by.type === 'keyword' ? by.name : '';
  const fn = REDUCERS[name];
  if (!fn) throw new MathEvalError("SORT's second argument is SUM, AVG, MIN, MAX or STDDEV.");
  const dir = order.type === 'keyword' ? order.name : '';
  if (dir !== 'ASC' && dir !== 'DESC') throw new MathEvalError("SORT's third argument is ASC or DESC.");
  if (limit && (limit.type !== 'scalar' || !(limit.value >= 0)))
    throw new MathEvalError("SORT's fourth argument is a number of series.");
  const keyed = v.items.map((s) => ({
    s,
    k: s.values.length === 0 ? Number.NEGATIVE_INFINITY : fn(s.values),
  }));
  keyed.sort((a, b) => (dir === 'ASC' ? a.k - b.k : b.k - a.k));
  const items = keyed.map((x) => x.s);
  return { type: 'array', items: limit?.type === 'scalar' ? items.slice(0, Math.floor(limit.value)) : items };
};

/** SLICE(array, start, end): the series from index start up to (not including) end. */
const slice: Fn = (args) => {
  arity('SLICE', args, 3);
  const [v, from, to] = args;
  if (v.type !== 'array' || from.type !== 'scalar' || to.type !== 'scalar')
    throw new MathEvalError('SLICE takes an array of time series and two numbers.');
  return { type: 'array', items: v.items.slice(Math.floor(from.value), Math.floor(to.value)) };
};

/** MINUTE, HOUR, DAY (of the week, 1 = Monday), DATE, MONTH, YEAR of each point's timestamp, UTC. */
function datePart(name: string, part: (d: Date) => number): Fn {
  return (args) => {
    arity(name, args, 1);
    return perSeries(name, args[0], (s) =>
      seriesOf(
        s,
        s.timestamps.map((t) => [t, part(new Date(t))]),
      ),
    );
  };
}

const FUNCTIONS: Record<string, Fn> = {
  ABS: pointwise('ABS', Math.abs),
  CEIL: pointwise('CEIL', Math.ceil),
  FLOOR: pointwise('FLOOR', Math.floor),
  LOG: pointwise('LOG', Math.log),
  LOG10: pointwise('LOG10', Math.log10),
  SUM: reducer('SUM'),
  AVG: reducer('AVG'),
  MIN: reducer('MIN'),
  MAX: reducer('MAX'),
  STDDEV: reducer('STDDEV'),
  FILL: fill,
  IF: ifFn,
  METRICS: metrics,
  RATE: stepwise('RATE', (dv, dt) => dv / dt),
  DIFF: stepwise('DIFF', (dv) => dv),
  DIFF_TIME: stepwise('DIFF_TIME', (_dv, dt) => dt),
  RUNNING_SUM: (args) => {
    arity('RUNNING_SUM', args, 1);
    return perSeries('RUNNING_SUM', args[0], (s) => {
      let total = 0;
      return seriesOf(
        s,
        pointsOf(s).map(([t, v]) => {
          total += v;
          return [t, total];
        }),
      );
    });
  },
  PERIOD: (args) => {
    arity('PERIOD', args, 1);
    return perSeries('PERIOD', args[0], (s) =>
      seriesOf(
        s,
        s.timestamps.map((t) => [t, s.period]),
      ),
    );
  },
  EPOCH: (args) => {
    arity('EPOCH', args, 1);
    return perSeries('EPOCH', args[0], (s) =>
      seriesOf(
        s,
        s.timestamps.map((t) => [t, Math.floor(t / 1000)]),
      ),
    );
  },
  DATAPOINT_COUNT: (args) => {
    arity('DATAPOINT_COUNT', args, 1);
    const [v] = args;
    if (v.type === 'series') return scalar(v.series.values.length);
    throw new MathEvalError(`DATAPOINT_COUNT takes a time series, not ${describeValue(v)}.`);
  },
  METRIC_COUNT: arrayOnly('METRIC_COUNT', (items) => scalar(items.length)),
  REMOVE_EMPTY: arrayOnly('REMOVE_EMPTY', (items) => ({
    type: 'array',
    items: items.filter((s) => s.values.length > 0),
  })),
  FIRST: arrayOnly('FIRST', (items) =>
    items[0] ? { type: 'series', series: items[0] } : { type: 'array', items: [] },
  ),
  LAST: arrayOnly('LAST', (items) => {
    const last = items[items.length - 1];
    return last ? { type: 'series', series: last } : { type: 'array', items: [] };
  }),
  SORT: sort,
  SLICE: slice,
  MINUTE: datePart('MINUTE', (d) => d.getUTCMinutes()),
  HOUR: datePart('HOUR', (d) => d.getUTCHours()),
  DAY: datePart('DAY', (d) => ((d.getUTCDay() + 6) % 7) + 1),
  DATE: datePart('DATE', (d) => d.getUTCDate()),
  MONTH: datePart('MONTH', (d) => d.getUTCMonth() + 1),
  YEAR: datePart('YEAR', (d) => d.getUTCFullYear()),
  TIME_SERIES: (args, env) => {
    arity('TIME_SERIES', args, 1);
    const [v] = args;
    if (v.type !== 'scalar') throw new MathEvalError(`TIME_SERIES takes a number, not ${describeValue(v)}.`);
    const base: Series = { id: '', label: '', timestamps: [], values: [], period: env.period };
    return {
      type: 'series',
      series: seriesOf(
        base,
        env.grid.map((t) => [t, v.value]),
      ),
    };
  },
};

export const FUNCTION_NAMES: readonly string[] = [...Object.keys(FUNCTIONS), 'SEARCH'];

export function callFunction(name: string, args: Value[], env: MathEnv): Value {
  const fn = FUNCTIONS[name];
  if (!fn) throw new MathEvalError(`Unknown function ${name}.`);
  return fn(args, env);
}
