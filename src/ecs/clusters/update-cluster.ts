/** UpdateCluster: settings, configuration and Service Connect defaults of an ACTIVE cluster. */
import type { UpdateClusterRequest, UpdateClusterResponse } from '@aws-sdk/client-ecs';
import type { Wire } from '../../core/wire.ts';
import type { EcsContext } from '../model/context.ts';
import { mergeSettings, validateSettings } from './cluster-rules.ts';
import { changeCluster } from './change-cluster.ts';

export async function updateCluster(
  ctx: EcsContext,
  input: Wire<UpdateClusterRequest>,
): Promise<Wire<UpdateClusterResponse>> {
  // The cluster is looked up first: a missing one is ClusterNotFoundException whatever the settings.
  return changeCluster(ctx, input.cluster, (c) => {
    validateSettings(input.settings);
    return {
      ...c,
      settings: mergeSettings(c.settings, input.settings ?? []),
      ...(input.configuration ? { configuration: input.configuration } : {}),
      ...(input.serviceConnectDefaults ? { serviceConnectDefaults: input.serviceConnectDefaults } : {}),
    };
  });
}
