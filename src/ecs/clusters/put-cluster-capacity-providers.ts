/** PutClusterCapacityProviders: the cluster's capacity providers and default strategy, replaced whole. */
import type {
  PutClusterCapacityProvidersRequest,
  PutClusterCapacityProvidersResponse,
} from '@aws-sdk/client-ecs';
import type { Wire } from '../../core/wire.ts';
import type { EcsContext } from '../model/context.ts';
import { validateCapacityProviders, validateStrategy } from './cluster-rules.ts';
import { changeCluster } from './change-cluster.ts';

export async function putClusterCapacityProviders(
  ctx: EcsContext,
  input: Wire<PutClusterCapacityProvidersRequest>,
): Promise<Wire<PutClusterCapacityProvidersResponse>> {
  validateCapacityProviders(input.capacityProviders);
  validateStrategy(input.defaultCapacityProviderStrategy, input.capacityProviders ?? []);
  return changeCluster(ctx, input.cluster, (c) => ({
    ...c,
    capacityProviders: input.capacityProviders ?? [],
    defaultCapacityProviderStrategy: input.defaultCapacityProviderStrategy ?? [],
  }));
}
