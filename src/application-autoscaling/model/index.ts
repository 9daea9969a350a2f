/** What controllers, the control plane and tests use of Application Auto Scaling (no handler). */
export { Wording, NotScaledCode, recordActivity } from './activities.ts';
export { SCALING_POLICY_ARN_PREFIX, peerAlarms, scalingPolicyInvoker, triggerOf } from './alarm-invoker.ts';
export { applyDesiredCount, clamp } from './apply-capacity.ts';
export { type AlarmTrigger, executeScalingPolicy, isHighAlarm, type PeerAlarms } from './execute-policy.ts';
export { alarmPeriod, targetTrackingAlarmInputs } from './policy-alarms.ts';
export {
  type AutoScalingContext,
  ECS_DIMENSION,
  ECS_NAMESPACE,
  keys,
  PolicyType,
  type ScalableTargetRecord,
  type ScalingActivityRecord,
  type ScalingPolicyRecord,
  type ScheduledActionRecord,
} from './records.ts';
export { dueOccurrence, enforceRange, nextDue, runScheduledAction } from './scheduled.ts';
export { aggregate, roundPercentChange, selectStep, stepCapacity } from './step-scaling.ts';
export { scaleInCapacity, scaleOutCapacity } from './target-tracking.ts';
export {
  AWS_TIMING,
  cooldownMs,
  DEFAULT_COOLDOWN_SECONDS,
  type ScalingTiming,
  scalingTimingFrom,
  TIMING_ENV,
} from './timing.ts';
