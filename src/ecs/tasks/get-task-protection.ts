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
import type { EcsContext } from '../context.ts';
import { activeCluster, clusterName, resourceId } from '../lookup.ts';
import { keys, type TaskRecord } from '../records.ts';
import { checkMaxItems, requireNonEmpty } from '../validation.ts';
import { isExpired } from './task-view.ts';

/** Enabled and not yet expired: the service scheduler must not scale the task in. */
export function isProtected(record: TaskRecord, now: number): boolean {
  const p = record.protection;
  return p?.enabled === true && (p.expiresAt === undefined || p.expiresAt > now);
}

export function protectedTaskView(record: TaskRecord, now: number): Wire<ProtectedTask> {
  const enabled = isProtected(record, now);
  const view: Wire<ProtectedTask> = { taskArn: record.task.taskArn, protectionEnabled: enabled };
  const expiresAt = record.protection?.expiresAt;
  if (enabled && expiresAt !== undefined) view.expirationDate = expiresAt / 1000;
  return view;
}

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
  const { id, cluster: named } = resourceId(ctx, ref, 'task');
  const arn = ref.startsWith('arn:') ? ref : taskArn(ctx.partition, cluster, id);
  const record =
    named && named !== cluster ? undefined : await reader.get<TaskRecord>(Kind.Task, keys.task(cluster, id));
  if (!record || isExpired(record.value, ctx.clock.now())) return { failure: { arn, reason: 'MISSING' } };
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
