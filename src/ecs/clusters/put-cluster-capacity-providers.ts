/** PutClusterCapacityProviders: the cluster's capacity providers and default strategy, replaced whole. */
import type {
  PutClusterCapacityProvidersRequest,
  PutClusterCapacityProvidersResponse,
} from '@aws-sdk/client-ecs';
import type { Wire } from '../../core/wire.ts';
import type { EcsContext } from '../model/context.ts';
import { validateCapacityProviders, validateStrategy } from './cluster-rules.ts';
import { changeCluster } from './change-cluster.ts';
import { checkAssociations, createdProviderNames } from '../capacity-providers/cluster-associations.ts';
import { clusterName } from '../model/lookup.ts';

export async function putClusterCapacityProviders(
  ctx: EcsContext,
  input: Wire<PutClusterCapacityProvidersRequest>,
): Promise<Wire<PutClusterCapacityProvidersResponse>> {
  validateCapacityProviders(input.capacityProviders, await createdProviderNames(ctx.store));
  validateStrategy(input.defaultCapacityProviderStrategy, input.capacityProviders ?? []);
  // Auto Scaling group providers: one cluster each, and not taken off while in use.
  await checkAssociations(ctx.store, clusterName(ctx, input.cluster), input.capacityProviders ?? []);
  return changeCluster(ctx, input.cluster, (c) => ({
    ...c,
    capacityProviders: input.capacityProviders ?? [],
    defaultCapacityProviderStrategy: input.defaultCapacityProviderStrategy ?? [],
  }));
}
