/** CreateCluster: creates (or, for an existing ACTIVE name, returns) a cluster. */
import type { Wire } from '../../core/wire.ts';
import type { CreateClusterRequest, CreateClusterResponse } from '@aws-sdk/client-ecs';
import { clusterArn } from '../../core/arn.ts';
import { invalidParameter } from '../model/errors.ts';
import { Kind } from '../../store/store.ts';
import type { EcsContext } from '../model/context.ts';
import { DEFAULT_CLUSTER } from '../model/lookup.ts';
import { type ClusterRecord, keys } from '../model/records.ts';
import { validateTags } from '../model/tag-rules.ts';
import { NAME_PATTERN } from '../model/validation.ts';
import { checkAssociations, createdProviderNames } from '../capacity-providers/cluster-associations.ts';
import { validateCapacityProviders, validateSettings, validateStrategy } from './cluster-rules.ts';
import { clusterView } from './cluster-view.ts';

export async function createCluster(
  ctx: EcsContext,
  input: Wire<CreateClusterRequest>,
): Promise<Wire<CreateClusterResponse>> {
  const name = input.clusterName ?? DEFAULT_CLUSTER;
  if (!NAME_PATTERN.test(name)) {
    throw invalidParameter(
      'Cluster name must be 1-255 characters long and contain only letters (uppercase and lowercase), numbers, underscores, and hyphens.',
    );
  }
  validateTags(input.tags);
  validateSettings(input.settings);
  validateCapacityProviders(input.capacityProviders, await createdProviderNames(ctx.store));
  await checkAssociations(ctx.store, name, input.capacityProviders ?? []);
  validateStrategy(input.defaultCapacityProviderStrategy, input.capacityProviders ?? []);
  return ctx.store.transact(async (tx) => {
    const existing = await tx.get<ClusterRecord>(Kind.Cluster, keys.cluster(name));
    if (existing?.value.status === 'ACTIVE')
      return { cluster: await clusterView(tx, existing.value, ['SETTINGS', 'TAGS']) };
    const record: ClusterRecord = {
      clusterArn: clusterArn(ctx.partition, name),
      clusterName: name,
      status: 'ACTIVE',
      settings: input.settings ?? [{ name: 'containerInsights', value: 'disabled' }],
      configuration: input.configuration,
      capacityProviders: input.capacityProviders ?? [],
      defaultCapacityProviderStrategy: input.defaultCapacityProviderStrategy ?? [],
      serviceConnectDefaults: input.serviceConnectDefaults,
      tags: input.tags ?? [],
      createdAt: ctx.clock.now(),
    };
    if (record.configuration === undefined) delete record.configuration;
    if (record.serviceConnectDefaults === undefined) delete record.serviceConnectDefaults;
    await tx.put(Kind.Cluster, keys.cluster(name), record, existing ? existing.version : 'absent');
    return { cluster: await clusterView(tx, record, ['SETTINGS', 'TAGS', 'CONFIGURATIONS']) };
  });
}
