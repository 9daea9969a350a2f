/** Changes an ACTIVE cluster in place in one transaction (UpdateCluster, UpdateClusterSettings, PutClusterCapacityProviders). */
import type { Wire } from '../../core/wire.ts';
import type { UpdateClusterResponse } from '@aws-sdk/client-ecs';
import { Kind } from '../../store/store.ts';
import type { EcsContext } from '../model/context.ts';
import { activeCluster, clusterName } from '../model/lookup.ts';
import { type ClusterRecord, keys } from '../model/records.ts';
import { clusterView } from './cluster-view.ts';

export async function changeCluster(
  ctx: EcsContext,
  cluster: string | undefined,
  change: (current: ClusterRecord) => ClusterRecord,
): Promise<Wire<UpdateClusterResponse>> {
  const name = clusterName(ctx, cluster);
  return ctx.store.transact(async (tx) => {
    const record = await activeCluster(tx, name);
    const next = change(record.value);
    await tx.put(Kind.Cluster, keys.cluster(name), next, record.version);
    return { cluster: await clusterView(tx, next, ['SETTINGS', 'CONFIGURATIONS']) };
  });
}
