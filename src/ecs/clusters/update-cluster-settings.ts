/** UpdateClusterSettings: replaces the named settings (containerInsights) of an ACTIVE cluster. */
import type { UpdateClusterSettingsRequest, UpdateClusterSettingsResponse } from '@aws-sdk/client-ecs';
import type { Wire } from '../../core/wire.ts';
import type { EcsContext } from '../model/context.ts';
import { mergeSettings, validateSettings } from './cluster-rules.ts';
import { changeCluster } from './change-cluster.ts';

export async function updateClusterSettings(
  ctx: EcsContext,
  input: Wire<UpdateClusterSettingsRequest>,
): Promise<Wire<UpdateClusterSettingsResponse>> {
  // The cluster is looked up first: a missing one is ClusterNotFoundException whatever the settings.
  return changeCluster(ctx, input.cluster, (c) => {
    validateSettings(input.settings);
    return {
      ...c,
      settings: mergeSettings(c.settings, input.settings ?? []),
    };
  });
}
