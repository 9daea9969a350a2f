/** UpdateAutoScalingGroup and SetDesiredCapacity: the range and desired capacity the controller keeps. */
import type { SetDesiredCapacityType, UpdateAutoScalingGroupType } from '@aws-sdk/client-auto-scaling';
import type { Wire } from '../core/wire.ts';
import { Kind } from '../store/store.ts';
import { checkRange } from './group-rules.ts';
import { requireGroup } from './model/groups.ts';
import { type AutoScalingGroupsContext, type GroupRecord, validationError } from './model/records.ts';

export async function updateAutoScalingGroup(
  ctx: AutoScalingGroupsContext,
  input: Wire<UpdateAutoScalingGroupType>,
): Promise<object> {
  const name = input.AutoScalingGroupName ?? '';
  return ctx.store.transact(async (tx) => {
    const g = await requireGroup(tx, name);
    const cur = g.value;
    const minSize = input.MinSize ?? cur.minSize;
    const maxSize = input.MaxSize ?? cur.maxSize;
    // AWS moves the desired capacity into a new range when none is given.
    const desired = input.DesiredCapacity ?? Math.min(maxSize, Math.max(minSize, cur.desiredCapacity));
    checkRange(minSize, maxSize, desired);
    const t = input.LaunchTemplate;
    if (t && !t.LaunchTemplateId === !t.LaunchTemplateName) {
      throw validationError('Valid requests must contain either launchTemplateId or LaunchTemplateName');
    }
    const next: GroupRecord = {
      ...cur,
      minSize,
      maxSize,
      desiredCapacity: desired,
      ...(input.DefaultCooldown !== undefined ? { defaultCooldown: input.DefaultCooldown } : {}),
      ...(input.HealthCheckGracePeriod !== undefined
        ? { healthCheckGracePeriod: input.HealthCheckGracePeriod }
        : {}),
      ...(input.AvailabilityZones?.length ? { availabilityZones: input.AvailabilityZones } : {}),
      ...(input.NewInstancesProtectedFromScaleIn !== undefined
        ? { newInstancesProtectedFromScaleIn: input.NewInstancesProtectedFromScaleIn }
        : {}),
      ...(input.TerminationPolicies?.length ? { terminationPolicies: input.TerminationPolicies } : {}),
      ...(t
        ? {
            launchTemplate: {
              ...(t.LaunchTemplateId ? { LaunchTemplateId: t.LaunchTemplateId } : {}),
              ...(t.LaunchTemplateName ? { LaunchTemplateName: t.LaunchTemplateName } : {}),
              Version: t.Version ?? '$Default',
            },
          }
        : {}),
    };
    await tx.put(Kind.AutoScalingGroup, cur.name, next, g.version);
    return {};
  });
}

export async function setDesiredCapacity(
  ctx: AutoScalingGroupsContext,
  input: Wire<SetDesiredCapacityType>,
): Promise<object> {
  const name = input.AutoScalingGroupName ?? '';
  const desired = input.DesiredCapacity ?? 0;
  return ctx.store.transact(async (tx) => {
    const g = await requireGroup(tx, name);
    if (desired > g.value.maxSize) {
      throw validationError(
        `New SetDesiredCapacity value ${desired} is above max value ${g.value.maxSize} for the AutoScalingGroup.`,
      );
    }
    if (desired < g.value.minSize) {
      throw validationError(
        `New SetDesiredCapacity value ${desired} is below min value ${g.value.minSize} for the AutoScalingGroup.`,
      );
    }
    await tx.put(Kind.AutoScalingGroup, g.value.name, { ...g.value, desiredCapacity: desired }, g.version);
    return {};
  });
}
