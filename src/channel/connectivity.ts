/**
 * Records whether a container instance's agent is connected (DescribeContainerInstances
 * `agentConnected`) and which connection holds it (`agentSession`: its replica and address).
 * A session's end is recorded only by the connection that began it, so a late close of an old
 * connection never hides a newer one, on this replica or another.
 */
import type { EcsContext } from '../ecs/model/context.ts';
import { type AgentSession, type ContainerInstanceRecord, keys } from '../ecs/model/records.ts';
import { Kind, type Stored } from '../store/store.ts';

/** Records `session` as the instance's connection; false when the instance is unknown or INACTIVE (it must register again). */
export async function beginAgentSession(
  ctx: EcsContext,
  cluster: string,
  instanceArn: string,
  session: AgentSession,
): Promise<boolean> {
  const key = keys.containerInstance(cluster, instanceArn.split('/').pop() ?? '');
  return ctx.store.transact(async (tx) => {
    const record = await tx.get<ContainerInstanceRecord>(Kind.ContainerInstance, key);
    if (!record || record.value.instance.containerInstanceArn !== instanceArn) return false;
    if (record.value.instance.status === 'INACTIVE') return false;
    const next: ContainerInstanceRecord = {
      ...record.value,
      instance: { ...record.value.instance, agentConnected: true },
      lastHeartbeatAt: ctx.clock.now(),
      agentSession: session,
    };
    await tx.put(Kind.ContainerInstance, key, next, record.version);
    return true;
  });
}

/** Marks the agent disconnected when `sessionId` is still the connection on record. */
export async function endAgentSession(
  ctx: EcsContext,
  cluster: string,
  instanceArn: string,
  sessionId: string,
): Promise<void> {
  const key = keys.containerInstance(cluster, instanceArn.split('/').pop() ?? '');
  await ctx.store.transact(async (tx) => {
    const record = await tx.get<ContainerInstanceRecord>(Kind.ContainerInstance, key);
    if (!record || record.value.instance.containerInstanceArn !== instanceArn) return;
    if (record.value.agentSession?.id !== sessionId) return;
    await tx.put(Kind.ContainerInstance, key, disconnected(record), record.version);
  });
}

/**
 * Marks disconnected every instance whose session `alive` rejects: at the
 * start of the one embedded process (`() => false`: no agent is connected yet, whatever the store
 * says from before a crash), and by the cluster-mode leader for replicas that stopped heartbeating.
 * Returns how many it marked.
 */
export async function endOrphanedSessions(
  ctx: EcsContext,
  alive: (session: AgentSession) => boolean,
): Promise<number> {
  return ctx.store.transact(async (tx) => {
    let ended = 0;
    for (const record of await tx.list<ContainerInstanceRecord>(Kind.ContainerInstance)) {
      if (!record.value.instance.agentConnected) continue;
      const session = record.value.agentSession;
      if (session !== undefined && alive(session)) continue;
      await tx.put(Kind.ContainerInstance, record.key, disconnected(record), record.version);
      ended++;
    }
    return ended;
  });
}

function disconnected(record: Stored<ContainerInstanceRecord>): ContainerInstanceRecord {
  return { ...record.value, instance: { ...record.value.instance, agentConnected: false } };
}
