/** DescribeClusters: up to 100 clusters by name or ARN, with `failures` for unknown ones. */
import type { Wire } from '../../core/wire.ts';
import type { DescribeClustersRequest, DescribeClustersResponse, Failure } from '@aws-sdk/client-ecs';
import { clusterArn } from '../../core/arn.ts';
import { Kind } from '../../store/store.ts';
import type { EcsContext } from '../model/context.ts';
import { clusterName, DEFAULT_CLUSTER } from '../model/lookup.ts';
import { type ClusterRecord, keys } from '../model/records.ts';
import { checkEnum, checkMaxItems } from '../model/validation.ts';
import { ClusterInclude, clusterView } from './cluster-view.ts';

export async function describeClusters(
  ctx: EcsContext,
  input: Wire<DescribeClustersRequest>,
): Promise<Wire<DescribeClustersResponse>> {
  checkMaxItems('clusters', input.clusters, 100);
  for (const i of input.include ?? []) checkEnum('include', i, ClusterInclude);
  const names = (input.clusters ?? [DEFAULT_CLUSTER]).map((c) => clusterName(ctx, c));
  const clusters = [];
  const failures: Failure[] = [];
  for (const name of names) {
    const record = await ctx.store.get<ClusterRecord>(Kind.Cluster, keys.cluster(name));
    if (record) clusters.push(await clusterView(ctx.store, record.value, input.include ?? []));
    else failures.push({ arn: clusterArn(ctx.partition, name), reason: 'MISSING' });
  }
  return { clusters, failures };
}
