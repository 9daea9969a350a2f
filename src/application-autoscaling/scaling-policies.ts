/**
 * PutScalingPolicy, DescribeScalingPolicies, DeleteScalingPolicy. A policy is keyed by its target
 * and name; putting it again replaces its configuration and keeps its ARN. A target tracking
 * policy's alarms are created in the same transaction (and replaced with it); a step scaling
 * policy is invoked by alarms the user creates with its ARN as an action, which DescribeScalingPolicies
 * lists as its Alarms.
 */
import type {
  DeleteScalingPolicyRequest,
  DescribeScalingPoliciesRequest,
  DescribeScalingPoliciesResponse,
  PutScalingPolicyRequest,
  PutScalingPolicyResponse,
  ScalingPolicy,
} from '@aws-sdk/client-application-auto-scaling';
import { listAlarms } from '../cloudwatch/model/alarms.ts';
import { alarmArn } from '../cloudwatch/model/alarm-records.ts';
import { ServiceError } from '../core/errors.ts';
import type { Wire } from '../core/wire.ts';
import { Kind, type Reader } from '../store/store.ts';
import { createPolicyAlarms, deletePolicyAlarms } from './model/policy-alarms.ts';
import {
  type AutoScalingContext,
  keys,
  PolicyType,
  type ScalingPolicyRecord,
  scalingPolicyArn,
} from './model/records.ts';
import { requireTarget, validation } from './model/targets.ts';
import { checkFilter, checkName, checkNamespace, checkTargetId, page, seconds } from './input.ts';
import { checkStepConfig, checkTargetTracking } from './policy-input.ts';

/** Application Auto Scaling's quota: scaling policies per scalable target. */
export const MAX_POLICIES_PER_TARGET = 50;

export async function putScalingPolicy(
  ctx: AutoScalingContext,
  input: Wire<PutScalingPolicyRequest>,
): Promise<Wire<PutScalingPolicyResponse>> {
  const name = checkName('policyName', input.PolicyName);
  const id = checkTargetId(input);
  const type = (input.PolicyType ?? PolicyType.Step) as string;
  if (type === 'PredictiveScaling') {
    throw validation(
      'Longshore does not support predictive scaling policies; use TargetTrackingScaling or StepScaling.',
    );
  }
  if (type !== PolicyType.Step && type !== PolicyType.TargetTracking) {
    throw validation(
      `Invalid PolicyType ${type}: valid values are StepScaling, TargetTrackingScaling, PredictiveScaling.`,
    );
  }
  const step = type === PolicyType.Step;
  if (step && !input.StepScalingPolicyConfiguration) {
    throw validation('StepScalingPolicyConfiguration is required for a policy of type StepScaling.');
  }
  if (!step && !input.TargetTrackingScalingPolicyConfiguration) {
    throw validation(
      'TargetTrackingScalingPolicyConfiguration is required for a policy of type TargetTrackingScaling.',
    );
  }
  if (
    (step && input.TargetTrackingScalingPolicyConfiguration) ||
    (!step && input.StepScalingPolicyConfiguration)
  ) {
    throw validation(`Only the configuration of a ${type} policy can be given with PolicyType ${type}.`);
  }
  const stepScaling = step ? checkStepConfig(input.StepScalingPolicyConfiguration ?? {}) : undefined;
  const targetTracking = step
    ? undefined
    : (checkTargetTracking(
        input.TargetTrackingScalingPolicyConfiguration ?? { TargetValue: undefined as never },
      ) as Record<string, unknown>);
  const now = ctx.clock.now();
  return ctx.store.transact(async (tx) => {
    const target = await requireTarget(tx, id.namespace, id.resourceId, id.dimension);
    const key = keys.policy(target.key, name);
    const existing = await tx.get<ScalingPolicyRecord>(Kind.ScalingPolicy, key);
    if (!existing) {
      const count = (await tx.list(Kind.ScalingPolicy, { prefix: keys.inTarget(target.key) })).length;
      if (count >= MAX_POLICIES_PER_TARGET) {
        throw new ServiceError(
          'LimitExceededException',
          `A scalable target can have at most ${MAX_POLICIES_PER_TARGET} scaling policies.`,
        );
      }
    } else {
      await deletePolicyAlarms(tx, ctx, existing.value);
    }
    const arn = existing?.value.arn ?? scalingPolicyArn(ctx.partition, ctx.rng, id.resourceId, name);
    const record: ScalingPolicyRecord = {
      targetKey: target.key,
      policyName: name,
      policyType: type as PolicyType,
      arn,
      createdAt: existing?.value.createdAt ?? now,
      resourceId: id.resourceId,
      ...(stepScaling ? { stepScaling } : {}),
      ...(targetTracking ? { targetTracking } : {}),
      alarms: [],
    };
    if (targetTracking) {
      try {
        record.alarms = await createPolicyAlarms(tx, ctx, record, id.cluster, id.service);
      } catch (error) {
        // CloudWatch refused the metric the policy names: the policy's input is at fault.
        if (error instanceof ServiceError && error.fault === 'client') throw validation(error.message);
        throw error;
      }
    }
    await tx.put(Kind.ScalingPolicy, key, record, existing ? existing.version : 'absent');
    return {
      PolicyARN: arn,
      ...(record.alarms.length > 0
        ? { Alarms: record.alarms.map((a) => ({ AlarmName: a.name, AlarmARN: a.arn })) }
        : {}),
    };
  });
}

export async function describeScalingPolicies(
  ctx: AutoScalingContext,
  input: Wire<DescribeScalingPoliciesRequest>,
): Promise<Wire<DescribeScalingPoliciesResponse>> {
  const namespace = checkNamespace(input.ServiceNamespace);
  const { resourceId, dimension } = checkFilter(input);
  const names = input.PolicyNames;
  if (names !== undefined && names.length > 50) throw validation('PolicyNames can name at most 50 policies.');
  const all = (
    await ctx.store.list<ScalingPolicyRecord>(Kind.ScalingPolicy, { prefix: `${namespace}|` })
  ).filter(
    (p) =>
      (resourceId === undefined || p.value.resourceId === resourceId) &&
      (dimension === undefined || p.key.startsWith(`${namespace}|${p.value.resourceId}|${dimension}|`)) &&
      (names === undefined || names.length === 0 || names.includes(p.value.policyName)),
  );
  const p = page(all, (s) => s.key, input);
  const stepAlarms = await alarmsInvoking(
    ctx,
    ctx.store,
    p.items.map((s) => s.value),
  );
  return {
    ScalingPolicies: p.items.map((s) => policyView(s.value, stepAlarms.get(s.value.arn) ?? [])),
    ...(p.nextToken ? { NextToken: p.nextToken } : {}),
  };
}

/** For step policies: the alarms whose actions name them (AWS lists those as the policy's Alarms). */
async function alarmsInvoking(
  ctx: AutoScalingContext,
  reader: Reader,
  policies: readonly ScalingPolicyRecord[],
): Promise<Map<string, { name: string; arn: string }[]>> {
  const out = new Map<string, { name: string; arn: string }[]>();
  const wanted = new Set(policies.filter((p) => p.policyType === PolicyType.Step).map((p) => p.arn));
  if (wanted.size === 0) return out;
  for (const alarm of await listAlarms(reader)) {
    for (const arn of alarm.alarmActions) {
      if (!wanted.has(arn)) continue;
      out.set(arn, [...(out.get(arn) ?? []), { name: alarm.name, arn: alarmArn(ctx.partition, alarm.name) }]);
    }
  }
  return out;
}

function policyView(
  p: ScalingPolicyRecord,
  stepAlarms: { name: string; arn: string }[],
): Wire<ScalingPolicy> {
  const [namespace, , dimension] = p.targetKey.split('|') as [string, string, string];
  const alarms = p.policyType === PolicyType.Step ? stepAlarms : p.alarms;
  const s = p.stepScaling;
  return {
    PolicyARN: p.arn,
    PolicyName: p.policyName,
    ServiceNamespace: namespace as never,
    ResourceId: p.resourceId,
    ScalableDimension: dimension as never,
    PolicyType: p.policyType,
    ...(s
      ? {
          StepScalingPolicyConfiguration: {
            AdjustmentType: s.adjustmentType,
            StepAdjustments: s.steps.map((x) => ({
              ...(x.lower !== undefined ? { MetricIntervalLowerBound: x.lower } : {}),
              ...(x.upper !== undefined ? { MetricIntervalUpperBound: x.upper } : {}),
              ScalingAdjustment: x.adjustment,
            })),
            ...(s.minAdjustmentMagnitude !== undefined
              ? { MinAdjustmentMagnitude: s.minAdjustmentMagnitude }
              : {}),
            ...(s.cooldown !== undefined ? { Cooldown: s.cooldown } : {}),
            ...(s.metricAggregationType !== undefined
              ? { MetricAggregationType: s.metricAggregationType }
              : {}),
          },
        }
      : {}),
    ...(p.targetTracking ? { TargetTrackingScalingPolicyConfiguration: p.targetTracking as never } : {}),
    Alarms: alarms.map((a) => ({ AlarmName: a.name, AlarmARN: a.arn })),
    CreationTime: seconds(p.createdAt),
  };
}

export async function deleteScalingPolicy(
  ctx: AutoScalingContext,
  input: Wire<DeleteScalingPolicyRequest>,
): Promise<object> {
  const name = checkName('policyName', input.PolicyName);
  const id = checkTargetId(input);
  await ctx.store.transact(async (tx) => {
    const key = keys.policy(id.key, name);
    const policy = await tx.get<ScalingPolicyRecord>(Kind.ScalingPolicy, key);
    if (!policy) {
      throw new ServiceError(
        'ObjectNotFoundException',
        `No scaling policy found for service namespace: ${id.namespace}, resource ID: ${id.resourceId}, scalable dimension: ${id.dimension}, policy name: ${name}`,
      );
    }
    await deletePolicyAlarms(tx, ctx, policy.value);
    await tx.remove(Kind.ScalingPolicy, key, policy.version);
  });
  return {};
}
