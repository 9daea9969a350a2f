/** Validation shared by CreateCluster, UpdateCluster(Settings) and PutClusterCapacityProviders. */
import type { CapacityProviderStrategyItem, ClusterSetting } from '@aws-sdk/client-ecs';
import { invalidParameter } from '../model/errors.ts';
import { checkRange } from '../model/validation.ts';

import { BUILTIN_CAPACITY_PROVIDERS } from '../model/capacity-provider-records.ts';

export { BUILTIN_CAPACITY_PROVIDERS };

/** ECS's answer to a strategy naming both Fargate and Auto Scaling group providers. */
export const MIXED_STRATEGY =
  'The capacity provider strategy cannot contain a mix of capacity providers using Auto Scaling groups and Fargate providers. Specify one or the other and try again.';

const CONTAINER_INSIGHTS_VALUES: readonly string[] = ['enabled', 'disabled', 'enhanced'];

/** ECS's InvalidParameterException texts for a cluster setting (values are case-sensitive: "DISABLED" is refused). */
export const INVALID_SETTING_NAME = "Invalid setting 'name'";
export const INVALID_SETTING_VALUE = "Invalid setting 'value'";

/** The only cluster setting is containerInsights: enabled, disabled or enhanced. */
export function validateSettings(settings: readonly ClusterSetting[] | undefined): void {
  for (const s of settings ?? []) {
    if (s.name !== 'containerInsights') throw invalidParameter(INVALID_SETTING_NAME);
    if (!CONTAINER_INSIGHTS_VALUES.includes(s.value ?? '')) throw invalidParameter(INVALID_SETTING_VALUE);
  }
}

/** `current` with the given settings replaced by name. */
export function mergeSettings(
  current: readonly ClusterSetting[],
  updates: readonly ClusterSetting[],
): ClusterSetting[] {
  const byName = new Map(current.map((s) => [s.name, s]));
  for (const s of updates) byName.set(s.name, { name: s.name, value: s.value });
  return [...byName.values()];
}

/** Every provider is FARGATE, FARGATE_SPOT or one of `created` (the account's ACTIVE capacity providers). */
export function validateCapacityProviders(
  providers: readonly string[] | undefined,
  created: readonly string[] = [],
): void {
  for (const p of providers ?? []) {
    if (!(BUILTIN_CAPACITY_PROVIDERS as readonly string[]).includes(p) && !created.includes(p)) {
      throw invalidParameter(`The specified capacity provider '${p}' does not exist.`);
    }
  }
  if (new Set(providers).size !== (providers ?? []).length) {
    throw invalidParameter('The capacity providers list contains duplicates.');
  }
}

/** ECS's strategy rules: providers must be on the cluster, weight 0-1000, base 0-100000 on at most one. */
export function validateStrategy(
  strategy: readonly CapacityProviderStrategyItem[] | undefined,
  clusterProviders: readonly string[],
): void {
  let withBase = 0;
  for (const item of strategy ?? []) {
    if (!item.capacityProvider) throw invalidParameter('capacityProvider can not be blank.');
    if (!clusterProviders.includes(item.capacityProvider)) {
      throw invalidParameter(
        `The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.`,
      );
    }
    checkRange('weight', item.weight, 0, 1000);
    checkRange('base', item.base, 0, 100000);
    if ((item.base ?? 0) > 0) withBase++;
  }
  if (withBase > 1)
    throw invalidParameter('Only one capacity provider in a strategy can have a base defined.');
  // ECS: a strategy of several providers that all weigh 0 can place nothing beyond a base.
  if ((strategy ?? []).length > 1 && (strategy ?? []).every((s) => (s.weight ?? 0) === 0)) {
    throw invalidParameter(
      'At least one capacity provider in a capacity provider strategy must have a weight greater than zero.',
    );
  }
  const names = (strategy ?? []).map((s) => s.capacityProvider);
  if (new Set(names).size !== names.length)
    throw invalidParameter('The capacity provider strategy contains duplicates.');
}
