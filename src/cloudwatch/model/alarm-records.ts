/**
 * CloudWatch alarms as stored (Kind.CloudWatchAlarm, keyed by name; metric and composite alarms
 * share one name space) and what the alarm functions need of their caller.
 */
import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { Partition } from '../../core/arn.ts';
import type { Clock, Rng } from '../../core/clock.ts';
import type { MetricId } from './metric-data.ts';

export const AlarmStateValue = {
  Ok: 'OK',
  Alarm: 'ALARM',
  InsufficientData: 'INSUFFICIENT_DATA',
} as const;
export type AlarmStateValue = (typeof AlarmStateValue)[keyof typeof AlarmStateValue];

export const ALARM_STATES: readonly AlarmStateValue[] = Object.values(AlarmStateValue);

export const AlarmType = { Metric: 'MetricAlarm', Composite: 'CompositeAlarm' } as const;
export type AlarmType = (typeof AlarmType)[keyof typeof AlarmType];

export const TreatMissingData = {
  Missing: 'missing',
  Ignore: 'ignore',
  Breaching: 'breaching',
  NotBreaching: 'notBreaching',
} as const;
export type TreatMissingData = (typeof TreatMissingData)[keyof typeof TreatMissingData];

/** The comparisons against a fixed threshold; the other three compare with an anomaly detection band. */
export const THRESHOLD_OPERATORS = [
  'GreaterThanOrEqualToThreshold',
  'GreaterThanThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
] as const;
export const BAND_OPERATORS = [
  'LessThanLowerOrGreaterThanUpperThreshold',
  'LessThanLowerThreshold',
  'GreaterThanUpperThreshold',
] as const;
export type ThresholdOperator = (typeof THRESHOLD_OPERATORS)[number];

/** The alarm's state: `updatedAt` moves on every write of the state, `transitionedAt` only when the value changes. */
export interface AlarmState {
  value: AlarmStateValue;
  reason: string;
  /** JSON, as CloudWatch writes it (StateReasonData). */
  reasonData?: string;
  updatedAt: number;
  transitionedAt: number;
}

/** An action the controller still has to invoke for a state change (persisted with the change). */
export interface PendingAction {
  id: string;
  arn: string;
  newState: AlarmStateValue;
  reason: string;
  /** When the state changed (epoch ms). */
  at: number;
}

export interface AlarmTag {
  Key: string;
  Value: string;
}

interface AlarmCommon {
  name: string;
  arn: string;
  description?: string;
  actionsEnabled: boolean;
  okActions: string[];
  alarmActions: string[];
  insufficientDataActions: string[];
  configurationUpdatedAt: number;
  state: AlarmState;
  tags: AlarmTag[];
  /** Actions of state changes not invoked yet, oldest first (the evaluation controller drains them). */
  pendingActions: PendingAction[];
}

export interface MetricAlarmRecord extends AlarmCommon {
  type: 'MetricAlarm';
  /** A single-metric alarm: the metric, with Statistic or ExtendedStatistic, Period and Unit. */
  metric?: MetricId;
  statistic?: string;
  extendedStatistic?: string;
  period?: number;
  unit?: string;
  /** A metric math alarm: the queries, exactly one with ReturnData (as the request gave them). */
  metrics?: MetricDataQuery[];
  evaluationPeriods: number;
  datapointsToAlarm?: number;
  threshold?: number;
  thresholdMetricId?: string;
  comparisonOperator: ThresholdOperator;
  treatMissingData?: TreatMissingData;
  evaluateLowSampleCountPercentile?: 'evaluate' | 'ignore';
}

export interface CompositeAlarmRecord extends AlarmCommon {
  type: 'CompositeAlarm';
  alarmRule: string;
  actionsSuppressor?: string;
  actionsSuppressorWaitPeriod?: number;
  actionsSuppressorExtensionPeriod?: number;
}

export type AlarmRecord = MetricAlarmRecord | CompositeAlarmRecord;

/** What alarm functions need besides the transaction: the region, time and ids (events, history keys). */
export interface AlarmContext {
  partition: Partition;
  clock: Clock;
  rng: Rng;
}

export const alarmArn = (p: Partition, name: string): string =>
  `arn:aws:cloudwatch:${p.region}:${p.accountId}:alarm:${name}`;

/** The alarm name of an alarm ARN of this partition, or undefined. */
export function alarmNameOfArn(p: Partition, arn: string): string | undefined {
  const prefix = alarmArn(p, '');
  return arn.startsWith(prefix) && arn.length > prefix.length ? arn.slice(prefix.length) : undefined;
}

/** The actions for a state. */
export function actionsFor(alarm: AlarmRecord, state: AlarmStateValue): string[] {
  if (state === 'ALARM') return alarm.alarmActions;
  if (state === 'OK') return alarm.okActions;
  return alarm.insufficientDataActions;
}
