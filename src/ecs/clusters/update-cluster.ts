/** UpdateCluster, UpdateClusterSettings and PutClusterCapacityProviders: change a cluster in place. */
import type { Wire } from '../../core/wire.ts';
import type {
  PutClusterCapacityProvidersRequest,
  PutClusterCapacityProvidersResponse,
  UpdateClusterRequest,
  UpdateClusterResponse,
  UpdateClusterSettingsRequest,
  UpdateClusterSettingsResponse,
} from '@aws-sdk/client-ecs';
import { Kind } from '../../store/store.ts';
import type { EcsContext } from '../context.ts';
import { activeCluster, clusterName } from '../lookup.ts';
import { type ClusterRecord, keys } from '../records.ts';
import {
  mergeSettings,
  validateCapacityProviders,
  validateSettings,
  validateStrategy,
} from './cluster-rules.ts';
import { clusterView } from './cluster-view.ts';

async function update(
  ctx: EcsContext,
  cluster: string | undefined,
  change: (current: ClusterRecord) => ClusterRecord,
): Promise<Wire<UpdateClusterResponse>> {
  const name = clusterName(ctx, cluster);
  return ctx.store.transact(async (tx) => {
    const record = await activeCluster(tx, name);
    const next = change(record.value);
    await tx.put(Kind.Cluster, keys.cluster(name), next, record.version);
    tx.onCommit(() => ctx.changes.publish({ kind: 'cluster', cluster: name, key: name }));
    return { cluster: await clusterView(tx, next, ['SETTINGS', 'CONFIGURATIONS']) };
  });
}

export async function updateCluster(
  ctx: EcsContext,
  input: Wire<UpdateClusterRequest>,
): Promise<Wire<UpdateClusterResponse>> {
  validateSettings(input.settings);
  return update(ctx, input.cluster, (c) => ({
    ...c,
    settings: mergeSettings(c.settings, input.settings ?? []),
    ...(input.configuration ? { configuration: input.configuration } : {}),
    ...(input.serviceConnectDefaults ? { serviceConnectDefaults: input.serviceConnectDefaults } : {}),
  }));
}

export async function updateClusterSettings(
  ctx: EcsContext,
  input: Wire<UpdateClusterSettingsRequest>,
): Promise<Wire<UpdateClusterSettingsResponse>> {
  validateSettings(input.settings);
  return update(ctx, input.cluster, (c) => ({
    ...c,
    settings: mergeSettings(c.settings, input.settings ?? []),
  }));
}

export async function putClusterCapacityProviders(
  ctx: EcsContext,
  input: Wire<PutClusterCapacityProvidersRequest>,
): Promise<Wire<PutClusterCapacityProvidersResponse>> {
  validateCapacityProviders(input.capacityProviders);
  validateStrategy(input.defaultCapacityProviderStrategy, input.capacityProviders ?? []);
  return update(ctx, input.cluster, (c) => ({
    ...c,
    capacityProviders: input.capacityProviders ?? [],
    defaultCapacityProviderStrategy: input.defaultCapacityProviderStrategy ?? [],
  }));
}
