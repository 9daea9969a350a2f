/**
 * The CloudWatch alarms a target tracking policy creates and owns, as AWS creates them:
 *
 * | alarm                                              | metric          | breach              | datapoints |
 * | -------------------------------------------------- | --------------- | ------------------- | ---------- |
 * | `TargetTracking-service/C/S-AlarmHigh-<uuid>`      | the policy's    | > TargetValue       | 3 of 3     |
 * | `TargetTracking-service/C/S-AlarmLow-<uuid>`       | the policy's    | < 90% of the target | 15 of 15   |
 *
 * one-minute periods (the timing's period when shortened for local use), the policy's ARN as the
 * alarm action, no low alarm with DisableScaleIn. The predefined metrics: AWS/ECS CPUUtilization or
 * MemoryUtilization (Average) by ClusterName and ServiceName; AWS/ApplicationELB
 * RequestCountPerTarget (Sum) by TargetGroup, taken from the ResourceLabel. Deleting the policy (or
 * deregistering its target) deletes them.
 */
import type { MetricDataQuery, PutMetricAlarmInput } from '@aws-sdk/client-cloudwatch';
import { deleteAlarms, putAlarm } from '../../cloudwatch/model/alarms.ts';
import { alarmArn } from '../../cloudwatch/model/alarm-records.ts';
import type { Tx } from '../../store/store.ts';
import { type AutoScalingContext, newUuid, type ScalingPolicyRecord } from './records.ts';
import { HIGH_DATAPOINTS, LOW_ALARM_FRACTION, LOW_DATAPOINTS } from './target-tracking.ts';

type Config = Record<string, unknown> & {
  TargetValue?: number;
  DisableScaleIn?: boolean;
  PredefinedMetricSpecification?: { PredefinedMetricType?: string; ResourceLabel?: string };
  CustomizedMetricSpecification?: {
    MetricName?: string;
    Namespace?: string;
    Dimensions?: { Name?: string; Value?: string }[];
    Statistic?: string;
    Unit?: string;
    Metrics?: {
      Id?: string;
      Expression?: string;
      Label?: string;
      ReturnData?: boolean;
      MetricStat?: {
        Metric?: {
          MetricName?: string;
          Namespace?: string;
          Dimensions?: { Name?: string; Value?: string }[];
        };
        Stat?: string;
        Unit?: string;
      };
    }[];
  };
};

/** CloudWatch alarm periods are 10, 30 or a multiple of 60 seconds. */
export function alarmPeriod(seconds: number): number {
  if (seconds <= 10) return 10;
  if (seconds <= 30) return 30;
  return Math.max(60, Math.round(seconds / 60) * 60);
}

/** What the alarm watches, as PutMetricAlarm members (single metric or metric math). */
function metricMembers(
  config: Config,
  cluster: string,
  service: string,
  period: number,
): Pick<
  PutMetricAlarmInput,
  'MetricName' | 'Namespace' | 'Dimensions' | 'Statistic' | 'Unit' | 'Period' | 'Metrics'
> {
  const predefined = config.PredefinedMetricSpecification;
  if (predefined) {
    const type = predefined.PredefinedMetricType;
    if (type === 'ALBRequestCountPerTarget') {
      const label = predefined.ResourceLabel ?? '';
      const targetGroup = label.slice(label.indexOf('targetgroup/'));
      return {
        Namespace: 'AWS/ApplicationELB',
        MetricName: 'RequestCountPerTarget',
        Dimensions: [{ Name: 'TargetGroup', Value: targetGroup }],
        Statistic: 'Sum',
        Period: period,
      };
    }
    return {
      Namespace: 'AWS/ECS',
      MetricName: type === 'ECSServiceAverageMemoryUtilization' ? 'MemoryUtilization' : 'CPUUtilization',
      Dimensions: [
        { Name: 'ClusterName', Value: cluster },
        { Name: 'ServiceName', Value: service },
      ],
      Statistic: 'Average',
      Period: period,
    };
  }
  const custom = config.CustomizedMetricSpecification ?? {};
  if (custom.Metrics) {
    const many = custom.Metrics.length > 1;
    const Metrics: MetricDataQuery[] = custom.Metrics.map((q) => ({
      Id: q.Id as string,
      ...(q.Label !== undefined ? { Label: q.Label } : {}),
      ReturnData: many ? q.ReturnData === true : q.ReturnData !== false,
      ...(q.Expression !== undefined ? { Expression: q.Expression, Period: period } : {}),
      ...(q.MetricStat
        ? {
            MetricStat: {
              Metric: {
                Namespace: q.MetricStat.Metric?.Namespace,
                MetricName: q.MetricStat.Metric?.MetricName,
                Dimensions: (q.MetricStat.Metric?.Dimensions ?? []).map((d) => ({
                  Name: d.Name,
                  Value: d.Value,
                })),
              },
              Stat: q.MetricStat.Stat as string,
              Period: period,
              ...(q.MetricStat.Unit !== undefined ? { Unit: q.MetricStat.Unit as never } : {}),
            },
          }
        : {}),
    }));
    return { Metrics };
  }
  return {
    Namespace: custom.Namespace,
    MetricName: custom.MetricName,
    Dimensions: (custom.Dimensions ?? []).map((d) => ({ Name: d.Name, Value: d.Value })),
    Statistic: custom.Statistic as never,
    ...(custom.Unit !== undefined ? { Unit: custom.Unit as never } : {}),
    Period: period,
  };
}

/** The PutMetricAlarm inputs of a target tracking policy: high, then low unless DisableScaleIn. */
export function targetTrackingAlarmInputs(
  ctx: Pick<AutoScalingContext, 'rng' | 'timing'>,
  policy: Pick<ScalingPolicyRecord, 'arn' | 'resourceId' | 'targetTracking'>,
  cluster: string,
  service: string,
): PutMetricAlarmInput[] {
  const config = (policy.targetTracking ?? {}) as Config;
  const target = Number(config.TargetValue);
  const metric = metricMembers(config, cluster, service, alarmPeriod(ctx.timing.periodSeconds));
  const description = `DO NOT EDIT OR DELETE. For TargetTrackingScaling policy ${policy.arn}.`;
  const high: PutMetricAlarmInput = {
    AlarmName: `TargetTracking-${policy.resourceId}-AlarmHigh-${newUuid(ctx.rng)}`,
    AlarmDescription: description,
    ...metric,
    EvaluationPeriods: HIGH_DATAPOINTS,
    DatapointsToAlarm: HIGH_DATAPOINTS,
    Threshold: target,
    ComparisonOperator: 'GreaterThanThreshold',
    AlarmActions: [policy.arn],
  };
  if (config.DisableScaleIn === true) return [high];
  const low: PutMetricAlarmInput = {
    AlarmName: `TargetTracking-${policy.resourceId}-AlarmLow-${newUuid(ctx.rng)}`,
    AlarmDescription: description,
    ...metric,
    EvaluationPeriods: LOW_DATAPOINTS,
    DatapointsToAlarm: LOW_DATAPOINTS,
    Threshold: Number((target * LOW_ALARM_FRACTION).toPrecision(12)),
    ComparisonOperator: 'LessThanThreshold',
    AlarmActions: [policy.arn],
  };
  return [high, low];
}

/** Creates the policy's alarms (in the caller's transaction); returns their names and ARNs. */
export async function createPolicyAlarms(
  tx: Tx,
  ctx: AutoScalingContext,
  policy: Pick<ScalingPolicyRecord, 'arn' | 'resourceId' | 'targetTracking'>,
  cluster: string,
  service: string,
): Promise<{ name: string; arn: string }[]> {
  const out: { name: string; arn: string }[] = [];
  for (const input of targetTrackingAlarmInputs(ctx, policy, cluster, service)) {
    const alarm = await putAlarm(tx, ctx, input);
    out.push({ name: alarm.name, arn: alarmArn(ctx.partition, alarm.name) });
  }
  return out;
}

/** Deletes the alarms the policy owns (a step policy owns none). */
export async function deletePolicyAlarms(
  tx: Tx,
  ctx: AutoScalingContext,
  policy: Pick<ScalingPolicyRecord, 'alarms'>,
): Promise<void> {
  if (policy.alarms.length > 0)
    await deleteAlarms(
      tx,
      ctx,
      policy.alarms.map((a) => a.name),
    );
}
