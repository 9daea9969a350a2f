/**
 * DeleteAutoScalingGroup: a group with no instances goes at once; with instances AWS refuses
 * (ResourceInUse) unless ForceDelete, which terminates them first (the controller does, then
 * removes the group). A group an ECS capacity provider names is refused too: delete the capacity
 * provider first.
 */
import type { DeleteAutoScalingGroupType } from '@aws-sdk/client-auto-scaling';
import { ServiceError } from '../core/errors.ts';
import type { Wire } from '../core/wire.ts';
import { listCapacityProviders } from '../ecs/model/capacity-provider-records.ts';
import { Kind } from '../store/store.ts';
import { groupInstances, requireGroup } from './model/groups.ts';
import {
  AutoScalingErrorCode,
  type AutoScalingGroupsContext,
  countsTowardCapacity,
} from './model/records.ts';

export async function deleteAutoScalingGroup(
  ctx: AutoScalingGroupsContext,
  input: Wire<DeleteAutoScalingGroupType>,
): Promise<object> {
  const name = input.AutoScalingGroupName ?? '';
  return ctx.store.transact(async (tx) => {
    const g = await requireGroup(tx, name);
    const users = (await listCapacityProviders(tx)).filter(
      (p) => p.groupName === name && p.provider.status !== 'INACTIVE',
    );
    if (users.length > 0) {
      throw new ServiceError(
        AutoScalingErrorCode.ResourceInUse,
        `The Auto Scaling group ${name} is in use by the ECS capacity provider ${users[0].provider.name}. Delete the capacity provider first.`,
      );
    }
    const instances = (await groupInstances(tx, name)).filter((i) => i.value.lifecycleState !== 'Terminated');
    if (instances.length === 0) {
      await tx.remove(Kind.AutoScalingGroup, name, g.version);
      return {};
    }
    if (!input.ForceDelete) {
      const live = instances.some((i) => countsTowardCapacity(i.value));
      throw new ServiceError(
        live ? AutoScalingErrorCode.ResourceInUse : AutoScalingErrorCode.ScalingActivityInProgress,
        live
          ? 'You cannot delete an AutoScalingGroup while there are instances still in the group.'
          : 'You cannot delete an AutoScalingGroup while there are scaling activities in progress for that group.',
      );
    }
    await tx.put(
      Kind.AutoScalingGroup,
      name,
      { ...g.value, deleting: true, minSize: 0, maxSize: 0, desiredCapacity: 0 },
      g.version,
    );
    return {};
  });
}
