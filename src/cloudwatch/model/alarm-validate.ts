/**
 * PutMetricAlarm's and PutCompositeAlarm's checks of what both alarm kinds share, and of a metric
 * alarm's metric or metric math. The first problem is the error; nothing is written before all pass.
 */
import type { MetricDataQuery, PutMetricAlarmInput } from '@aws-sdk/client-cloudwatch';
import { UNITS } from './units.ts';
import {
  alarmInvalidCombination,
  alarmInvalidParameter,
  alarmInvalidValue,
  alarmMissing,
  alarmValidation,
} from './alarm-errors.ts';
import {
  type AlarmTag,
  BAND_OPERATORS,
  type MetricAlarmRecord,
  THRESHOLD_OPERATORS,
  type ThresholdOperator,
  TreatMissingData,
} from './alarm-records.ts';
import { parseStatistic } from './statistics.ts';

export const MAX_ACTIONS = 5;
export const MAX_TAGS = 50;
/** Queries of one metric math alarm. */
export const MAX_ALARM_METRICS = 10;
const DAY_S = 86_400;
const WEEK_S = 7 * DAY_S;
const ID = /^[a-z][a-zA-Z0-9_]*$/;
const BASIC = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'];
/** arn:partition:service:region:account:resource (region and account may be empty for some services). */
const ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:[^:]*:.+$/;

/** Name: 1-255 characters, no control characters. */
export function checkAlarmName(name: string | undefined, path = 'AlarmName'): string {
  if (name === undefined) throw alarmMissing(path);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused.
  if (name.length < 1 || name.length > 255 || /[\x00-\x1f\x7f]/.test(name))
    throw alarmInvalidParameter(name, path);
  return name;
}

export function checkDescription(description: string | undefined): void {
  if (description !== undefined && description.length > 1024)
    throw alarmInvalidValue('The parameter AlarmDescription must be at most 1024 characters long.');
}

/** Each action list: at most 5 well-formed ARNs. */
export function checkActions(input: {
  OKActions?: string[];
  AlarmActions?: string[];
  InsufficientDataActions?: string[];
}): void {
  for (const name of ['OKActions', 'AlarmActions', 'InsufficientDataActions'] as const) {
    const list = input[name] ?? [];
    if (list.length > MAX_ACTIONS)
      throw alarmInvalidValue(`The collection ${name} must not have a size greater than ${MAX_ACTIONS}.`);
    for (const arn of list) if (!ARN.test(arn)) throw alarmValidation(`Invalid arn syntax: ${arn}`);
  }
}

export function checkTags(
  tags: readonly { Key?: string; Value?: string }[] | undefined,
  path = 'Tags',
): AlarmTag[] {
  const list = tags ?? [];
  if (list.length > MAX_TAGS)
    throw alarmInvalidValue(`The collection ${path} must not have a size greater than ${MAX_TAGS}.`);
  return list.map((t, i) => {
    const at = `${path}.member.${i + 1}`;
    if (t.Key === undefined) throw alarmMissing(`${at}.Key`);
    if (t.Value === undefined) throw alarmMissing(`${at}.Value`);
    if (t.Key.length < 1 || t.Key.length > 128 || t.Key.startsWith('aws:'))
      throw alarmInvalidParameter(t.Key, `${at}.Key`);
    if (t.Value.length > 256) throw alarmInvalidParameter(t.Value, `${at}.Value`);
    return { Key: t.Key, Value: t.Value };
  });
}

/** Alarm periods: 10, 30 or a multiple of 60 seconds. */
export const validAlarmPeriod = (p: number) =>
  Number.isInteger(p) && p > 0 && (p === 10 || p === 30 || p % 60 === 0);

type MetricConfig = Omit<
  MetricAlarmRecord,
  | 'type'
  | 'name'
  | 'arn'
  | 'description'
  | 'actionsEnabled'
  | 'okActions'
  | 'alarmActions'
  | 'insufficientDataActions'
  | 'configurationUpdatedAt'
  | 'state'
  | 'tags'
  | 'pendingActions'
>;

/** What a PutMetricAlarm request says about the metric and its evaluation, checked. */
export function metricAlarmConfig(input: PutMetricAlarmInput): MetricConfig {
  if (input.EvaluationCriteria !== undefined || input.EvaluationInterval !== undefined)
    throw alarmInvalidValue('PromQL alarms (EvaluationCriteria, EvaluationInterval) are not supported.');
  const single = input.Metrics === undefined;
  const source = single ? singleMetric(input) : metricMath(input);
  const period = source.period ?? 0;
  const n = input.EvaluationPeriods;
  if (n === undefined) throw alarmMissing('EvaluationPeriods');
  if (!Number.isInteger(n) || n < 1) throw alarmInvalidParameter(n, 'EvaluationPeriods');
  const m = input.DatapointsToAlarm;
  if (m !== undefined && (!Number.isInteger(m) || m < 1)) throw alarmInvalidParameter(m, 'DatapointsToAlarm');
  if (m !== undefined && m > n)
    throw alarmValidation('DatapointsToAlarm must be less than or equal to EvaluationPeriods.');
  // A day at most; periods of an hour or more may look back a week.
  if (n * period > (period >= 3600 ? WEEK_S : DAY_S))
    throw alarmValidation(
      period >= 3600
        ? 'Metrics cannot be checked across more than a week (EvaluationPeriods * Period must be <= 604800).'
        : 'Metrics cannot be checked across more than a day (EvaluationPeriods * Period must be <= 86400).',
    );
  const op = checkOperator(input);
  const tmd = input.TreatMissingData;
  if (tmd !== undefined && !(Object.values(TreatMissingData) as string[]).includes(tmd))
    throw alarmInvalidParameter(tmd, 'TreatMissingData');
  const low = input.EvaluateLowSampleCountPercentile;
  if (low !== undefined) {
    if (low !== 'evaluate' && low !== 'ignore')
      throw alarmInvalidParameter(low, 'EvaluateLowSampleCountPercentile');
    if (!input.ExtendedStatistic || parseStatistic(input.ExtendedStatistic)?.type !== 'percentile')
      throw alarmValidation(
        'EvaluateLowSampleCountPercentile can only be used with a percentile ExtendedStatistic.',
      );
  }
  return {
    ...source,
    evaluationPeriods: n,
    ...(m !== undefined ? { datapointsToAlarm: m } : {}),
    ...(input.Threshold !== undefined ? { threshold: input.Threshold } : {}),
    comparisonOperator: op,
    ...(tmd !== undefined ? { treatMissingData: tmd as TreatMissingData } : {}),
    ...(low !== undefined ? { evaluateLowSampleCountPercentile: low } : {}),
  };
}

/**
 * Fixed thresholds only: the band operators need ThresholdMetricId naming an
 * ANOMALY_DETECTION_BAND expression, and Longshore trains no anomaly detection model.
 */
function checkOperator(input: PutMetricAlarmInput): ThresholdOperator {
  const op = input.ComparisonOperator;
  if (op === undefined) throw alarmMissing('ComparisonOperator');
  if ((BAND_OPERATORS as readonly string[]).includes(op)) {
    if (input.ThresholdMetricId === undefined)
      throw alarmValidation(
        `ComparisonOperator ${op} requires ThresholdMetricId: it compares the metric with an anomaly detection band.`,
      );
    throw alarmValidation(
      `ThresholdMetricId ${input.ThresholdMetricId} must name an ANOMALY_DETECTION_BAND expression of a trained anomaly detection model; no anomaly detection model exists for this metric.`,
    );
  }
  if (!(THRESHOLD_OPERATORS as readonly string[]).includes(op))
    throw alarmInvalidParameter(op, 'ComparisonOperator');
  if (input.ThresholdMetricId !== undefined)
    throw alarmValidation(
      `ThresholdMetricId can only be used with anomaly detection band comparison operators, not ${op}.`,
    );
  if (input.Threshold === undefined) throw alarmMissing('Threshold');
  if (!Number.isFinite(input.Threshold)) throw alarmInvalidParameter(input.Threshold, 'Threshold');
  return op as ThresholdOperator;
}

function singleMetric(
  input: PutMetricAlarmInput,
): Pick<MetricConfig, 'metric' | 'statistic' | 'extendedStatistic' | 'period' | 'unit'> {
  if (input.MetricName === undefined) throw alarmMissing('MetricName');
  if (input.Namespace === undefined) throw alarmMissing('Namespace');
  if (input.MetricName.length < 1 || input.MetricName.length > 255)
    throw alarmInvalidParameter(input.MetricName, 'MetricName');
  if (input.Namespace.length < 1 || input.Namespace.length > 255 || input.Namespace.startsWith(':'))
    throw alarmInvalidParameter(input.Namespace, 'Namespace');
  const dimensions = checkDimensions(input.Dimensions, 'Dimensions');
  if (input.Statistic !== undefined && input.ExtendedStatistic !== undefined)
    throw alarmInvalidCombination(
      'The parameters Statistic and ExtendedStatistic are mutually exclusive and you have specified both.',
    );
  if (input.Statistic === undefined && input.ExtendedStatistic === undefined)
    throw alarmInvalidCombination('One of the parameters Statistic or ExtendedStatistic must be specified.');
  if (input.Statistic !== undefined && !BASIC.includes(input.Statistic))
    throw alarmInvalidParameter(input.Statistic, 'Statistic');
  if (input.ExtendedStatistic !== undefined) {
    const s = parseStatistic(input.ExtendedStatistic);
    if (!s || s.type === 'basic') throw alarmInvalidParameter(input.ExtendedStatistic, 'ExtendedStatistic');
  }
  if (input.Period === undefined) throw alarmMissing('Period');
  if (!validAlarmPeriod(input.Period)) throw alarmValidation('Period must be 10, 30 or a multiple of 60.');
  if (input.Unit !== undefined && !UNITS.has(input.Unit)) throw alarmInvalidParameter(input.Unit, 'Unit');
  return {
    metric: { namespace: input.Namespace, metricName: input.MetricName, dimensions },
    ...(input.Statistic !== undefined ? { statistic: input.Statistic } : {}),
    ...(input.ExtendedStatistic !== undefined ? { extendedStatistic: input.ExtendedStatistic } : {}),
    period: input.Period,
    ...(input.Unit !== undefined ? { unit: input.Unit } : {}),
  };
}

const SINGLE_MEMBERS = [
  'MetricName',
  'Namespace',
  'Statistic',
  'ExtendedStatistic',
  'Dimensions',
  'Period',
  'Unit',
] as const;

function metricMath(
  input: PutMetricAlarmInput,
): Pick<MetricConfig, 'metrics' | 'period' | 'thresholdMetricId'> {
  for (const member of SINGLE_MEMBERS)
    if (input[member] !== undefined)
      throw alarmInvalidCombination(
        `The parameters Metrics and ${member} are mutually exclusive and you have specified both.`,
      );
  const queries = input.Metrics ?? [];
  if (queries.length === 0) throw alarmMissing('Metrics');
  if (queries.length > MAX_ALARM_METRICS)
    throw alarmInvalidValue(`The collection Metrics must not have a size greater than ${MAX_ALARM_METRICS}.`);
  const ids = new Set<string>();
  const periods: number[] = [];
  const metrics: MetricDataQuery[] = queries.map((q, i) => {
    const at = `Metrics.member.${i + 1}`;
    if (q.Id === undefined) throw alarmMissing(`${at}.Id`);
    if (!ID.test(q.Id) || q.Id.length > 255) throw alarmInvalidParameter(q.Id, `${at}.Id`);
    if (ids.has(q.Id)) throw alarmValidation(`The value ${q.Id} for parameter ${at}.Id is not unique.`);
    ids.add(q.Id);
    if (q.MetricStat && q.Expression !== undefined)
      throw alarmInvalidCombination(
        `The parameters ${at}.MetricStat and ${at}.Expression are mutually exclusive and you have specified both.`,
      );
    if (!q.MetricStat && q.Expression === undefined) throw alarmMissing(`${at}.MetricStat`);
    if (q.MetricStat) {
      const ms = q.MetricStat;
      if (!ms.Metric?.MetricName) throw alarmMissing(`${at}.MetricStat.Metric.MetricName`);
      if (!ms.Metric.Namespace) throw alarmMissing(`${at}.MetricStat.Metric.Namespace`);
      checkDimensions(ms.Metric.Dimensions, `${at}.MetricStat.Metric.Dimensions`);
      if (!ms.Stat || !parseStatistic(ms.Stat)) throw alarmInvalidParameter(ms.Stat, `${at}.MetricStat.Stat`);
      if (ms.Period === undefined) throw alarmMissing(`${at}.MetricStat.Period`);
      if (!validAlarmPeriod(ms.Period)) throw alarmValidation('Period must be 10, 30 or a multiple of 60.');
      if (ms.Unit !== undefined && !UNITS.has(ms.Unit))
        throw alarmInvalidParameter(ms.Unit, `${at}.MetricStat.Unit`);
      periods.push(ms.Period);
    } else if ((q.Expression ?? '').length < 1 || (q.Expression ?? '').length > 2048)
      throw alarmInvalidParameter(q.Expression, `${at}.Expression`);
    if (q.Period !== undefined) {
      if (!validAlarmPeriod(q.Period)) throw alarmValidation('Period must be 10, 30 or a multiple of 60.');
      periods.push(q.Period);
    }
    if (q.AccountId !== undefined)
      throw alarmValidation(`${at}.AccountId: cross-account alarms are not supported.`);
    return q;
  });
  if (metrics.filter((q) => q.ReturnData !== false).length !== 1)
    throw alarmValidation('Exactly one element of the metrics list should return data.');
  if (periods.length === 0)
    throw alarmValidation('Metrics list must contain at least one metric or expression with a Period.');
  return { metrics, period: Math.min(...periods) };
}

function checkDimensions(
  dims: readonly { Name?: string; Value?: string }[] | undefined,
  path: string,
): { name: string; value: string }[] {
  const list = dims ?? [];
  if (list.length > 30)
    throw alarmInvalidValue(`The collection ${path} must not have a size greater than 30.`);
  const seen = new Set<string>();
  return list.map((d, i) => {
    const at = `${path}.member.${i + 1}`;
    if (d.Name === undefined) throw alarmMissing(`${at}.Name`);
    if (d.Value === undefined) throw alarmMissing(`${at}.Value`);
    if (d.Name.length < 1 || d.Name.length > 255 || d.Name.startsWith(':'))
      throw alarmInvalidParameter(d.Name, `${at}.Name`);
    if (d.Value.length < 1 || d.Value.length > 1024) throw alarmInvalidParameter(d.Value, `${at}.Value`);
    if (seen.has(d.Name))
      throw alarmInvalidCombination(
        `No metric may have duplicate dimension names: ${path} repeats ${d.Name}.`,
      );
    seen.add(d.Name);
    return { name: d.Name, value: d.Value };
  });
}
