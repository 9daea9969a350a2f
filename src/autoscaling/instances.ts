/** DescribeAutoScalingInstances, SetInstanceProtection and TerminateInstanceInAutoScalingGroup. */
import type {
  DescribeAutoScalingInstancesType,
  SetInstanceProtectionQuery,
  TerminateInstanceInAutoScalingGroupType,
} from '@aws-sdk/client-auto-scaling';
import { paginate } from '../aws/pagination.ts';
import { ServiceError } from '../core/errors.ts';
import { uuidFrom } from '../core/uuid.ts';
import type { Wire } from '../core/wire.ts';
import { Kind } from '../store/store.ts';
import { findInstance, groupInstances, requireGroup } from './model/groups.ts';
import {
  AutoScalingErrorCode,
  type AutoScalingGroupsContext,
  type InstanceRecord,
  keys,
  LifecycleState,
  validationError,
} from './model/records.ts';
import { instanceDetailsView } from './model/views.ts';

export async function describeAutoScalingInstances(
  ctx: AutoScalingGroupsContext,
  input: Wire<DescribeAutoScalingInstancesType>,
): Promise<object> {
  const ids = input.InstanceIds ?? [];
  if (ids.length > 50) throw validationError('The number of instance IDs must not exceed 50.');
  let all = (await ctx.store.list<InstanceRecord>(Kind.AutoScalingInstance))
    .map((s) => s.value)
    .filter((i) => i.lifecycleState !== LifecycleState.Terminated);
  if (ids.length > 0) all = all.filter((i) => ids.includes(i.instanceId));
  all.sort((a, b) => a.instanceId.localeCompare(b.instanceId));
  const page = paginate(
    all,
    (i) => i.instanceId,
    { nextToken: input.NextToken, maxResults: input.MaxRecords },
    { max: 50, default: 50 },
    validationError,
  );
  return {
    AutoScalingInstances: page.items.map(instanceDetailsView),
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  };
}

export async function setInstanceProtection(
  ctx: AutoScalingGroupsContext,
  input: Wire<SetInstanceProtectionQuery>,
): Promise<object> {
  const ids = input.InstanceIds ?? [];
  if (ids.length > 50) {
    throw new ServiceError(
      AutoScalingErrorCode.LimitExceeded,
      'The number of instances in a SetInstanceProtection request must not exceed 50.',
    );
  }
  const name = input.AutoScalingGroupName ?? '';
  return ctx.store.transact(async (tx) => {
    await requireGroup(tx, name);
    const byId = new Map((await groupInstances(tx, name)).map((s) => [s.value.instanceId, s]));
    for (const id of ids) {
      const s = byId.get(id);
      if (!s || s.value.lifecycleState === LifecycleState.Terminated) {
        throw validationError(`The instance ${id} is not part of Auto Scaling group ${name}.`);
      }
    }
    for (const id of ids) {
      const s = byId.get(id);
      if (!s || s.value.protectedFromScaleIn === input.ProtectedFromScaleIn) continue;
      const next = { ...s.value, protectedFromScaleIn: input.ProtectedFromScaleIn ?? false };
      await tx.put(Kind.AutoScalingInstance, keys.instance(name, id), next, s.version);
    }
    return {};
  });
}

/**
 * Terminates one instance; with ShouldDecrementDesiredCapacity the desired capacity goes down by
 * one (refused below the minimum), otherwise the group replaces it. Protection from scale-in does
 * not apply: this is not a scale-in (AWS).
 */
export async function terminateInstanceInAutoScalingGroup(
  ctx: AutoScalingGroupsContext,
  input: Wire<TerminateInstanceInAutoScalingGroupType>,
): Promise<object> {
  const id = input.InstanceId ?? '';
  return ctx.store.transact(async (tx) => {
    const found = await findInstance(tx, id);
    if (!found || found.value.lifecycleState === LifecycleState.Terminated) {
      throw validationError(`Instance Id not found - No managed instance found for instance ID: ${id}`);
    }
    const i = found.value;
    const g = await requireGroup(tx, i.groupName);
    const now = ctx.clock.now();
    if (input.ShouldDecrementDesiredCapacity) {
      if (g.value.desiredCapacity <= g.value.minSize) {
        throw validationError(
          `Currently, desiredSize equals minSize (${g.value.minSize}). Terminating instance without replacement will violate group's min size constraint. Either set shouldDecrementDesiredCapacity flag to false or lower group's min size.`,
        );
      }
    }
    const alreadyTerminating = i.lifecycleState === LifecycleState.Terminating;
    if (!alreadyTerminating) {
      if (input.ShouldDecrementDesiredCapacity) {
        await tx.put(
          Kind.AutoScalingGroup,
          g.value.name,
          { ...g.value, desiredCapacity: g.value.desiredCapacity - 1 },
          g.version,
        );
      }
      const cause = input.ShouldDecrementDesiredCapacity
        ? 'user request to terminate the instance and decrement the desired capacity'
        : 'user request to terminate the instance (it will be replaced)';
      await tx.put(
        Kind.AutoScalingInstance,
        found.key,
        {
          ...i,
          lifecycleState: LifecycleState.Terminating,
          terminationCause: cause,
          terminatingSince: now,
        },
        found.version,
      );
    }
    const at = new Date(now).toISOString();
    return {
      Activity: {
        ActivityId: uuidFrom(ctx.rng),
        AutoScalingGroupName: g.value.name,
        Description: `Terminating EC2 instance: ${id}`,
        Cause: `At ${at} instance ${id} was taken out of service in response to a ${
          input.ShouldDecrementDesiredCapacity ? 'user request, shrinking the capacity from' : 'user request.'
        }${
          input.ShouldDecrementDesiredCapacity
            ? ` ${g.value.desiredCapacity} to ${g.value.desiredCapacity - 1}.`
            : ''
        }`,
        StartTime: now / 1000,
        StatusCode: 'InProgress',
        Progress: 0,
        Details: JSON.stringify({ 'Availability Zone': i.availabilityZone }),
      },
    };
  });
}
