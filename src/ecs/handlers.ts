/** The table of implemented ECS operations. docs/api-coverage.md is generated from it. */
import { createCluster } from './clusters/create-cluster.ts';
import { deleteCluster } from './clusters/delete-cluster.ts';
import { describeClusters } from './clusters/describe-clusters.ts';
import { listClusters } from './clusters/list-clusters.ts';
import { putClusterCapacityProviders, updateCluster, updateClusterSettings } from './clusters/update-cluster.ts';
import type { EcsHandler } from './ecs-service.ts';

export const handlers: Record<string, EcsHandler> = {
  CreateCluster: { category: 'clusterModify', handle: createCluster },
  DeleteCluster: { category: 'clusterModify', handle: deleteCluster },
  DescribeClusters: { category: 'clusterRead', handle: describeClusters },
  ListClusters: { category: 'clusterRead', handle: listClusters },
  UpdateCluster: { category: 'clusterModify', handle: updateCluster },
  UpdateClusterSettings: { category: 'clusterModify', handle: updateClusterSettings },
  PutClusterCapacityProviders: { category: 'clusterModify', handle: putClusterCapacityProviders },
};
