/**
 * Application Auto Scaling as stored, in the region's store view: scalable targets, their scaling
 * policies and scheduled actions, and the scaling activities. Keys start with the target's key
 * (`ecs|service/CLUSTER/SERVICE|ecs:service:DesiredCount`), so a prefix lists one target's records.
 */
import type { Partition } from '../../core/arn.ts';
import type { Clock, Rng } from '../../core/clock.ts';
import type { Store } from '../../store/store.ts';
import type { ScalingTiming } from './timing.ts';

/** What the handlers, the controller and the alarm invoker work with. */
export interface AutoScalingContext {
  store: Store;
  clock: Clock;
  rng: Rng;
  partition: Partition;
  timing: ScalingTiming;
}

export const ECS_NAMESPACE = 'ecs';
export const ECS_DIMENSION = 'ecs:service:DesiredCount';

export interface SuspendedState {
  dynamicScalingInSuspended: boolean;
  dynamicScalingOutSuspended: boolean;
  scheduledScalingSuspended: boolean;
}

export interface ScalableTargetRecord {
  serviceNamespace: string;
  resourceId: string;
  scalableDimension: string;
  /** The ECS service the resource id names. */
  cluster: string;
  service: string;
  minCapacity: number;
  maxCapacity: number;
  roleArn: string;
  arn: string;
  createdAt: number;
  suspended: SuspendedState;
  tags: Record<string, string>;
  /**
   * Set when the range changed (RegisterScalableTarget, a scheduled action): the controller brings
   * the desired count inside it once ("minimum capacity was set to 2") and clears it.
   */
  enforceRange?: boolean;
  /** Cooldown bookkeeping of dynamic scaling (epoch ms; the capacity a scale-out started from). */
  lastScaleOutAt?: number;
  lastScaleOutFrom?: number;
  lastScaleInAt?: number;
}

export const PolicyType = { Step: 'StepScaling', TargetTracking: 'TargetTrackingScaling' } as const;
export type PolicyType = (typeof PolicyType)[keyof typeof PolicyType];

export interface StepAdjustmentRecord {
  lower?: number;
  upper?: number;
  adjustment: number;
}

export interface StepConfig {
  adjustmentType: 'ChangeInCapacity' | 'PercentChangeInCapacity' | 'ExactCapacity';
  steps: StepAdjustmentRecord[];
  minAdjustmentMagnitude?: number;
  cooldown?: number;
  metricAggregationType?: 'Average' | 'Minimum' | 'Maximum';
}

export interface ScalingPolicyRecord {
  targetKey: string;
  policyName: string;
  policyType: PolicyType;
  arn: string;
  createdAt: number;
  resourceId: string;
  /** Exactly one of these, as PolicyType says; kept in the wire form PutScalingPolicy took. */
  stepScaling?: StepConfig;
  /** The TargetTrackingScalingPolicyConfiguration as given (wire form). */
  targetTracking?: Record<string, unknown>;
  /** The alarms a target tracking policy created and owns. */
  alarms: { name: string; arn: string }[];
  /** Step scaling's own cooldown bookkeeping (epoch ms, the capacity a scale-out started from). */
  lastScaleOutAt?: number;
  lastScaleOutFrom?: number;
  lastScaledAt?: number;
}

export interface ScheduledActionRecord {
  targetKey: string;
  name: string;
  arn: string;
  resourceId: string;
  schedule: string;
  timezone?: string;
  startTime?: number;
  endTime?: number;
  minCapacity?: number;
  maxCapacity?: number;
  createdAt: number;
  /** The occurrence (epoch ms) it last ran for; occurrences before creation never run. */
  lastOccurrence?: number;
}

export interface NotScaledReasonRecord {
  Code: string;
  MaxCapacity?: number;
  MinCapacity?: number;
  CurrentCapacity?: number;
}

export interface ScalingActivityRecord {
  activityId: string;
  /** Grows by one per activity of the target: orders activities of the same millisecond. */
  seq: number;
  targetKey: string;
  resourceId: string;
  description: string;
  cause: string;
  startTime: number;
  endTime?: number;
  statusCode: 'Successful' | 'Failed' | 'InProgress' | 'Pending' | 'Overridden' | 'Unfulfilled';
  statusMessage?: string;
  /** A refusal (cooldown, suspension, at a bound): listed only with IncludeNotScaledActivities. */
  notScaled?: boolean;
  notScaledReasons?: NotScaledReasonRecord[];
}

export const keys = {
  target: (namespace: string, resourceId: string, dimension: string) =>
    `${namespace}|${resourceId}|${dimension}`,
  policy: (targetKey: string, name: string) => `${targetKey}|${name}`,
  scheduledAction: (targetKey: string, name: string) => `${targetKey}|${name}`,
  /** Newest first in key order: the start time and the sequence number counted down. */
  activity: (targetKey: string, startTime: number, seq: number) =>
    `${targetKey}|${String(9_999_999_999_999 - startTime).padStart(13, '0')}|${String(999_999_999 - seq).padStart(9, '0')}`,
  inTarget: (targetKey: string) => `${targetKey}|`,
} as const;

/** Scaling activities are kept six weeks, as AWS keeps them. */
export const ACTIVITY_RETENTION_MS = 42 * 24 * 3600 * 1000;

/** A UUID (v4 layout) from the context's randomness. */
export function newUuid(rng: Rng): string {
  const h = rng.hex(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function scalableTargetArn(p: Partition, rng: Rng): string {
  return `arn:aws:application-autoscaling:${p.region}:${p.accountId}:scalable-target/${rng.hex(18)}`;
}

/** `arn:aws:autoscaling:REGION:ACCOUNT:scalingPolicy:UUID:resource/ecs/service/C/S:policyName/NAME`. */
export function scalingPolicyArn(p: Partition, rng: Rng, resourceId: string, name: string): string {
  return `arn:aws:autoscaling:${p.region}:${p.accountId}:scalingPolicy:${newUuid(rng)}:resource/ecs/${resourceId}:policyName/${name}`;
}

export function scheduledActionArn(p: Partition, rng: Rng, resourceId: string, name: string): string {
  return `arn:aws:autoscaling:${p.region}:${p.accountId}:scheduledAction:${newUuid(rng)}:resource/ecs/${resourceId}:scheduledActionName/${name}`;
}

/** The role AWS reports for ECS targets registered without one (its service-linked role). */
export function ecsServiceLinkedRole(accountId: string): string {
  return `arn:aws:iam::${accountId}:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService`;
}
