/**
 * CreateCapacityProvider: a provider over an Auto Scaling group of this region (by ARN or name;
 * the group must exist and no other provider may use it), with managed scaling, termination
 * protection and draining as ECS defaults them.
 */
import type { CreateCapacityProviderRequest, CreateCapacityProviderResponse } from '@aws-sdk/client-ecs';
import { getGroup } from '../../autoscaling/model/groups.ts';
import { ecsArn, ResourceType } from '../../core/arn.ts';
import { ServiceError } from '../../core/errors.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import type { CapacityProviderRecord } from '../model/capacity-provider-records.ts';
import type { EcsContext } from '../model/context.ts';
import { clientException, EcsErrorCode, invalidParameter } from '../model/errors.ts';
import { validateTags } from '../model/tag-rules.ts';
import {
  checkProviderName,
  checkTerminationProtection,
  managedScalingOf,
} from './capacity-provider-rules.ts';
import { providerView } from './capacity-provider-view.ts';

/** ECS's quota of capacity providers per account and region (Fargate's not counted). */
export const MAX_CAPACITY_PROVIDERS = 500;

export async function createCapacityProvider(
  ctx: EcsContext,
  input: Wire<CreateCapacityProviderRequest>,
): Promise<Wire<CreateCapacityProviderResponse>> {
  const name = checkProviderName(input.name);
  if (input.managedInstancesProvider) {
    throw new ServiceError(
      EcsErrorCode.UnsupportedFeature,
      'Longshore does not offer ECS Managed Instances capacity providers; use autoScalingGroupProvider.',
    );
  }
  const asg = input.autoScalingGroupProvider;
  if (!asg?.autoScalingGroupArn)
    throw invalidParameter('autoScalingGroupProvider.autoScalingGroupArn is required.');
  validateTags(input.tags);
  const managedScaling = managedScalingOf(asg.managedScaling);
  const provider = {
    managedScaling,
    managedTerminationProtection: asg.managedTerminationProtection ?? 'DISABLED',
    managedDraining: asg.managedDraining ?? 'ENABLED',
  };
  return ctx.store.transact(async (tx) => {
    const group = await getGroup(tx, asg.autoScalingGroupArn ?? '');
    if (!group || group.value.deleting) {
      throw clientException(
        `The specified Auto Scaling group ARN is not valid or does not exist: ${asg.autoScalingGroupArn}.`,
      );
    }
    checkTerminationProtection(provider, group.value.newInstancesProtectedFromScaleIn);
    const all = await tx.list<CapacityProviderRecord>(Kind.CapacityProvider);
    if (all.some((p) => p.value.provider.name === name)) {
      throw clientException(
        'The specified capacity provider already exists. To change the configuration of an existing capacity provider, update the capacity provider.',
      );
    }
    if (all.some((p) => p.value.groupName === group.value.name)) {
      throw clientException(
        `The specified Auto Scaling group is already in use by another capacity provider: ${group.value.arn}.`,
      );
    }
    if (all.length >= MAX_CAPACITY_PROVIDERS) {
      throw new ServiceError(
        EcsErrorCode.LimitExceeded,
        'The limit on the number of capacity providers was reached.',
      );
    }
    const record: CapacityProviderRecord = {
      groupName: group.value.name,
      provider: {
        capacityProviderArn: ecsArn(ctx.partition, ResourceType.CapacityProvider, name),
        name,
        status: 'ACTIVE',
        autoScalingGroupProvider: { autoScalingGroupArn: group.value.arn, ...provider },
        tags: input.tags ?? [],
        type: 'EC2_AUTOSCALING',
      },
    };
    await tx.put(Kind.CapacityProvider, name, record, 'absent');
    return { capacityProvider: providerView(record, true) };
  });
}
