/**
 * GetTaskProtection: the scale-in protection of up to 100 service tasks (all of the cluster's
 * service tasks when `tasks` is omitted). Unknown tasks are MISSING failures, standalone ones
 * TASK_NOT_VALID. Protection whose expiry has passed reads as disabled.
 */
import type { Wire } from '../../core/wire.ts';
import type {
  Failure,
  GetTaskProtectionRequest,
  GetTaskProtectionResponse,
  ProtectedTask,
} from '@aws-sdk/client-ecs';
import { taskArn } from '../../core/arn.ts';
import { Kind, type Reader, type Stored } from '../../store/store.ts';
import type { EcsContext } from '../model/context.ts';
import { activeCluster, clusterName, resourceId } from '../model/lookup.ts';
import { keys, type TaskRecord } from '../model/records.ts';
import { checkMaxItems, requireNonEmpty } from '../model/validation.ts';
import { findTask } from '../model/tasks/find-task.ts';
import { isExpired } from '../model/tasks/task-view.ts';
import { protectedTaskView } from '../model/tasks/protection.ts';

/**
 * Looks up task references for the two protection operations: a found service task, or the
 * failure ECS reports for it (MISSING when unknown, TASK_NOT_VALID when standalone).
 */
export async function resolveProtectionTask(
  ctx: EcsContext,
  reader: Reader,
  cluster: string,
  ref: string,
): Promise<{ record: Stored<TaskRecord> } | { failure: Failure }> {
  const task = resourceId(ctx, ref, 'task');
  const arn = ref.startsWith('arn:') ? ref : taskArn(ctx.partition, cluster, task.id);
  const record = await findTask(reader, cluster, task, ctx.clock.now());
  if (!record) return { failure: { arn, reason: 'MISSING' } };
  if (!record.value.serviceName) return { failure: { arn, reason: 'TASK_NOT_VALID' } };
  return { record };
}

export async function getTaskProtection(
  ctx: EcsContext,
  input: Wire<GetTaskProtectionRequest>,
): Promise<Wire<GetTaskProtectionResponse>> {
  const cluster = clusterName(ctx, requireNonEmpty('cluster', input.cluster));
  checkMaxItems('tasks', input.tasks, 100);
  await activeCluster(ctx.store, cluster);
  const now = ctx.clock.now();
  const protectedTasks: Wire<ProtectedTask>[] = [];
  const failures: Failure[] = [];
  if (input.tasks === undefined || input.tasks.length === 0) {
    const all = await ctx.store.list<TaskRecord>(Kind.Task, { prefix: keys.inCluster(cluster) });
    for (const { value } of all) {
      if (value.serviceName && value.task.lastStatus !== 'STOPPED' && !isExpired(value, now))
        protectedTasks.push(protectedTaskView(value, now));
    }
    return { protectedTasks, failures };
  }
  for (const ref of input.tasks) {
    const found = await resolveProtectionTask(ctx, ctx.store, cluster, ref);
    if ('failure' in found) failures.push(found.failure);
    else protectedTasks.push(protectedTaskView(found.record.value, now));
  }
  return { protectedTasks, failures };
}
