/** Resolves the names and ARNs ECS accepts for clusters, and loads the records they name. */
import { lastSegment, parseEcsArn } from '../../core/arn.ts';
import { clusterNotFound, invalidParameter } from './errors.ts';
import { Kind, type Reader, type Stored } from '../../store/store.ts';
import type { EcsContext } from './context.ts';
import { type ClusterRecord, keys } from './records.ts';

export const DEFAULT_CLUSTER = 'default';

/**
 * `cluster` as given (name, ARN, or omitted for `default`) to a cluster name. Only an absent
 * member means `default` (the gateway turns `null` into absent); a blank one is refused, as ECS
 * refuses blank cluster identifiers ("Clusters can not be blank." from DescribeClusters,
 * blox/blox#170) rather than reading them as `default`.
 */
export function clusterName(ctx: EcsContext, cluster: string | undefined): string {
  if (cluster === undefined) return DEFAULT_CLUSTER;
  if (cluster.trim() === '') throw invalidParameter('Cluster can not be blank.');
  if (!cluster.startsWith('arn:')) return cluster;
  const arn = parseEcsArn(cluster);
  if (arn?.type !== 'cluster') throw invalidParameter(`Invalid cluster ARN: ${cluster}`);
  checkPartition(ctx, arn.region, arn.accountId, cluster);
  return arn.resource;
}

/** Loads an ACTIVE cluster or throws ClusterNotFoundException as ECS does. */
export async function activeCluster(reader: Reader, name: string): Promise<Stored<ClusterRecord>> {
  const record = await reader.get<ClusterRecord>(Kind.Cluster, keys.cluster(name));
  if (record?.value.status !== 'ACTIVE') throw clusterNotFound();
  return record;
}

/**
 * The id at the end of a task or container-instance reference: `id`, `cluster/id`, or the
 * full ARN. Returns the cluster named in the ARN too, which must match the request's cluster.
 */
export function resourceId(ctx: EcsContext, value: string, type: string): { id: string; cluster?: string } {
  if (!value.startsWith('arn:')) return { id: lastSegment(value) };
  const arn = parseEcsArn(value);
  if (!arn || arn.type !== type) throw invalidParameter(`Invalid ${type} ARN: ${value}`);
  checkPartition(ctx, arn.region, arn.accountId, value);
  const parts = arn.resource.split('/');
  return parts.length === 2 ? { cluster: parts[0], id: parts[1] } : { id: parts[parts.length - 1] };
}

function checkPartition(ctx: EcsContext, region: string, accountId: string, arn: string): void {
  if (region !== ctx.partition.region || accountId !== ctx.partition.accountId) {
    throw invalidParameter(
      `The ARN ${arn} is not in this account and Region (${ctx.partition.accountId}, ${ctx.partition.region}).`,
    );
  }
}
