/**
 * RegisterScalableTarget, DescribeScalableTargets, DeregisterScalableTarget. Registering an
 * existing target updates it: only the members given change (SuspendedState member by member;
 * Tags only tag a new target, TagResource tags an existing one). A range that moves away from the
 * service's desired count is enforced by the service-scaling controller, which records the activity.
 */
import type {
  DeregisterScalableTargetRequest,
  DescribeScalableTargetsRequest,
  DescribeScalableTargetsResponse,
  RegisterScalableTargetRequest,
  RegisterScalableTargetResponse,
  ScalableTarget,
} from '@aws-sdk/client-application-auto-scaling';
import type { Wire } from '../core/wire.ts';
import { Kind } from '../store/store.ts';
import { activeEcsService, ecsServiceMissing } from './model/ecs-service.ts';
import { deletePolicyAlarms } from './model/policy-alarms.ts';
import {
  type AutoScalingContext,
  ecsServiceLinkedRole,
  keys,
  type ScalableTargetRecord,
  type ScalingPolicyRecord,
  scalableTargetArn,
  type SuspendedState,
} from './model/records.ts';
import { requireTarget, validation } from './model/targets.ts';
import {
  checkCapacity,
  checkFilter,
  checkNamespace,
  checkTags,
  checkTargetId,
  page,
  seconds,
} from './input.ts';

export async function registerScalableTarget(
  ctx: AutoScalingContext,
  input: Wire<RegisterScalableTargetRequest>,
): Promise<Wire<RegisterScalableTargetResponse>> {
  const id = checkTargetId(input);
  const min = checkCapacity('MinCapacity', input.MinCapacity);
  const max = checkCapacity('MaxCapacity', input.MaxCapacity);
  const roleArn = input.RoleARN;
  if (roleArn !== undefined && !/^arn:aws[a-z-]*:iam::\d{12}:role\/.+/.test(roleArn)) {
    throw validation(`Invalid role ARN: ${roleArn}`);
  }
  const given = input.SuspendedState ?? {};
  const now = ctx.clock.now();
  return ctx.store.transact(async (tx) => {
    const stored = await tx.get<ScalableTargetRecord>(Kind.ScalableTarget, id.key);
    if (!(await activeEcsService(tx, id.cluster, id.service, now))) throw ecsServiceMissing(id.resourceId);
    if (!stored) {
      if (min === undefined || max === undefined) {
        throw validation('MinCapacity and MaxCapacity are required to register a new scalable target.');
      }
      if (min > max)
        throw validation(`Minimum capacity ${min} cannot be greater than maximum capacity ${max}.`);
      const record: ScalableTargetRecord = {
        serviceNamespace: id.namespace,
        resourceId: id.resourceId,
        scalableDimension: id.dimension,
        cluster: id.cluster,
        service: id.service,
        minCapacity: min,
        maxCapacity: max,
        roleArn: roleArn ?? ecsServiceLinkedRole(ctx.partition.accountId),
        arn: scalableTargetArn(ctx.partition, ctx.rng),
        createdAt: now,
        suspended: mergeSuspended(undefined, given),
        tags: checkTags(input.Tags, id.resourceId),
        enforceRange: true,
      };
      await tx.put(Kind.ScalableTarget, id.key, record, 'absent');
      return { ScalableTargetARN: record.arn };
    }
    const t = stored.value;
    const nextMin = min ?? t.minCapacity;
    const nextMax = max ?? t.maxCapacity;
    if (nextMin > nextMax) {
      throw validation(`Minimum capacity ${nextMin} cannot be greater than maximum capacity ${nextMax}.`);
    }
    const rangeChanged = nextMin !== t.minCapacity || nextMax !== t.maxCapacity;
    const next: ScalableTargetRecord = {
      ...t,
      minCapacity: nextMin,
      maxCapacity: nextMax,
      ...(roleArn !== undefined ? { roleArn } : {}),
      suspended: mergeSuspended(t.suspended, given),
      ...(rangeChanged ? { enforceRange: true } : {}),
    };
    if (JSON.stringify(next) !== JSON.stringify(t))
      await tx.put(Kind.ScalableTarget, id.key, next, stored.version);
    return { ScalableTargetARN: t.arn };
  });
}

function mergeSuspended(
  current: SuspendedState | undefined,
  given: {
    DynamicScalingInSuspended?: boolean;
    DynamicScalingOutSuspended?: boolean;
    ScheduledScalingSuspended?: boolean;
  },
): SuspendedState {
  return {
    dynamicScalingInSuspended: given.DynamicScalingInSuspended ?? current?.dynamicScalingInSuspended ?? false,
    dynamicScalingOutSuspended:
      given.DynamicScalingOutSuspended ?? current?.dynamicScalingOutSuspended ?? false,
    scheduledScalingSuspended: given.ScheduledScalingSuspended ?? current?.scheduledScalingSuspended ?? false,
  };
}

export function targetView(t: ScalableTargetRecord): Wire<ScalableTarget> {
  return {
    ServiceNamespace: t.serviceNamespace as never,
    ResourceId: t.resourceId,
    ScalableDimension: t.scalableDimension as never,
    MinCapacity: t.minCapacity,
    MaxCapacity: t.maxCapacity,
    RoleARN: t.roleArn,
    CreationTime: seconds(t.createdAt),
    SuspendedState: {
      DynamicScalingInSuspended: t.suspended.dynamicScalingInSuspended,
      DynamicScalingOutSuspended: t.suspended.dynamicScalingOutSuspended,
      ScheduledScalingSuspended: t.suspended.scheduledScalingSuspended,
    },
    ScalableTargetARN: t.arn,
  };
}

export async function describeScalableTargets(
  ctx: AutoScalingContext,
  input: Wire<DescribeScalableTargetsRequest>,
): Promise<Wire<DescribeScalableTargetsResponse>> {
  const namespace = checkNamespace(input.ServiceNamespace);
  const { dimension } = checkFilter({
    ScalableDimension: input.ScalableDimension,
    ResourceId: input.ResourceIds?.[0],
  });
  const ids = input.ResourceIds;
  if (ids !== undefined && ids.length > 50) throw validation('ResourceIds can name at most 50 resources.');
  const all = (
    await ctx.store.list<ScalableTargetRecord>(Kind.ScalableTarget, { prefix: `${namespace}|` })
  ).filter(
    (s) =>
      (ids === undefined || ids.length === 0 || ids.includes(s.value.resourceId)) &&
      (dimension === undefined || s.value.scalableDimension === dimension),
  );
  const p = page(all, (s) => s.key, input);
  return {
    ScalableTargets: p.items.map((s) => targetView(s.value)),
    ...(p.nextToken ? { NextToken: p.nextToken } : {}),
  };
}

/** Removes the target, its policies (and the alarms they own) and its scheduled actions. */
export async function deregisterScalableTarget(
  ctx: AutoScalingContext,
  input: Wire<DeregisterScalableTargetRequest>,
): Promise<object> {
  const id = checkTargetId(input);
  await ctx.store.transact(async (tx) => {
    const target = await requireTarget(tx, id.namespace, id.resourceId, id.dimension);
    const prefix = keys.inTarget(target.key);
    for (const p of await tx.list<ScalingPolicyRecord>(Kind.ScalingPolicy, { prefix })) {
      await deletePolicyAlarms(tx, ctx, p.value);
      await tx.remove(Kind.ScalingPolicy, p.key);
    }
    for (const a of await tx.list(Kind.ScheduledAction, { prefix }))
      await tx.remove(Kind.ScheduledAction, a.key);
    await tx.remove(Kind.ScalableTarget, target.key, target.version);
  });
  return {};
}
