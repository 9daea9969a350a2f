/** DeleteCluster: marks an empty cluster INACTIVE; refuses while it holds instances, services or tasks. */
import type { Wire } from '../../core/wire.ts';
import type { DeleteClusterRequest, DeleteClusterResponse } from '@aws-sdk/client-ecs';
import { ServiceError } from '../../core/errors.ts';
import { EcsErrorCode } from '../model/errors.ts';
import { Kind } from '../../store/store.ts';
import type { EcsContext } from '../model/context.ts';
import { activeCluster, clusterName } from '../model/lookup.ts';
import { keys } from '../model/records.ts';
import { clusterCounts, clusterView } from './cluster-view.ts';

export async function deleteCluster(
  ctx: EcsContext,
  input: Wire<DeleteClusterRequest>,
): Promise<Wire<DeleteClusterResponse>> {
  const name = clusterName(ctx, input.cluster);
  return ctx.store.transact(async (tx) => {
    const record = await activeCluster(tx, name);
    const counts = await clusterCounts(tx, name);
    if (counts.registeredContainerInstancesCount > 0) {
      throw new ServiceError(
        EcsErrorCode.ClusterContainsContainerInstances,
        'The Cluster cannot be deleted while Container Instances are active or draining.',
      );
    }
    if (counts.activeServicesCount + counts.drainingServicesCount > 0) {
      throw new ServiceError(
        EcsErrorCode.ClusterContainsServices,
        'The Cluster cannot be deleted while Services are active.',
      );
    }
    if (counts.runningTasksCount + counts.pendingTasksCount > 0) {
      throw new ServiceError(
        EcsErrorCode.ClusterContainsTasks,
        'The Cluster cannot be deleted while Tasks are active.',
      );
    }
    const inactive = { ...record.value, status: 'INACTIVE' as const };
    await tx.put(Kind.Cluster, keys.cluster(name), inactive, record.version);
    return { cluster: await clusterView(tx, inactive, ['SETTINGS', 'TAGS']) };
  });
}
