/** UpdateContainerInstancesState: ACTIVE <-> DRAINING for up to 10 instances. */
import type { Wire } from '../../core/wire.ts';
import type {
  ContainerInstance,
  Failure,
  UpdateContainerInstancesStateRequest,
  UpdateContainerInstancesStateResponse,
} from '@aws-sdk/client-ecs';
import { containerInstanceArn } from '../../core/arn.ts';
import { invalidParameter } from '../model/errors.ts';
import { Kind } from '../../store/store.ts';
import type { EcsContext } from '../model/context.ts';
import { activeCluster, clusterName, resourceId } from '../model/lookup.ts';
import { type ContainerInstanceRecord, keys } from '../model/records.ts';
import { checkMaxItems } from '../model/validation.ts';
import { instanceView, reservationsByInstance } from './instance-view.ts';

export async function updateContainerInstancesState(
  ctx: EcsContext,
  input: Wire<UpdateContainerInstancesStateRequest>,
): Promise<Wire<UpdateContainerInstancesStateResponse>> {
  const cluster = clusterName(ctx, input.cluster);
  checkMaxItems('containerInstances', input.containerInstances, 10);
  if (input.status !== 'ACTIVE' && input.status !== 'DRAINING') {
    throw invalidParameter(
      `Container instance status can only be set to ACTIVE or DRAINING, not ${input.status}.`,
    );
  }
  const status = input.status;
  return ctx.store.transact(async (tx) => {
    await activeCluster(tx, cluster);
    const reservations = await reservationsByInstance(tx, cluster);
    const containerInstances: Wire<ContainerInstance>[] = [];
    const failures: Failure[] = [];
    for (const ref of input.containerInstances ?? []) {
      const { id } = resourceId(ctx, ref, 'container-instance');
      const key = keys.containerInstance(cluster, id);
      const record = await tx.get<ContainerInstanceRecord>(Kind.ContainerInstance, key);
      if (!record || record.value.instance.status === 'INACTIVE') {
        failures.push({ arn: containerInstanceArn(ctx.partition, cluster, id), reason: 'MISSING' });
        continue;
      }
      let next = record.value;
      if (next.instance.status !== status) {
        next = { ...next, instance: { ...next.instance, status, version: (next.instance.version ?? 0) + 1 } };
        await tx.put(Kind.ContainerInstance, key, next, record.version);
      }
      containerInstances.push(
        instanceView(next, reservations.get(next.instance.containerInstanceArn ?? '') ?? []),
      );
    }
    return { containerInstances, failures };
  });
}
