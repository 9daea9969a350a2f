/**
 * The datapoints of a metric alarm's evaluation range, read with the query code GetMetricData and
 * GetMetricStatistics use: `metricStatistics` for an alarm on one metric, `runQueries` (metric math)
 * for an alarm on Metrics[], whose ReturnData query gives the datapoints.
 */
import { type AlarmDatapoint, evaluationRange } from '../../cloudwatch/model/alarm-evaluate.ts';
import type { MetricAlarmRecord } from '../../cloudwatch/model/alarm-records.ts';
import { metricStatistics } from '../../cloudwatch/model/metric-query.ts';
import { type MetricQuery, runQueries } from '../../cloudwatch/metric-math/run-queries.ts';
import type { Reader } from '../../store/store.ts';

export async function alarmDatapoints(
  reader: Reader,
  alarm: MetricAlarmRecord,
  now: number,
  region: string,
  accountId: string,
): Promise<AlarmDatapoint[]> {
  const { start, end } = evaluationRange(alarm, now);
  if (alarm.metric) {
    const stat = alarm.statistic ?? alarm.extendedStatistic ?? 'Average';
    const points = await metricStatistics(
      reader,
      alarm.metric,
      {
        start,
        end,
        period: alarm.period ?? 60,
        now,
        ...(alarm.unit !== undefined ? { unit: alarm.unit } : {}),
      },
      stat === 'SampleCount' ? [stat] : [stat, 'SampleCount'],
    );
    return points.flatMap((p) =>
      p.values[stat] === undefined
        ? []
        : [{ timestamp: p.timestamp, value: p.values[stat], sampleCount: p.values.SampleCount }],
    );
  }
  const queries: MetricQuery[] = (alarm.metrics ?? []).map((q, i) => ({
    index: i + 1,
    id: q.Id ?? '',
    returnData: q.ReturnData !== false,
    ...(q.Label !== undefined ? { label: q.Label } : {}),
    ...(q.Period !== undefined ? { period: q.Period } : {}),
    ...(q.Expression !== undefined ? { expression: q.Expression } : {}),
    ...(q.MetricStat
      ? {
          metricStat: {
            metric: {
              namespace: q.MetricStat.Metric?.Namespace ?? '',
              metricName: q.MetricStat.Metric?.MetricName ?? '',
              dimensions: (q.MetricStat.Metric?.Dimensions ?? []).map((d) => ({
                name: d.Name ?? '',
                value: d.Value ?? '',
              })),
            },
            period: q.MetricStat.Period ?? 60,
            stat: q.MetricStat.Stat ?? 'Average',
            ...(q.MetricStat.Unit !== undefined ? { unit: q.MetricStat.Unit } : {}),
          },
        }
      : {}),
  }));
  const [result] = await runQueries(reader, queries, { start, end, now, region, accountId });
  if (!result) return [];
  return result.timestamps.flatMap((t, i) =>
    Number.isFinite(result.values[i]) ? [{ timestamp: t, value: result.values[i] }] : [],
  );
}
