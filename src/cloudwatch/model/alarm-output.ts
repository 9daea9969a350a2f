/**
 * Alarm records as CloudWatch answers them (DescribeAlarms' MetricAlarm and CompositeAlarm, with
 * timestamps in epoch seconds as handlers answer them) and as its history data describes them.
 */
import type { CompositeAlarm, MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { AlarmRecord, CompositeAlarmRecord, MetricAlarmRecord } from './alarm-records.ts';

/** Handlers answer epoch seconds; each protocol writes them in its own form. */
const seconds = (ms: number) => (ms / 1000) as unknown as Date;

function shared(a: AlarmRecord) {
  return {
    AlarmName: a.name,
    AlarmArn: a.arn,
    ...(a.description !== undefined ? { AlarmDescription: a.description } : {}),
    AlarmConfigurationUpdatedTimestamp: seconds(a.configurationUpdatedAt),
    ActionsEnabled: a.actionsEnabled,
    OKActions: a.okActions,
    AlarmActions: a.alarmActions,
    InsufficientDataActions: a.insufficientDataActions,
    StateValue: a.state.value,
    StateReason: a.state.reason,
    ...(a.state.reasonData !== undefined ? { StateReasonData: a.state.reasonData } : {}),
    StateUpdatedTimestamp: seconds(a.state.updatedAt),
    StateTransitionedTimestamp: seconds(a.state.transitionedAt),
  };
}

export function metricAlarmOutput(a: MetricAlarmRecord): MetricAlarm {
  return {
    ...shared(a),
    ...(a.metric
      ? {
          MetricName: a.metric.metricName,
          Namespace: a.metric.namespace,
          Dimensions: a.metric.dimensions.map((d) => ({ Name: d.name, Value: d.value })),
        }
      : {}),
    ...(a.statistic !== undefined ? { Statistic: a.statistic as MetricAlarm['Statistic'] } : {}),
    ...(a.extendedStatistic !== undefined ? { ExtendedStatistic: a.extendedStatistic } : {}),
    ...(a.metric && a.period !== undefined ? { Period: a.period } : {}),
    ...(a.unit !== undefined ? { Unit: a.unit as MetricAlarm['Unit'] } : {}),
    EvaluationPeriods: a.evaluationPeriods,
    ...(a.datapointsToAlarm !== undefined ? { DatapointsToAlarm: a.datapointsToAlarm } : {}),
    ...(a.threshold !== undefined ? { Threshold: a.threshold } : {}),
    ComparisonOperator: a.comparisonOperator,
    ...(a.treatMissingData !== undefined ? { TreatMissingData: a.treatMissingData } : {}),
    ...(a.evaluateLowSampleCountPercentile !== undefined
      ? { EvaluateLowSampleCountPercentile: a.evaluateLowSampleCountPercentile }
      : {}),
    ...(a.metrics ? { Metrics: a.metrics } : {}),
    ...(a.thresholdMetricId !== undefined ? { ThresholdMetricId: a.thresholdMetricId } : {}),
  };
}

export function compositeAlarmOutput(a: CompositeAlarmRecord, suppressedBy?: 'Alarm'): CompositeAlarm {
  return {
    ...shared(a),
    AlarmRule: a.alarmRule,
    ...(a.actionsSuppressor !== undefined
      ? {
          ActionsSuppressor: a.actionsSuppressor,
          ActionsSuppressorWaitPeriod: a.actionsSuppressorWaitPeriod,
          ActionsSuppressorExtensionPeriod: a.actionsSuppressorExtensionPeriod,
        }
      : {}),
    ...(suppressedBy
      ? { ActionsSuppressedBy: suppressedBy, ActionsSuppressedReason: 'Alarm is in ALARM state' }
      : {}),
  };
}

/** The alarm's configuration as history data and events describe it (camelCase, no state). */
export function alarmConfigJson(a: AlarmRecord): Record<string, unknown> {
  const base = {
    alarmName: a.name,
    alarmArn: a.arn,
    ...(a.description !== undefined ? { alarmDescription: a.description } : {}),
    actionsEnabled: a.actionsEnabled,
    okactions: a.okActions,
    alarmActions: a.alarmActions,
    insufficientDataActions: a.insufficientDataActions,
    timestamp: new Date(a.configurationUpdatedAt).toISOString().replace('Z', '+0000'),
  };
  if (a.type === 'CompositeAlarm') return { ...base, alarmRule: a.alarmRule };
  return {
    ...base,
    ...(a.metric
      ? {
          namespace: a.metric.namespace,
          metricName: a.metric.metricName,
          dimensions: a.metric.dimensions.map((d) => ({ name: d.name, value: d.value })),
          period: a.period,
        }
      : {}),
    ...(a.statistic !== undefined ? { statistic: a.statistic.toUpperCase() } : {}),
    ...(a.extendedStatistic !== undefined ? { extendedStatistic: a.extendedStatistic } : {}),
    ...(a.unit !== undefined ? { unit: a.unit } : {}),
    ...(a.metrics ? { metrics: a.metrics } : {}),
    evaluationPeriods: a.evaluationPeriods,
    ...(a.datapointsToAlarm !== undefined ? { datapointsToAlarm: a.datapointsToAlarm } : {}),
    ...(a.threshold !== undefined ? { threshold: a.threshold } : {}),
    comparisonOperator: a.comparisonOperator,
    treatMissingData: a.treatMissingData ?? 'missing',
  };
}
