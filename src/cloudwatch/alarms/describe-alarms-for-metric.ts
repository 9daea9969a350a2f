/**
 * DescribeAlarmsForMetric: the metric alarms on one metric (namespace, name and exactly these
 * dimensions), narrowed by Statistic / ExtendedStatistic, Period and Unit; metric math alarms whose
 * queries read the metric are included, as CloudWatch includes them.
 */
import type { DescribeAlarmsForMetricInput, DescribeAlarmsForMetricOutput } from '@aws-sdk/client-cloudwatch';
import type { RequestContext } from '../../aws/service.ts';
import { metricAlarmOutput } from '../model/alarm-output.ts';
import type { MetricAlarmRecord } from '../model/alarm-records.ts';
import { listAlarms } from '../model/alarms.ts';
import type { CloudWatchContext } from '../cloudwatch-service.ts';
import {
  checkDimensions,
  checkUnit,
  invalidCombination,
  invalidParameter,
  missingParameter,
} from '../errors.ts';

const BASIC = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'];

export async function describeAlarmsForMetric(
  ctx: CloudWatchContext,
  input: DescribeAlarmsForMetricInput,
  _request: RequestContext,
): Promise<DescribeAlarmsForMetricOutput> {
  if (input.MetricName === undefined) throw missingParameter('MetricName');
  if (input.Namespace === undefined) throw missingParameter('Namespace');
  checkDimensions(input.Dimensions, 'Dimensions');
  checkUnit(input.Unit, 'Unit');
  if (input.Statistic !== undefined && !BASIC.includes(input.Statistic))
    throw invalidParameter(input.Statistic, 'Statistic');
  if (input.Statistic !== undefined && input.ExtendedStatistic !== undefined)
    throw invalidCombination(
      'The parameters Statistic and ExtendedStatistic are mutually exclusive and you have specified both.',
    );
  const dims = (input.Dimensions ?? [])
    .map((d) => `${d.Name}=${d.Value}`)
    .sort()
    .join(',');
  const same = (namespace?: string, name?: string, dimensions?: readonly { name: string; value: string }[]) =>
    namespace === input.Namespace &&
    name === input.MetricName &&
    (dimensions ?? [])
      .map((d) => `${d.name}=${d.value}`)
      .sort()
      .join(',') === dims;
  const matches = (a: MetricAlarmRecord) => {
    if (a.metric)
      return (
        same(a.metric.namespace, a.metric.metricName, a.metric.dimensions) &&
        (input.Statistic === undefined || a.statistic === input.Statistic) &&
        (input.ExtendedStatistic === undefined || a.extendedStatistic === input.ExtendedStatistic) &&
        (input.Period === undefined || a.period === input.Period) &&
        (input.Unit === undefined || a.unit === input.Unit)
      );
    return (a.metrics ?? []).some((q) => {
      const ms = q.MetricStat;
      if (!ms) return false;
      const d = (ms.Metric?.Dimensions ?? []).map((x) => ({ name: x.Name ?? '', value: x.Value ?? '' }));
      return (
        same(ms.Metric?.Namespace, ms.Metric?.MetricName, d) &&
        (input.Statistic === undefined || ms.Stat === input.Statistic) &&
        (input.ExtendedStatistic === undefined || ms.Stat === input.ExtendedStatistic) &&
        (input.Period === undefined || ms.Period === input.Period) &&
        (input.Unit === undefined || ms.Unit === input.Unit)
      );
    });
  };
  const alarms = (await listAlarms(ctx.store)).filter(
    (a): a is MetricAlarmRecord => a.type === 'MetricAlarm' && matches(a),
  );
  return { MetricAlarms: alarms.map(metricAlarmOutput) };
}
