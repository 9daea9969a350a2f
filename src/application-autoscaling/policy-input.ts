/**
 * PutScalingPolicy's configurations checked as Application Auto Scaling checks them for ECS:
 * step adjustments that neither overlap nor leave gaps, MinAdjustmentMagnitude with
 * PercentChangeInCapacity only, ECS's predefined metrics (ALBRequestCountPerTarget with its
 * ResourceLabel), and customized metrics given either as one metric or as metric math queries
 * with exactly one result.
 */
import type {
  StepScalingPolicyConfiguration,
  TargetTrackingScalingPolicyConfiguration,
} from '@aws-sdk/client-application-auto-scaling';
import type { Wire } from '../core/wire.ts';
import type { StepAdjustmentRecord, StepConfig } from './model/records.ts';
import { validation } from './model/targets.ts';

const ADJUSTMENT_TYPES = ['ChangeInCapacity', 'PercentChangeInCapacity', 'ExactCapacity'] as const;
const AGGREGATIONS = ['Average', 'Minimum', 'Maximum'] as const;
const ECS_METRICS = [
  'ECSServiceAverageCPUUtilization',
  'ECSServiceAverageMemoryUtilization',
  'ALBRequestCountPerTarget',
] as const;
const STATISTICS = ['Average', 'Minimum', 'Maximum', 'SampleCount', 'Sum'] as const;
/** `app/<load-balancer-name>/<id>/targetgroup/<target-group-name>/<id>`. */
const RESOURCE_LABEL =
  /^app\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{1,16}\/targetgroup\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{1,16}$/;
const QUERY_ID = /^[a-z][a-zA-Z0-9_]{0,254}$/;

function checkCooldown(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 1_000_000_000) {
    throw validation(`${name} must be an integer from 0 to 1000000000.`);
  }
  return value;
}

export function checkStepConfig(c: Wire<StepScalingPolicyConfiguration>): StepConfig {
  const type = c.AdjustmentType;
  if (type === undefined) throw validation('AdjustmentType is required for a step scaling policy.');
  if (!(ADJUSTMENT_TYPES as readonly string[]).includes(type)) {
    throw validation(`Invalid AdjustmentType ${type}: valid values are ${ADJUSTMENT_TYPES.join(', ')}.`);
  }
  const aggregation = c.MetricAggregationType;
  if (aggregation !== undefined && !(AGGREGATIONS as readonly string[]).includes(aggregation)) {
    throw validation(
      `Invalid MetricAggregationType ${aggregation}: valid values are ${AGGREGATIONS.join(', ')}.`,
    );
  }
  const magnitude = c.MinAdjustmentMagnitude;
  if (magnitude !== undefined) {
    if (type !== 'PercentChangeInCapacity') {
      throw validation(
        'MinAdjustmentMagnitude is only supported with an AdjustmentType of PercentChangeInCapacity.',
      );
    }
    if (!Number.isInteger(magnitude) || magnitude < 1) {
      throw validation('MinAdjustmentMagnitude must be an integer greater than or equal to 1.');
    }
  }
  const steps = checkSteps(c.StepAdjustments, type);
  const cooldown = checkCooldown('Cooldown', c.Cooldown);
  return {
    adjustmentType: type as StepConfig['adjustmentType'],
    steps,
    ...(magnitude !== undefined ? { minAdjustmentMagnitude: magnitude } : {}),
    ...(cooldown !== undefined ? { cooldown } : {}),
    ...(aggregation !== undefined
      ? { metricAggregationType: aggregation as StepConfig['metricAggregationType'] }
      : {}),
  };
}

/**
 * Sorted by lower bound, each step must start where the previous one ended: one step may lack a
 * lower bound (it comes first) and one an upper bound (it comes last).
 */
function checkSteps(
  given: Wire<StepScalingPolicyConfiguration>['StepAdjustments'],
  type: string,
): StepAdjustmentRecord[] {
  if (!given || given.length === 0)
    throw validation('StepAdjustments must contain at least one step adjustment.');
  if (given.length > 20) throw validation('A step scaling policy can have at most 20 step adjustments.');
  const steps: StepAdjustmentRecord[] = given.map((s) => {
    if (!Number.isInteger(s.ScalingAdjustment)) throw validation('ScalingAdjustment must be an integer.');
    if (type === 'ExactCapacity' && (s.ScalingAdjustment as number) < 0) {
      throw validation('ScalingAdjustment cannot be negative with an AdjustmentType of ExactCapacity.');
    }
    const lower = s.MetricIntervalLowerBound;
    const upper = s.MetricIntervalUpperBound;
    if (lower === undefined && upper === undefined) {
      throw validation('A step adjustment must have a lower bound, an upper bound, or both.');
    }
    if (lower !== undefined && upper !== undefined && upper <= lower) {
      throw validation('The upper bound of a step adjustment must be greater than its lower bound.');
    }
    return {
      ...(lower !== undefined ? { lower } : {}),
      ...(upper !== undefined ? { upper } : {}),
      adjustment: s.ScalingAdjustment as number,
    };
  });
  const sorted = [...steps].sort(
    (a, b) => (a.lower ?? Number.NEGATIVE_INFINITY) - (b.lower ?? Number.NEGATIVE_INFINITY),
  );
  if (sorted.filter((s) => s.lower === undefined).length > 1) {
    throw validation('Only one step adjustment can have an unspecified lower bound.');
  }
  if (sorted.filter((s) => s.upper === undefined).length > 1) {
    throw validation('Only one step adjustment can have an unspecified upper bound.');
  }
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1] as StepAdjustmentRecord;
    const cur = sorted[i] as StepAdjustmentRecord;
    if (prev.upper === undefined || cur.lower === undefined || prev.upper > cur.lower) {
      throw validation('Step adjustments must not overlap.');
    }
    if (prev.upper < cur.lower) throw validation('Step adjustments must not have gaps between them.');
  }
  return sorted;
}

/** The configuration as stored and described: the given members, checked. */
export function checkTargetTracking(
  c: Wire<TargetTrackingScalingPolicyConfiguration>,
): Wire<TargetTrackingScalingPolicyConfiguration> {
  const target = c.TargetValue;
  if (typeof target !== 'number' || !(target > 8.51592e-109) || target > 6.17421e108) {
    throw validation('TargetValue must be between 8.515920e-109 and 6.174210e+108.');
  }
  const predefined = c.PredefinedMetricSpecification;
  const customized = c.CustomizedMetricSpecification;
  if ((predefined === undefined) === (customized === undefined)) {
    throw validation(
      'You must specify exactly one of PredefinedMetricSpecification and CustomizedMetricSpecification.',
    );
  }
  if (predefined) {
    const type = predefined.PredefinedMetricType as string;
    if (!(ECS_METRICS as readonly string[]).includes(type)) {
      throw validation(`Unsupported metric type ${type} for service namespace ecs.`);
    }
    const label = predefined.ResourceLabel;
    if (type === 'ALBRequestCountPerTarget') {
      if (label === undefined || !RESOURCE_LABEL.test(label)) {
        throw validation(
          'ResourceLabel must be app/<load-balancer-name>/<load-balancer-id>/targetgroup/<target-group-name>/<target-group-id> for ALBRequestCountPerTarget.',
        );
      }
    } else if (label !== undefined) {
      throw validation(`ResourceLabel is only supported with the ALBRequestCountPerTarget metric type.`);
    }
  }
  if (customized) checkCustomized(customized);
  checkCooldown('ScaleOutCooldown', c.ScaleOutCooldown);
  checkCooldown('ScaleInCooldown', c.ScaleInCooldown);
  return c;
}

function checkCustomized(
  m: NonNullable<Wire<TargetTrackingScalingPolicyConfiguration>['CustomizedMetricSpecification']>,
): void {
  const single = m.MetricName !== undefined || m.Namespace !== undefined || m.Statistic !== undefined;
  if (m.Metrics !== undefined) {
    if (single || m.Dimensions !== undefined || m.Unit !== undefined) {
      throw validation(
        'Metrics cannot be combined with MetricName, Namespace, Dimensions, Statistic or Unit.',
      );
    }
    if (m.Metrics.length === 0 || m.Metrics.length > 10) {
      throw validation('Metrics must contain 1 to 10 metric data queries.');
    }
    const ids = new Set<string>();
    for (const q of m.Metrics) {
      if (!QUERY_ID.test(q.Id ?? '')) {
        throw validation(
          `Invalid metric data query id ${q.Id}: it must start with a lowercase letter and contain only letters, digits and underscores.`,
        );
      }
      if (ids.has(q.Id as string)) throw validation(`Duplicate metric data query id ${q.Id}.`);
      ids.add(q.Id as string);
      if ((q.Expression === undefined) === (q.MetricStat === undefined)) {
        throw validation(`Metric data query ${q.Id} must have exactly one of Expression and MetricStat.`);
      }
      if (q.MetricStat && (!q.MetricStat.Metric?.MetricName || !q.MetricStat.Metric.Namespace)) {
        throw validation(`Metric data query ${q.Id} must name its metric's MetricName and Namespace.`);
      }
    }
    const returned = m.Metrics.filter((q) => q.ReturnData !== false);
    if (
      m.Metrics.length > 1
        ? m.Metrics.filter((q) => q.ReturnData === true).length !== 1
        : returned.length !== 1
    ) {
      throw validation('Exactly one metric data query must have ReturnData set to true.');
    }
    return;
  }
  if (!m.MetricName || !m.Namespace || !m.Statistic) {
    throw validation(
      'A customized metric specification needs MetricName, Namespace and Statistic, or Metrics.',
    );
  }
  if (!(STATISTICS as readonly string[]).includes(m.Statistic)) {
    throw validation(`Invalid Statistic ${m.Statistic}: valid values are ${STATISTICS.join(', ')}.`);
  }
}
