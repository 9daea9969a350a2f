/** Records whether a container instance's agent is connected (DescribeContainerInstances `agentConnected`). */
import type { EcsContext } from '../ecs/model/context.ts';
import { type ContainerInstanceRecord, keys } from '../ecs/model/records.ts';
import { Kind } from '../store/store.ts';

/** Returns false when the instance is unknown or INACTIVE (the agent must register again). */
export async function setAgentConnected(
  ctx: EcsContext,
  cluster: string,
  instanceArn: string,
  connected: boolean,
): Promise<boolean> {
  const key = keys.containerInstance(cluster, instanceArn.split('/').pop() ?? '');
  return ctx.store.transact(async (tx) => {
    const record = await tx.get<ContainerInstanceRecord>(Kind.ContainerInstance, key);
    if (!record || record.value.instance.containerInstanceArn !== instanceArn) return false;
    if (record.value.instance.status === 'INACTIVE') return false;
    const next: ContainerInstanceRecord = {
      ...record.value,
      instance: { ...record.value.instance, agentConnected: connected },
      lastHeartbeatAt: ctx.clock.now(),
    };
    await tx.put(Kind.ContainerInstance, key, next, record.version);
    return true;
  });
}

/** On control-plane start no agent is connected yet, whatever the store says from before a crash. */
export async function markAllDisconnected(ctx: EcsContext): Promise<void> {
  await ctx.store.transact(async (tx) => {
    for (const record of await tx.list<ContainerInstanceRecord>(Kind.ContainerInstance)) {
      if (!record.value.instance.agentConnected) continue;
      const next = { ...record.value, instance: { ...record.value.instance, agentConnected: false } };
      await tx.put(Kind.ContainerInstance, record.key, next, record.version);
    }
  });
}
