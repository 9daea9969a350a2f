/** DescribeContainerInstances: up to 100 instances by id or ARN, with MISSING failures. */
import type { Wire } from '../../core/wire.ts';
import type {
  ContainerInstance,
  DescribeContainerInstancesRequest,
  DescribeContainerInstancesResponse,
  Failure,
} from '@aws-sdk/client-ecs';
import { containerInstanceArn } from '../../core/arn.ts';
import { invalidParameter } from '../../core/errors.ts';
import { Kind } from '../../store/store.ts';
import type { EcsContext } from '../context.ts';
import { activeCluster, clusterName, resourceId } from '../lookup.ts';
import { type ContainerInstanceRecord, keys } from '../records.ts';
import { checkEnum, checkMaxItems } from '../validation.ts';
import { instanceView, reservationsByInstance } from './instance-view.ts';

const INCLUDE = ['TAGS', 'CONTAINER_INSTANCE_HEALTH'] as const;

export async function describeContainerInstances(
  ctx: EcsContext,
  input: Wire<DescribeContainerInstancesRequest>,
): Promise<Wire<DescribeContainerInstancesResponse>> {
  const cluster = clusterName(ctx, input.cluster);
  if ((input.containerInstances ?? []).length === 0)
    throw invalidParameter('containerInstances can not be empty.');
  checkMaxItems('containerInstances', input.containerInstances, 100);
  for (const i of input.include ?? []) checkEnum('include', i, INCLUDE);
  await activeCluster(ctx.store, cluster);
  const reservations = await reservationsByInstance(ctx.store, cluster);
  const containerInstances: Wire<ContainerInstance>[] = [];
  const failures: Failure[] = [];
  for (const ref of input.containerInstances ?? []) {
    const { id, cluster: named } = resourceId(ctx, ref, 'container-instance');
    const record =
      named && named !== cluster
        ? undefined
        : await ctx.store.get<ContainerInstanceRecord>(
            Kind.ContainerInstance,
            keys.containerInstance(cluster, id),
          );
    if (!record) {
      failures.push({
        arn: ref.startsWith('arn:') ? ref : containerInstanceArn(ctx.partition, cluster, id),
        reason: 'MISSING',
      });
      continue;
    }
    const arn = record.value.instance.containerInstanceArn ?? '';
    containerInstances.push(instanceView(record.value, reservations.get(arn) ?? [], input.include ?? []));
  }
  return { containerInstances, failures };
}
