/** DescribeContainerInstances: up to 100 instances by id or ARN, with MISSING failures. */
import type { Wire } from '../../core/wire.ts';
import type {
  ContainerInstance,
  DescribeContainerInstancesRequest,
  DescribeContainerInstancesResponse,
  Failure,
} from '@aws-sdk/client-ecs';
import { containerInstanceArn } from '../../core/arn.ts';
import { invalidParameter } from '../model/errors.ts';
import { Kind } from '../../store/store.ts';
import type { EcsContext } from '../model/context.ts';
import { activeCluster, clusterName, resourceId } from '../model/lookup.ts';
import { type ContainerInstanceRecord, keys } from '../model/records.ts';
import { checkEnum, checkMaxItems } from '../model/validation.ts';
import { instanceView, reservationsByInstance } from './instance-view.ts';

const INCLUDE = ['TAGS', 'CONTAINER_INSTANCE_HEALTH'] as const;

/** ECS's text for an empty list, in the style of DescribeTasks' "Tasks cannot be empty." */
export const NO_CONTAINER_INSTANCES_GIVEN = 'Container Instances cannot be empty.';

export async function describeContainerInstances(
  ctx: EcsContext,
  input: Wire<DescribeContainerInstancesRequest>,
): Promise<Wire<DescribeContainerInstancesResponse>> {
  const cluster = clusterName(ctx, input.cluster);
  // ECS answers ClusterNotFoundException before it looks at the list.
  await activeCluster(ctx.store, cluster);
  if ((input.containerInstances ?? []).length === 0) throw invalidParameter(NO_CONTAINER_INSTANCES_GIVEN);
  checkMaxItems('containerInstances', input.containerInstances, 100);
  for (const i of input.include ?? []) checkEnum('include', i, INCLUDE);
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
