/** ListContainerInstances: ARNs by status (all but INACTIVE by default) and cluster-query-language filter. */
import type { Wire } from '../../core/wire.ts';
import type { ListContainerInstancesRequest, ListContainerInstancesResponse } from '@aws-sdk/client-ecs';
import { Kind } from '../../store/store.ts';
import type { EcsContext } from '../model/context.ts';
import { activeCluster, clusterName } from '../model/lookup.ts';
import { paginate } from '../../aws/pagination.ts';
import { type ContainerInstanceRecord, keys } from '../model/records.ts';
import { checkEnum } from '../model/validation.ts';
import { filterInstances } from './instance-filter.ts';

const STATUSES = ['ACTIVE', 'DRAINING', 'REGISTERING', 'DEREGISTERING', 'REGISTRATION_FAILED'] as const;

export async function listContainerInstances(
  ctx: EcsContext,
  input: Wire<ListContainerInstancesRequest>,
): Promise<Wire<ListContainerInstancesResponse>> {
  const cluster = clusterName(ctx, input.cluster);
  const status = checkEnum('status', input.status, STATUSES);
  await activeCluster(ctx.store, cluster);
  let records = await ctx.store.list<ContainerInstanceRecord>(Kind.ContainerInstance, {
    prefix: keys.inCluster(cluster),
  });
  records = records.filter((r) =>
    status ? r.value.instance.status === status : r.value.instance.status !== 'INACTIVE',
  );
  if (input.filter !== undefined) records = await filterInstances(ctx, cluster, records, input.filter);
  const page = paginate(records, (r) => r.key, input, { max: 100, default: 100 });
  return {
    containerInstanceArns: page.items.map((r) => r.value.instance.containerInstanceArn ?? ''),
    nextToken: page.nextToken,
  };
}
