/**
 * GetMetricData's queries, run: MetricStat queries read the store, SEARCH calls are resolved
 * (they read the store too), then expressions are evaluated in dependency order. A scalar result
 * becomes a series over the request's periods; an array result gives one result per series, all
 * with the query's Id (as CloudWatch answers SEARCH and METRICS()).
 */
import type { Reader } from '../../store/store.ts';
import {
  listMetricSeries,
  type MetricId,
  metricPeriods,
  alignStart,
  parseStatistic,
  statisticValue,
} from '../model/index.ts';
import { evaluate } from './evaluate.ts';
import { dynamicLabel, isDynamic } from './labels.ts';
import { type Node, parseExpression, referencedIds } from './parse.ts';
import { parseSearch } from './search.ts';
import { MathEvalError, type Series, type Value } from './series.ts';

export interface MetricQuery {
  /** 1-based position in MetricDataQueries (for error paths). */
  index: number;
  id: string;
  label?: string;
  returnData: boolean;
  metricStat?: { metric: MetricId; period: number; stat: string; unit?: string };
  expression?: string;
  period?: number;
}

export interface QueryResult {
  id: string;
  label: string;
  /** Ascending epoch ms. */
  timestamps: number[];
  values: number[];
  messages: { Code: string; Value: string }[];
}

/** A query CloudWatch refuses: `path` names the member, `detail` says why. */
export class QueryError extends Error {
  readonly path: string;
  constructor(path: string, detail: string) {
    super(detail);
    this.path = path;
  }
}

/** Periods one request may span (100,800 datapoints is GetMetricData's own page size). */
export const MAX_GRID = 1_000_000;

/** SEARCH returns at most this many series (CloudWatch's limit). */
export const MAX_SEARCH_SERIES = 500;
const TWO_WEEKS_MS = 14 * 24 * 3_600_000;

export interface RunOptions {
  start: number;
  end: number;
  now: number;
  /** For dynamic labels' PROP('Region') and PROP('AccountId'). */
  region?: string;
  accountId?: string;
}

export async function runQueries(
  reader: Reader,
  queries: readonly MetricQuery[],
  o: RunOptions,
): Promise<QueryResult[]> {
  const byId = new Map(queries.map((q) => [q.id, q]));
  const exprPath = (q: MetricQuery) => `MetricDataQueries.member.${q.index}.Expression`;
  const trees = new Map<string, Node>();
  for (const q of queries) {
    if (q.expression === undefined) continue;
    let tree: Node;
    try {
      tree = parseExpression(q.expression);
    } catch (error) {
      throw new QueryError(exprPath(q), (error as Error).message);
    }
    for (const ref of referencedIds(tree))
      if (!byId.has(ref)) throw new QueryError(exprPath(q), `Unknown metric or expression id "${ref}".`);
    trees.set(q.id, tree);
  }
  const statPeriods = queries.flatMap((q) => (q.metricStat ? [q.metricStat.period] : []));
  const period =
    statPeriods.length > 0 ? Math.min(...statPeriods) : (queries.find((q) => q.period)?.period ?? 60);
  const gridStart = alignStart(o.start, period, o.now);
  // FILL and scalar results cover every period: a range of years at 1 second would never end.
  if ((o.end - gridStart) / (period * 1000) > MAX_GRID)
    throw new QueryError(
      'MetricDataQueries',
      `The time range holds more than ${MAX_GRID.toLocaleString('en-US')} periods of ${period} seconds; use a longer period or a shorter range.`,
    );
  const grid: number[] = [];
  for (let t = gridStart; t < o.end; t += period * 1000) grid.push(t);

  const values = new Map<string, Value>();
  for (const q of queries) {
    if (!q.metricStat) continue;
    values.set(q.id, {
      type: 'series',
      series: await statSeries(reader, q.id, q.label ?? q.metricStat.metric.metricName, q.metricStat, o),
    });
  }
  const searches = new Map<Node, Series[]>();
  const messages = new Map<string, QueryResult['messages']>();
  for (const q of queries) {
    const tree = trees.get(q.id);
    if (!tree) continue;
    for (const call of searchCalls(tree)) {
      const found = await runSearch(reader, call, period, o).catch((error: unknown) => {
        throw new QueryError(exprPath(q), (error as Error).message);
      });
      if (found.truncated)
        messages.set(q.id, [
          {
            Code: 'MaxMetricsExceeded',
            Value: `SEARCH returned the first ${MAX_SEARCH_SERIES} metrics only.`,
          },
        ]);
      searches.set(call, found.series);
    }
  }
  const visiting = new Set<string>();
  const valueFor = (q: MetricQuery): Value => {
    const known = values.get(q.id);
    if (known) return known;
    if (visiting.has(q.id)) throw new QueryError(exprPath(q), `Circular reference involving "${q.id}".`);
    visiting.add(q.id);
    let v: Value;
    try {
      v = evaluate(trees.get(q.id) as Node, {
        resolve: (id) => valueFor(byId.get(id) as MetricQuery),
        metrics: () =>
          queries.flatMap((m) => {
            const s = m.metricStat ? values.get(m.id) : undefined;
            return s?.type === 'series' ? [s.series] : [];
          }),
        search: (call) => searches.get(call) ?? [],
        grid,
        period,
      });
    } catch (error) {
      if (error instanceof MathEvalError) throw new QueryError(exprPath(q), error.message);
      throw error;
    }
    visiting.delete(q.id);
    values.set(q.id, v);
    return v;
  };

  const results: QueryResult[] = [];
  for (const q of queries) {
    const v = valueFor(q);
    if (!q.returnData) continue;
    const base = { id: q.id, messages: messages.get(q.id) ?? [] };
    const plain = q.metricStat ? q.metricStat.metric.metricName : q.id;
    const facts = { region: o.region ?? '', accountId: o.accountId ?? '' };
    // A Label with ${...} is filled per series; otherwise it names the query (and prefixes an array's labels).
    const labelOf = (s: Series, own: string) =>
      q.label === undefined
        ? own
        : isDynamic(q.label)
          ? dynamicLabel(q.label, s, { ...facts, label: own })
          : q.label;
    if (v.type === 'scalar') {
      const s: Series = { id: q.id, label: plain, timestamps: grid, values: grid.map(() => v.value), period };
      results.push({ ...base, label: labelOf(s, plain), timestamps: s.timestamps, values: s.values });
    } else if (v.type === 'series')
      results.push({
        ...base,
        label: labelOf(v.series, plain),
        timestamps: v.series.timestamps,
        values: v.series.values,
      });
    else if (v.type === 'array')
      for (const s of v.items)
        results.push({
          ...base,
          label: q.label !== undefined && !isDynamic(q.label) ? `${q.label} ${s.label}` : labelOf(s, s.label),
          timestamps: s.timestamps,
          values: s.values,
        });
    else
      throw new QueryError(
        exprPath(q),
        `The expression gives ${v.type === 'string' ? 'a string' : v.name}, not a time series.`,
      );
  }
  return results;
}

async function statSeries(
  reader: Reader,
  id: string,
  label: string,
  ms: NonNullable<MetricQuery['metricStat']>,
  o: RunOptions,
): Promise<Series> {
  const stat = parseStatistic(ms.stat);
  if (!stat) throw new QueryError('MetricStat.Stat', `${ms.stat} is not a valid statistic.`);
  const periods = await metricPeriods(reader, ms.metric, {
    start: o.start,
    end: o.end,
    period: ms.period,
    now: o.now,
    distribution: stat.type !== 'basic',
    ...(ms.unit ? { unit: ms.unit } : {}),
  });
  const series: Series = {
    id,
    label,
    timestamps: [],
    values: [],
    period: ms.period,
    metric: ms.metric,
    stat: ms.stat,
  };
  for (const p of periods) {
    const v = statisticValue(stat, p.cell);
    if (v === undefined) continue;
    series.timestamps.push(p.timestamp);
    series.values.push(v);
  }
  return series;
}

function searchCalls(node: Node, out: (Node & { type: 'call' })[] = []): (Node & { type: 'call' })[] {
  if (node.type === 'call') {
    if (node.name === 'SEARCH') out.push(node);
    for (const a of node.args) searchCalls(a, out);
  } else if (node.type === 'binary') {
    searchCalls(node.left, out);
    searchCalls(node.right, out);
  } else if (node.type === 'unary') searchCalls(node.operand, out);
  else if (node.type === 'array') for (const i of node.items) searchCalls(i, out);
  return out;
}

/** SEARCH('expression', 'Stat'[, period]): every matching metric with data in the past two weeks. */
async function runSearch(
  reader: Reader,
  call: Node & { type: 'call' },
  defaultPeriod: number,
  o: RunOptions,
): Promise<{ series: Series[]; truncated: boolean }> {
  const [expr, stat, periodArg] = call.args;
  if (call.args.length < 2 || call.args.length > 3 || expr.type !== 'string' || stat.type !== 'string')
    throw new MathEvalError(
      "SEARCH takes a search expression, a statistic and a period: SEARCH('{AWS/EC2,InstanceId} CPUUtilization', 'Average', 300).",
    );
  if (!parseStatistic(stat.value)) throw new MathEvalError(`${stat.value} is not a valid statistic.`);
  let period = defaultPeriod;
  if (periodArg) {
    if (periodArg.type !== 'number' || !(periodArg.value > 0))
      throw new MathEvalError("SEARCH's period is a number of seconds.");
    period = periodArg.value;
  }
  const match = parseSearch(expr.value);
  const found = (await listMetricSeries(reader, { activeSince: o.now - TWO_WEEKS_MS })).filter((m) =>
    match(m),
  );
  const series: Series[] = [];
  for (const m of found.slice(0, MAX_SEARCH_SERIES)) {
    const label = m.dimensions.length > 0 ? m.dimensions.map((d) => d.value).join(' ') : m.metricName;
    series.push(await statSeries(reader, '', label, { metric: m, period, stat: stat.value }, o));
  }
  return { series, truncated: found.length > MAX_SEARCH_SERIES };
}
