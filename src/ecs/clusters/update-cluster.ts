/** UpdateCluster: settings, configuration and Service Connect defaults of an ACTIVE cluster. */
import type { UpdateClusterRequest, UpdateClusterResponse } from '@aws-sdk/client-ecs';
import type { Wire } from '../../core/wire.ts';
import type { EcsContext } from '../context.ts';
import { mergeSettings, validateSettings } from './cluster-rules.ts';
import { changeCluster } from './change-cluster.ts';

export async function updateCluster(
  ctx: EcsContext,
  input: Wire<UpdateClusterRequest>,
): Promise<Wire<UpdateClusterResponse>> {
  validateSettings(input.settings);
  return changeCluster(ctx, input.cluster, (c) => ({
    ...c,
    settings: mergeSettings(c.settings, input.settings ?? []),
    ...(input.configuration ? { configuration: input.configuration } : {}),
    ...(input.serviceConnectDefaults ? { serviceConnectDefaults: input.serviceConnectDefaults } : {}),
  }));
}
