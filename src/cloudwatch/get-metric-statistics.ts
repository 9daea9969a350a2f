/**
 * GetMetricStatistics: one metric's statistics per period over [StartTime, EndTime), at most 1,440
 * datapoints. Datapoints come out oldest first; a period without data has none; a percentile that
 * cannot be computed (statistic sets) is left out of its datapoint.
 */
import type {
  Datapoint,
  GetMetricStatisticsInput,
  GetMetricStatisticsOutput,
} from '@aws-sdk/client-cloudwatch';
import type { RequestContext } from '../aws/service.ts';
import type { CloudWatchContext } from './cloudwatch-service.ts';
import {
  checkDimensions,
  checkSize,
  checkUnit,
  invalidCombination,
  invalidParameter,
  invalidValue,
  toMs,
  validPeriod,
  withCommas,
} from './errors.ts';
import { alignStart, BASIC_STATISTICS, metricStatistics, parseStatistic } from './model/index.ts';

export const MAX_DATAPOINTS = 1440;

export async function getMetricStatistics(
  ctx: CloudWatchContext,
  input: GetMetricStatisticsInput,
  _request: RequestContext,
): Promise<GetMetricStatisticsOutput> {
  const statistics = input.Statistics ?? [];
  const extended = input.ExtendedStatistics ?? [];
  if (statistics.length === 0 && extended.length === 0)
    throw invalidCombination('Must specify either Statistics or ExtendedStatistics');
  checkSize(statistics, 'Statistics', 5);
  checkSize(extended, 'ExtendedStatistics', 10);
  statistics.forEach((s, i) => {
    if (!(BASIC_STATISTICS as readonly string[]).includes(s))
      throw invalidParameter(s, `Statistics.member.${i + 1}`);
  });
  extended.forEach((s, i) => {
    const parsed = parseStatistic(s);
    if (!parsed || parsed.type === 'basic') throw invalidParameter(s, `ExtendedStatistics.member.${i + 1}`);
  });
  checkDimensions(input.Dimensions, 'Dimensions');
  checkUnit(input.Unit, 'Unit');
  const period = input.Period ?? 0;
  if (!validPeriod(period))
    throw invalidValue('The parameter Period must be 1, 5, 10, 30 or a multiple of 60.');
  const start = toMs(input.StartTime ?? 0);
  const end = toMs(input.EndTime ?? 0);
  if (start >= end) throw invalidValue('The parameter StartTime must be less than the parameter EndTime.');
  const now = ctx.clock.now();
  const requested = Math.ceil((end - alignStart(start, period, now)) / (period * 1000));
  if (requested > MAX_DATAPOINTS)
    throw invalidCombination(
      `You have requested up to ${withCommas(requested)} datapoints, which exceeds the limit of ${withCommas(MAX_DATAPOINTS)}. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`,
    );
  const metric = {
    namespace: input.Namespace ?? '',
    metricName: input.MetricName ?? '',
    dimensions: (input.Dimensions ?? []).map((d) => ({ name: d.Name ?? '', value: d.Value ?? '' })),
  };
  const points = await metricStatistics(
    ctx.store,
    metric,
    { start, end, period, now, ...(input.Unit ? { unit: input.Unit } : {}) },
    [...statistics, ...extended],
  );
  const datapoints: Datapoint[] = points.map((p) => {
    const dp: Record<string, unknown> = { Timestamp: p.timestamp / 1000, Unit: p.unit };
    for (const s of statistics) if (p.values[s] !== undefined) dp[s] = p.values[s];
    const ext = Object.fromEntries(
      extended.flatMap((s) => (p.values[s] === undefined ? [] : [[s, p.values[s]]])),
    );
    if (extended.length > 0 && Object.keys(ext).length > 0) dp.ExtendedStatistics = ext;
    return dp as Datapoint;
  });
  return { Label: metric.metricName, Datapoints: datapoints };
}
