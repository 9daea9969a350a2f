/** CreateAutoScalingGroup: a group with its range, launch definition and launcher (from its tags). */
import type { CreateAutoScalingGroupType } from '@aws-sdk/client-auto-scaling';
import { ServiceError } from '../core/errors.ts';
import { uuidFrom } from '../core/uuid.ts';
import type { Wire } from '../core/wire.ts';
import { Kind } from '../store/store.ts';
import { launchSpecFrom } from './model/launch-spec.ts';
import {
  AutoScalingErrorCode,
  type AutoScalingGroupsContext,
  type GroupRecord,
  groupArn,
  type LaunchTemplateRef,
  validationError,
} from './model/records.ts';
import { checkRange, checkTags } from './group-rules.ts';

/** AWS's quota of groups per region. */
export const MAX_GROUPS = 500;

export async function createAutoScalingGroup(
  ctx: AutoScalingGroupsContext,
  input: Wire<CreateAutoScalingGroupType>,
): Promise<object> {
  const name = input.AutoScalingGroupName ?? '';
  if (!/^[\s\S]{1,255}$/.test(name) || name.includes(':')) {
    throw validationError(`Invalid AutoScalingGroupName: ${name}`);
  }
  const launchTemplate = launchTemplateOf(input.LaunchTemplate);
  if (!launchTemplate && !input.LaunchConfigurationName && !input.InstanceId && !input.MixedInstancesPolicy) {
    throw validationError(
      'Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.',
    );
  }
  const minSize = input.MinSize ?? 0;
  const maxSize = input.MaxSize ?? 0;
  const desired = input.DesiredCapacity ?? minSize;
  checkRange(minSize, maxSize, desired);
  const zones = input.AvailabilityZones ?? [];
  if (zones.length === 0 && !input.VPCZoneIdentifier) {
    throw validationError('At least one Availability Zone or VPC Subnet is required.');
  }
  const tags = checkTags(input.Tags ?? []);
  const launch = launchSpecFrom(tags);
  return ctx.store.transact(async (tx) => {
    if (await tx.get(Kind.AutoScalingGroup, name)) {
      throw new ServiceError(
        AutoScalingErrorCode.AlreadyExists,
        `AutoScalingGroup by this name already exists - A group with the name ${name} already exists`,
      );
    }
    if ((await tx.list(Kind.AutoScalingGroup)).length >= MAX_GROUPS) {
      throw new ServiceError(
        AutoScalingErrorCode.LimitExceeded,
        `You have reached your limit of ${MAX_GROUPS} Auto Scaling groups.`,
      );
    }
    const record: GroupRecord = {
      name,
      arn: groupArn(ctx.partition, uuidFrom(ctx.rng), name),
      minSize,
      maxSize,
      desiredCapacity: desired,
      defaultCooldown: input.DefaultCooldown ?? 300,
      healthCheckGracePeriod: input.HealthCheckGracePeriod ?? 0,
      availabilityZones: zones.length > 0 ? zones : [`${ctx.partition.region}a`],
      ...(input.VPCZoneIdentifier ? { vpcZoneIdentifier: input.VPCZoneIdentifier } : {}),
      ...(launchTemplate ? { launchTemplate } : {}),
      ...(input.LaunchConfigurationName ? { launchConfigurationName: input.LaunchConfigurationName } : {}),
      newInstancesProtectedFromScaleIn: input.NewInstancesProtectedFromScaleIn ?? false,
      terminationPolicies: input.TerminationPolicies?.length ? input.TerminationPolicies : ['Default'],
      tags,
      createdAt: ctx.clock.now(),
      launch,
    };
    await tx.put(Kind.AutoScalingGroup, name, record, 'absent');
    return {};
  });
}

/** A launch template names itself by id or by name, not both (AWS's rule); the version defaults to $Default. */
function launchTemplateOf(
  t: Wire<CreateAutoScalingGroupType>['LaunchTemplate'],
): LaunchTemplateRef | undefined {
  if (!t) return undefined;
  if (!t.LaunchTemplateId === !t.LaunchTemplateName) {
    throw validationError('Valid requests must contain either launchTemplateId or LaunchTemplateName');
  }
  return {
    ...(t.LaunchTemplateId ? { LaunchTemplateId: t.LaunchTemplateId } : {}),
    ...(t.LaunchTemplateName ? { LaunchTemplateName: t.LaunchTemplateName } : {}),
    Version: t.Version ?? '$Default',
  };
}
