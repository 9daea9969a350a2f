/**
 * One evaluation of a metric alarm, as CloudWatch's "evaluating an alarm" rules describe it. Pure:
 * the caller reads the datapoints of the evaluation range (alarm-evaluation controller).
 *
 * The evaluation range is the N + 2 complete periods before `now` (N = EvaluationPeriods; 5 for
 * N = 3, as in CloudWatch's examples). With M = DatapointsToAlarm (default N):
 * - at least N real datapoints: the N most recent are evaluated; treat-missing-data is not used;
 * - none: missing -> INSUFFICIENT_DATA, ignore -> state kept, breaching -> ALARM, notBreaching -> OK;
 * - some (r < N): every real one is evaluated with N - r missing ones filled in. breaching and
 *   notBreaching fill as they say; missing fills as breaching (CloudWatch's "premature" ALARM:
 *   `- - X - -` is ALARM); ignore gives the state both fillings agree on, else keeps the state.
 *
 * CloudWatch's table (N = M = 3; X breaching, 0 not, - missing; oldest first) and what this gives:
 *
 *   data        missing            ignore        breaching  notBreaching
 *   0 - X - X   OK                 OK            OK         OK
 *   0 - - - -   OK                 OK            OK         OK
 *   - - - - -   INSUFFICIENT_DATA  (kept)        ALARM      OK
 *   0 X X - X   ALARM              ALARM         ALARM      ALARM
 *   - - X - -   ALARM              (kept)        ALARM      OK
 */
import { dbl, javaDouble, javaJson, jsonDate, reasonDate } from './alarm-format.ts';
import type { AlarmStateValue, MetricAlarmRecord, ThresholdOperator } from './alarm-records.ts';
import type { StateChange } from './alarm-state.ts';
import { parseStatistic } from './statistics.ts';

export interface AlarmDatapoint {
  /** Start of the period (epoch ms). */
  timestamp: number;
  value: number;
  sampleCount?: number;
}

/** Periods read beyond EvaluationPeriods, so a few missing datapoints do not count as missing. */
export const EXTRA_PERIODS = 2;

/** The periods to read: [start, end), `count` periods of `period` seconds ending at the last complete one. */
export function evaluationRange(
  alarm: MetricAlarmRecord,
  now: number,
): { start: number; end: number; count: number } {
  const p = (alarm.period ?? 60) * 1000;
  const end = Math.floor(now / p) * p;
  const count = alarm.evaluationPeriods + EXTRA_PERIODS;
  return { start: end - count * p, end, count };
}

const VERBS: Record<ThresholdOperator, string> = {
  GreaterThanThreshold: 'greater than',
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

export function breaches(op: ThresholdOperator, value: number, threshold: number): boolean {
  switch (op) {
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const wasWere = (n: number) => (n === 1 ? 'was' : 'were');

/** The state the datapoints give, or undefined when the alarm keeps its state (ignore, low samples). */
export function evaluateMetricAlarm(
  alarm: MetricAlarmRecord,
  datapoints: readonly AlarmDatapoint[],
  now: number,
): StateChange | undefined {
  const range = evaluationRange(alarm, now);
  const p = (alarm.period ?? 60) * 1000;
  const n = alarm.evaluationPeriods;
  const m = alarm.datapointsToAlarm ?? n;
  const threshold = alarm.threshold ?? 0;
  const op = alarm.comparisonOperator;
  const treat = alarm.treatMissingData ?? 'missing';
  const real = datapoints
    .filter((d) => d.timestamp >= range.start && d.timestamp < range.end && Number.isFinite(d.value))
    .sort((a, b) => b.timestamp - a.timestamp);
  if (lowSamples(alarm, real.slice(0, n))) return undefined;
  const from = alarm.state.value;
  const data = (evaluated: readonly AlarmDatapoint[], startDate?: number) =>
    reasonData(alarm, now, evaluated, startDate);

  if (real.length === 0) {
    const to: AlarmStateValue | undefined =
      treat === 'missing'
        ? 'INSUFFICIENT_DATA'
        : treat === 'breaching'
          ? 'ALARM'
          : treat === 'notBreaching'
            ? 'OK'
            : undefined;
    if (to === undefined) return undefined;
    if (to === 'INSUFFICIENT_DATA')
      return {
        value: to,
        reason: `Insufficient Data: ${plural(range.count, 'datapoint')} ${wasWere(range.count)} unknown.`,
        reasonData: data([]),
      };
    return {
      value: to,
      reason: `Threshold Crossed: no datapoints were received for ${plural(n, 'period')} and ${plural(n, 'missing datapoint')} ${wasWere(n)} treated as [${treat === 'breaching' ? 'Breaching' : 'NonBreaching'}].`,
      reasonData: data([], range.end - n * p),
    };
  }

  const evaluated = real.slice(0, n);
  const missing = n - evaluated.length;
  const breaching = evaluated.filter((d) => breaches(op, d.value, threshold));
  const withBreachingFill = breaching.length + missing >= m;
  const withoutFill = breaching.length >= m;
  let alarmed: boolean;
  let fill: 'Breaching' | 'NonBreaching' | undefined;
  if (missing === 0) alarmed = withoutFill;
  else if (treat === 'breaching' || treat === 'missing') {
    alarmed = withBreachingFill;
    fill = treat === 'breaching' ? 'Breaching' : undefined;
  } else if (treat === 'notBreaching') {
    alarmed = withoutFill;
    fill = 'NonBreaching';
  } else {
    if (withBreachingFill !== withoutFill) return undefined;
    alarmed = withoutFill;
  }
  const to: AlarmStateValue = alarmed ? 'ALARM' : 'OK';
  const shown = alarmed ? breaching : evaluated.filter((d) => !breaches(op, d.value, threshold));
  const needed = alarmed ? m : n - m + 1;
  const list = shown.map((d) => `${javaDouble(d.value)} (${reasonDate(d.timestamp)})`).join(', ');
  let reason = `Threshold Crossed: ${shown.length} out of the last ${plural(n, 'datapoint')} [${list}] ${wasWere(shown.length)} ${alarmed ? '' : 'not '}${VERBS[op]} the threshold (${javaDouble(threshold)}) (minimum ${plural(needed, 'datapoint')} for ${from} -> ${to} transition).`;
  if (missing > 0 && fill)
    reason += ` ${plural(missing, 'missing datapoint')} ${wasWere(missing)} treated as [${fill}].`;
  return { value: to, reason, reasonData: data(evaluated) };
}

/**
 * EvaluateLowSampleCountPercentile=ignore: a percentile over fewer than 10 / (1 - p) samples
 * (1,000 for p99) is not significant, and the alarm keeps its state.
 */
function lowSamples(alarm: MetricAlarmRecord, evaluated: readonly AlarmDatapoint[]): boolean {
  if (alarm.evaluateLowSampleCountPercentile !== 'ignore' || !alarm.extendedStatistic) return false;
  const stat = parseStatistic(alarm.extendedStatistic);
  if (stat?.type !== 'percentile' || stat.p >= 100) return false;
  const needed = 10 / (1 - stat.p / 100);
  return evaluated.some((d) => (d.sampleCount ?? 0) < needed);
}

/** StateReasonData as CloudWatch writes it for a metric alarm. */
function reasonData(
  alarm: MetricAlarmRecord,
  now: number,
  evaluated: readonly AlarmDatapoint[],
  startDate?: number,
): string {
  const oldest = evaluated.length > 0 ? evaluated[evaluated.length - 1].timestamp : startDate;
  return javaJson({
    version: '1.0',
    queryDate: jsonDate(now),
    ...(oldest !== undefined ? { startDate: jsonDate(oldest) } : {}),
    ...(alarm.unit !== undefined ? { unit: alarm.unit } : {}),
    ...(alarm.statistic !== undefined ? { statistic: alarm.statistic } : {}),
    ...(alarm.extendedStatistic !== undefined ? { extendedStatistic: alarm.extendedStatistic } : {}),
    period: alarm.period,
    recentDatapoints: [...evaluated].reverse().map((d) => dbl(d.value)),
    threshold: dbl(alarm.threshold ?? 0),
    evaluatedDatapoints: evaluated.map((d) => ({
      timestamp: jsonDate(d.timestamp),
      ...(d.sampleCount !== undefined ? { sampleCount: dbl(d.sampleCount) } : {}),
      value: dbl(d.value),
    })),
  });
}
