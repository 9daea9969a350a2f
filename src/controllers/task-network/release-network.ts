/**
 * One pass of the task network controller for one task: a STOPPED awsvpc task's ENI is deleted
 * and its address freed, and the attachment shows DELETED, in one transaction; a task that runs
 * shows its attachment ATTACHED. Level-triggered and idempotent: a pass repeated, or cut short by
 * a crash, converges to the same records.
 */
import { deleteNetworkInterface } from '../../ec2/model/index.ts';
import type { EcsContext } from '../../ecs/model/context.ts';
import { AttachmentStatus, withAttachmentStatus } from '../../ecs/model/network/task-eni.ts';
import type { TaskRecord } from '../../ecs/model/records.ts';
import { Kind } from '../../store/store.ts';

/** Statuses in which a task's ENI is attached (ECS moves the attachment once the task is provisioned). */
const ATTACHED_STATUSES: readonly string[] = ['PENDING', 'ACTIVATING', 'RUNNING', 'DEACTIVATING', 'STOPPING'];

export async function reconcileTaskNetwork(ctx: EcsContext, key: string): Promise<void> {
  await ctx.store.transact(async (tx) => {
    const stored = await tx.get<TaskRecord>(Kind.Task, key);
    const record = stored?.value;
    if (!stored || !record?.network || record.network.released) return;
    const status = record.task.lastStatus ?? '';
    if (status === 'STOPPED') {
      await deleteNetworkInterface(tx, record.network.eniId);
      const next: TaskRecord = { ...record, network: { ...record.network, released: true } };
      const attachments = withAttachmentStatus(record, AttachmentStatus.Deleted);
      if (attachments) next.task = { ...record.task, attachments };
      await tx.put(Kind.Task, key, next, stored.version);
      return;
    }
    if (ATTACHED_STATUSES.includes(status)) {
      const attachments = withAttachmentStatus(record, AttachmentStatus.Attached);
      if (attachments)
        await tx.put(Kind.Task, key, { ...record, task: { ...record.task, attachments } }, stored.version);
    }
  });
}

/**
 * Task ENIs no task holds any more (a task record removed before its ENI was, by an older
 * Longshore or a crash between two writes of an earlier design): deleted. An ENI and its task
 * are created in one transaction, so an ENI whose attachment no task names is an orphan.
 */
export async function sweepOrphanEnis(ctx: EcsContext): Promise<number> {
  return ctx.store.transact(async (tx) => {
    const held = new Set<string>();
    for (const { value } of await tx.list<TaskRecord>(Kind.Task)) {
      if (value.network && !value.network.released) held.add(value.network.eniId);
    }
    let removed = 0;
    for (const { key, value } of await tx.list<{ requesterManaged?: boolean; description?: string }>(
      Kind.NetworkInterface,
    )) {
      if (!value.requesterManaged || !value.description?.includes(':attachment/') || held.has(key)) continue;
      if (await deleteNetworkInterface(tx, key)) removed++;
    }
    return removed;
  });
}
