/** ListClusters: ARNs of ACTIVE clusters, 100 per page. */
import type { Wire } from '../../core/wire.ts';
import type { ListClustersRequest, ListClustersResponse } from '@aws-sdk/client-ecs';
import { Kind } from '../../store/store.ts';
import type { EcsContext } from '../model/context.ts';
import { paginate } from '../../aws/pagination.ts';
import type { ClusterRecord } from '../model/records.ts';

export async function listClusters(
  ctx: EcsContext,
  input: Wire<ListClustersRequest>,
): Promise<Wire<ListClustersResponse>> {
  const all = (await ctx.store.list<ClusterRecord>(Kind.Cluster)).filter((r) => r.value.status === 'ACTIVE');
  const page = paginate(all, (r) => r.key, input, { max: 100, default: 100 });
  return { clusterArns: page.items.map((r) => r.value.clusterArn), nextToken: page.nextToken };
}
