/** UpdateClusterSettings: replaces the named settings (containerInsights) of an ACTIVE cluster. */
import type { UpdateClusterSettingsRequest, UpdateClusterSettingsResponse } from '@aws-sdk/client-ecs';
import type { Wire } from '../../core/wire.ts';
import type { EcsContext } from '../context.ts';
import { mergeSettings, validateSettings } from './cluster-rules.ts';
import { changeCluster } from './change-cluster.ts';

export async function updateClusterSettings(
  ctx: EcsContext,
  input: Wire<UpdateClusterSettingsRequest>,
): Promise<Wire<UpdateClusterSettingsResponse>> {
  validateSettings(input.settings);
  return changeCluster(ctx, input.cluster, (c) => ({
    ...c,
    settings: mergeSettings(c.settings, input.settings ?? []),
  }));
}
