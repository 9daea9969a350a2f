/** DeregisterContainerInstance: the instance becomes INACTIVE; refused with running tasks unless forced. */
import type { Wire } from '../../core/wire.ts';
import type {
  DeregisterContainerInstanceRequest,
  DeregisterContainerInstanceResponse,
} from '@aws-sdk/client-ecs';
import { hostedTasks } from '../model/fargate/fargate-hosts.ts';
import { invalidParameter } from '../model/errors.ts';
import { Kind } from '../../store/store.ts';
import type { EcsContext } from '../model/context.ts';
import { activeCluster, clusterName, resourceId } from '../model/lookup.ts';
import { type ContainerInstanceRecord, keys } from '../model/records.ts';
import { requireNonEmpty } from '../model/validation.ts';
import { instanceView, reservationsByInstance } from './instance-view.ts';

export async function deregisterContainerInstance(
  ctx: EcsContext,
  input: Wire<DeregisterContainerInstanceRequest>,
): Promise<Wire<DeregisterContainerInstanceResponse>> {
  const cluster = clusterName(ctx, input.cluster);
  const { id } = resourceId(
    ctx,
    requireNonEmpty('containerInstance', input.containerInstance),
    'container-instance',
  );
  return ctx.store.transact(async (tx) => {
    await activeCluster(tx, cluster);
    const key = keys.containerInstance(cluster, id);
    const record = await tx.get<ContainerInstanceRecord>(Kind.ContainerInstance, key);
    if (!record || record.value.instance.status === 'INACTIVE') {
      throw invalidParameter('The referenced container instance was not found.');
    }
    const tasks =
      (await reservationsByInstance(tx, cluster)).get(record.value.instance.containerInstanceArn ?? '') ?? [];
    // Fargate tasks of any cluster this host runs count too: their agent is this instance's.
    const hosted = await hostedTasks(tx, record.value.instance.containerInstanceArn ?? '');
    if (tasks.length + hosted.length > 0 && !input.force) {
      throw invalidParameter('Found running tasks on the instance. Stop them or deregister with force.');
    }
    const next: ContainerInstanceRecord = {
      ...record.value,
      instance: {
        ...record.value.instance,
        status: 'INACTIVE',
        agentConnected: false,
        version: (record.value.instance.version ?? 0) + 1,
      },
    };
    await tx.put(Kind.ContainerInstance, key, next, record.version);
    return { containerInstance: instanceView(next, tasks) };
  });
}
