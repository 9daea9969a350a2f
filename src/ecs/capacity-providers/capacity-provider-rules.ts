/** Validation CreateCapacityProvider and UpdateCapacityProvider share; ECS's error types. */
import type { AutoScalingGroupProvider, ManagedScaling } from '@aws-sdk/client-ecs';
import type { Wire } from '../../core/wire.ts';
import { MANAGED_SCALING_DEFAULTS } from '../model/capacity-provider-records.ts';
import { clientException, invalidParameter } from '../model/errors.ts';
import { checkEnum, checkRange } from '../model/validation.ts';

const NAME = /^[a-zA-Z0-9_-]{1,255}$/;

export function checkProviderName(name: string | undefined): string {
  if (!name || !NAME.test(name)) {
    throw invalidParameter(
      'The capacity provider name must be 1-255 characters: letters, numbers, underscores and hyphens.',
    );
  }
  if (/^(aws|ecs|fargate)/i.test(name)) {
    throw invalidParameter(
      "The specified capacity provider name is invalid. Capacity provider names can't be prefixed with 'aws', 'ecs', or 'fargate'.",
    );
  }
  return name;
}

/** The managed scaling settings with ECS's defaults filled in. */
export function managedScalingOf(
  given: Wire<ManagedScaling> | undefined,
  current?: Wire<ManagedScaling>,
): Wire<ManagedScaling> {
  const base = current ?? {
    // Omitted entirely: off; given without a status: on (as the console and the CLI create it).
    status: given ? 'ENABLED' : 'DISABLED',
    ...MANAGED_SCALING_DEFAULTS,
  };
  const out = { ...base, ...(given ?? {}) };
  checkEnum('managedScaling.status', out.status, ['ENABLED', 'DISABLED'] as const);
  checkRange('managedScaling.targetCapacity', out.targetCapacity, 1, 100);
  checkRange('managedScaling.minimumScalingStepSize', out.minimumScalingStepSize, 1, 10_000);
  checkRange('managedScaling.maximumScalingStepSize', out.maximumScalingStepSize, 1, 10_000);
  checkRange('managedScaling.instanceWarmupPeriod', out.instanceWarmupPeriod, 0, 10_000);
  if ((out.minimumScalingStepSize ?? 1) > (out.maximumScalingStepSize ?? 10_000)) {
    throw invalidParameter(
      'The minimumScalingStepSize must be less than or equal to the maximumScalingStepSize.',
    );
  }
  return out;
}

/**
 * ECS's rule: managed termination protection needs managed scaling, and the group's instances
 * protected from scale-in when they launch (`newInstancesProtected`).
 */
export function checkTerminationProtection(
  provider: Pick<
    Wire<AutoScalingGroupProvider>,
    'managedScaling' | 'managedTerminationProtection' | 'managedDraining'
  >,
  newInstancesProtected: boolean,
): void {
  checkEnum('managedTerminationProtection', provider.managedTerminationProtection, [
    'ENABLED',
    'DISABLED',
  ] as const);
  checkEnum('managedDraining', provider.managedDraining, ['ENABLED', 'DISABLED'] as const);
  if (provider.managedTerminationProtection !== 'ENABLED') return;
  if (provider.managedScaling?.status !== 'ENABLED') {
    throw invalidParameter(
      'The managed termination protection setting for the capacity provider is invalid. To enable managed termination protection for a capacity provider, managed scaling must be enabled.',
    );
  }
  if (!newInstancesProtected) {
    throw clientException(
      'The managed termination protection setting for the capacity provider is invalid. To enable managed termination protection for a capacity provider, the Auto Scaling group must have instance protection from scale in enabled.',
    );
  }
}
