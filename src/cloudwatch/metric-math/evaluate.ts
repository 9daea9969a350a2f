/**
 * Evaluates a parsed metric math expression. Arithmetic and comparisons work on scalars, series
 * and arrays: scalar with series applies to every point; series with series pairs points at the
 * same timestamp (a timestamp only one has is dropped); an array applies the operation to each of
 * its series. Comparisons and AND/OR give 1 or 0. Non-finite results (x/0) are dropped.
 */
import { type BinaryOp, KEYWORDS, type Node } from './parse.ts';
import { callFunction } from './functions.ts';
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

export interface MathEnv {
  /** The value of another query, by id (the caller evaluates it, detecting cycles). */
  resolve(id: string): Value;
  /** The MetricStat queries' series, in request order. */
  metrics(): Series[];
  /** The series a SEARCH call found (resolved before evaluation: it reads the store). */
  search(call: Node & { type: 'call' }): Series[];
  /** Timestamps of every period of the request (FILL fills these; a scalar result covers them). */
  grid: readonly number[];
  /** The request's period, seconds. */
  period: number;
}

export function evaluate(node: Node, env: MathEnv): Value {
  switch (node.type) {
    case 'number':
      return scalar(node.value);
    case 'string':
      return { type: 'string', value: node.value };
    case 'ident': {
      // Keywords are upper case; query ids start with a lower-case letter, so they never collide.
      if (KEYWORDS.has(node.name)) return { type: 'keyword', name: node.name };
      return env.resolve(node.name);
    }
    case 'unary': {
      const v = evaluate(node.operand, env);
      return node.op === '-' ? binary('*', scalar(-1), v) : binary('+', scalar(0), v);
    }
    case 'binary':
      return binary(node.op, evaluate(node.left, env), evaluate(node.right, env));
    case 'array': {
      const items: Series[] = [];
      for (const item of node.items) {
        const v = evaluate(item, env);
        if (v.type === 'series') items.push(v.series);
        else if (v.type === 'array') items.push(...v.items);
        else throw new MathEvalError(`An array holds time series, not ${describeValue(v)}.`);
      }
      return { type: 'array', items };
    }
    case 'call':
      if (node.name === 'SEARCH') return { type: 'array', items: env.search(node) };
      return callFunction(
        node.name,
        node.args.map((a) => evaluate(a, env)),
        env,
      );
  }
}

const OPS: Record<BinaryOp, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '^': (a, b) => a ** b,
  '==': (a, b) => Number(a === b),
  '!=': (a, b) => Number(a !== b),
  '<': (a, b) => Number(a < b),
  '<=': (a, b) => Number(a <= b),
  '>': (a, b) => Number(a > b),
  '>=': (a, b) => Number(a >= b),
  AND: (a, b) => Number(a !== 0 && b !== 0),
  OR: (a, b) => Number(a !== 0 || b !== 0),
};

export function binary(op: BinaryOp, a: Value, b: Value): Value {
  const f = OPS[op];
  if (a.type === 'scalar' && b.type === 'scalar') return scalar(f(a.value, b.value));
  if (a.type === 'array' || b.type === 'array') {
    if (a.type === 'array' && b.type === 'array')
      throw new MathEvalError(`The operator ${op} cannot combine two arrays of time series.`);
    const [arr, other, arrayFirst] =
      a.type === 'array' ? [a, b, true] : [b as Value & { type: 'array' }, a, false];
    return {
      type: 'array',
      items: arr.items.map((s) => {
        const r = arrayFirst
          ? binary(op, { type: 'series', series: s }, other)
          : binary(op, other, { type: 'series', series: s });
        return { ...(r as Value & { type: 'series' }).series, label: s.label, id: s.id };
      }),
    };
  }
  if (a.type === 'series' && b.type === 'scalar')
    return {
      type: 'series',
      series: seriesOf(
        a.series,
        pointsOf(a.series).map(([t, v]) => [t, f(v, b.value)]),
      ),
    };
  if (a.type === 'scalar' && b.type === 'series')
    return {
      type: 'series',
      series: seriesOf(
        b.series,
        pointsOf(b.series).map(([t, v]) => [t, f(a.value, v)]),
      ),
    };
  if (a.type === 'series' && b.type === 'series') {
    const right = valueMap(b.series);
    const points: [number, number][] = [];
    for (const [t, v] of pointsOf(a.series)) {
      const w = right.get(t);
      if (w !== undefined) points.push([t, f(v, w)]);
    }
    return { type: 'series', series: seriesOf(a.series, points) };
  }
  throw new MathEvalError(`The operator ${op} cannot take ${describeValue(a)} and ${describeValue(b)}.`);
}
