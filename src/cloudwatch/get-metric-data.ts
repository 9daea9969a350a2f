/**
 * GetMetricData: up to 500 MetricDataQueries (MetricStat or metric math Expression), results in
 * request order for queries with ReturnData, timestamps newest first unless ScanBy says
 * TimestampAscending. Pages hold at most MaxDatapoints datapoints (default 100,800) across results:
 * a result cut short is PartialData and NextToken continues from there. Malformed queries and
 * expressions are ValidationError, every problem on its own line, as CloudWatch reports them.
 */
import type {
  GetMetricDataInput,
  GetMetricDataOutput,
  MetricDataQuery,
  MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import { ServiceError } from '../core/errors.ts';
import type { RequestContext } from '../aws/service.ts';
import type { CloudWatchContext } from './cloudwatch-service.ts';
import { checkDimensions, toMs, UNITS, validationError, validPeriod } from './errors.ts';
import { type MetricQuery, QueryError, type QueryResult, runQueries } from './metric-math/run-queries.ts';
import { parseStatistic } from './model/index.ts';

export const MAX_QUERIES = 500;
export const DEFAULT_MAX_DATAPOINTS = 100_800;
const ID = /^[a-z][a-zA-Z0-9_]*$/;

export async function getMetricData(
  ctx: CloudWatchContext,
  input: GetMetricDataInput,
  _request: RequestContext,
): Promise<GetMetricDataOutput> {
  const queries = checkQueries(input);
  const start = toMs(input.StartTime ?? 0);
  const end = toMs(input.EndTime ?? 0);
  if (start >= end)
    throw validationError('The parameter StartTime must be less than the parameter EndTime.\n');
  const max = input.MaxDatapoints ?? DEFAULT_MAX_DATAPOINTS;
  if (!Number.isInteger(max) || max < 1)
    throw validationError(`The value ${max} for parameter MaxDatapoints is invalid.\n`);
  let results: QueryResult[];
  try {
    results = await runQueries(ctx.store, queries, {
      start,
      end,
      now: ctx.clock.now(),
      region: ctx.partition.region,
      accountId: ctx.partition.accountId,
    });
  } catch (error) {
    if (error instanceof QueryError)
      throw validationError(`The value for parameter ${error.path} is not valid: ${error.message}\n`);
    throw error;
  }
  const descending = input.ScanBy !== 'TimestampAscending';
  const token = input.NextToken === undefined ? { result: 0, point: 0 } : decodeToken(input.NextToken);
  const out: MetricDataResult[] = [];
  let budget = max;
  let next: { result: number; point: number } | undefined;
  for (let r = token.result; r < results.length; r++) {
    const res = results[r];
    const order = res.timestamps.map((_, i) => i);
    if (descending) order.reverse();
    const from = r === token.result ? token.point : 0;
    if (budget === 0) {
      next = { result: r, point: from };
      break;
    }
    const take = order.slice(from, from + budget);
    budget -= take.length;
    const complete = from + take.length >= order.length;
    out.push({
      Id: res.id,
      Label: res.label,
      // Handlers answer timestamps in epoch seconds; each protocol writes them in its own form.
      Timestamps: take.map((i) => res.timestamps[i] / 1000) as unknown as Date[],
      Values: take.map((i) => res.values[i]),
      StatusCode: complete ? 'Complete' : 'PartialData',
      Messages: res.messages,
    });
    if (!complete) {
      next = { result: r, point: from + take.length };
      break;
    }
  }
  return {
    MetricDataResults: out,
    Messages: [],
    ...(next ? { NextToken: Buffer.from(JSON.stringify(next)).toString('base64url') } : {}),
  };
}

/** Every problem with the queries, one line each, in one ValidationError; or the queries to run. */
function checkQueries(input: GetMetricDataInput): MetricQuery[] {
  const given = input.MetricDataQueries ?? [];
  const problems: string[] = [];
  if (given.length === 0) problems.push('The parameter MetricDataQueries is required.');
  if (given.length > MAX_QUERIES)
    problems.push(`The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`);
  const ids = new Set<string>();
  const out: MetricQuery[] = [];
  given.forEach((q: MetricDataQuery, i) => {
    const at = `MetricDataQueries.member.${i + 1}`;
    const id = q.Id ?? '';
    if (!ID.test(id) || id.length > 255)
      problems.push(
        `The value ${id} for parameter ${at}.Id is invalid: an Id starts with a lowercase letter and holds only letters, digits and underscores.`,
      );
    else if (ids.has(id)) problems.push(`The value ${id} for parameter ${at}.Id is not unique.`);
    ids.add(id);
    if (q.MetricStat && q.Expression !== undefined)
      problems.push(
        `The parameters ${at}.MetricStat and ${at}.Expression are mutually exclusive and you have specified both.`,
      );
    else if (!q.MetricStat && q.Expression === undefined)
      problems.push(`The parameter ${at}.MetricStat is required.`);
    const base = {
      index: i + 1,
      id,
      returnData: q.ReturnData ?? true,
      ...(q.Label !== undefined ? { label: q.Label } : {}),
      ...(q.Period !== undefined ? { period: q.Period } : {}),
    };
    if (q.Period !== undefined && !validPeriod(q.Period))
      problems.push(`The value for parameter ${at}.Period must be 1, 5, 10, 30 or a multiple of 60.`);
    if (q.MetricStat) {
      const ms = q.MetricStat;
      if (!ms.Stat || !parseStatistic(ms.Stat))
        problems.push(`The value for parameter ${at}.MetricStat.Stat is not a valid statistic.`);
      if (!validPeriod(ms.Period ?? 0))
        problems.push(
          `The value for parameter ${at}.MetricStat.Period must be 1, 5, 10, 30 or a multiple of 60.`,
        );
      if (ms.Unit !== undefined && !UNITS.has(ms.Unit))
        problems.push(`The value ${ms.Unit} for parameter ${at}.MetricStat.Unit is invalid.`);
      try {
        checkDimensions(ms.Metric?.Dimensions, `${at}.MetricStat.Metric.Dimensions`);
      } catch (error) {
        if (error instanceof ServiceError) problems.push(error.message);
        else throw error;
      }
      if (!ms.Metric?.MetricName)
        problems.push(`The parameter ${at}.MetricStat.Metric.MetricName is required.`);
      if (!ms.Metric?.Namespace)
        problems.push(`The parameter ${at}.MetricStat.Metric.Namespace is required.`);
      out.push({
        ...base,
        metricStat: {
          metric: {
            namespace: ms.Metric?.Namespace ?? '',
            metricName: ms.Metric?.MetricName ?? '',
            dimensions: (ms.Metric?.Dimensions ?? []).map((d) => ({
              name: d.Name ?? '',
              value: d.Value ?? '',
            })),
          },
          period: ms.Period ?? 60,
          stat: ms.Stat ?? '',
          ...(ms.Unit !== undefined ? { unit: ms.Unit } : {}),
        },
      });
    } else if (q.Expression !== undefined) {
      if (q.Expression.length > 2048)
        problems.push(`The value for parameter ${at}.Expression must be at most 2048 characters.`);
      out.push({ ...base, expression: q.Expression });
    }
  });
  if (problems.length > 0) throw validationError(problems.map((p) => `${p}\n`).join(''));
  return out;
}

function decodeToken(token: string): { result: number; point: number } {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString());
    if (Number.isInteger(t.result) && Number.isInteger(t.point) && t.result >= 0 && t.point >= 0) return t;
  } catch {
    // Not one of ours: refused below.
  }
  throw new ServiceError('InvalidNextToken', "The service couldn't process the NextToken.");
}
