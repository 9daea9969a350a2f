/**
 * ECS capacity providers over Auto Scaling groups, as stored (Kind.CapacityProvider, keyed by
 * name). FARGATE and FARGATE_SPOT are not stored: every account has them.
 */
import type { CapacityProvider } from '@aws-sdk/client-ecs';
import type { Wire } from '../../core/wire.ts';
import { Kind, type Reader } from '../../store/store.ts';

/** Capacity providers every account has (the others are made by CreateCapacityProvider). */
export const BUILTIN_CAPACITY_PROVIDERS = ['FARGATE', 'FARGATE_SPOT'] as const;

export interface CapacityProviderRecord {
  /** What DescribeCapacityProviders answers (tags included; the handler drops them unless asked). */
  provider: Wire<CapacityProvider>;
  /** The group's name, resolved from the ARN given at creation. */
  groupName: string;
}

/** ECS's managed scaling defaults (API_ManagedScaling). */
export const MANAGED_SCALING_DEFAULTS = {
  targetCapacity: 100,
  minimumScalingStepSize: 1,
  maximumScalingStepSize: 10_000,
  instanceWarmupPeriod: 300,
} as const;

export async function getCapacityProvider(
  reader: Reader,
  nameOrArn: string,
): Promise<CapacityProviderRecord | undefined> {
  const name = nameOrArn.startsWith('arn:') ? (nameOrArn.split('/').pop() ?? '') : nameOrArn;
  return (await reader.get<CapacityProviderRecord>(Kind.CapacityProvider, name))?.value;
}

export async function listCapacityProviders(reader: Reader): Promise<CapacityProviderRecord[]> {
  return (await reader.list<CapacityProviderRecord>(Kind.CapacityProvider)).map((s) => s.value);
}

/** True when the provider's Auto Scaling group has managed scaling turned on. */
export function managedScalingOn(record: CapacityProviderRecord): boolean {
  return record.provider.autoScalingGroupProvider?.managedScaling?.status === 'ENABLED';
}
