/**
 * UpdateTaskProtection: turns scale-in protection on (for expiresInMinutes, 120 by default; each
 * call restarts the period) or off for up to 10 service tasks. The service controller skips
 * protected tasks when it scales in or replaces tasks in a deployment.
 */
import type { Wire } from '../../core/wire.ts';
import type {
  Failure,
  ProtectedTask,
  UpdateTaskProtectionRequest,
  UpdateTaskProtectionResponse,
} from '@aws-sdk/client-ecs';
import { invalidParameter } from '../model/errors.ts';
import { Kind } from '../../store/store.ts';
import type { EcsContext } from '../model/context.ts';
import { activeCluster, clusterName } from '../model/lookup.ts';
import type { TaskRecord } from '../model/records.ts';
import { checkMaxItems, checkRange, requireNonEmpty } from '../model/validation.ts';
import { resolveProtectionTask } from './get-task-protection.ts';
import { protectedTaskView } from '../model/tasks/protection.ts';

/** "If you don't specify the time, then the task is automatically protected for 120 minutes." */
export const DEFAULT_PROTECTION_MINUTES = 120;

export async function updateTaskProtection(
  ctx: EcsContext,
  input: Wire<UpdateTaskProtectionRequest>,
): Promise<Wire<UpdateTaskProtectionResponse>> {
  const cluster = clusterName(ctx, requireNonEmpty('cluster', input.cluster));
  if ((input.tasks ?? []).length === 0) throw invalidParameter('Tasks cannot be empty.');
  checkMaxItems('tasks', input.tasks, 10);
  // Missing required members (cluster, tasks, protectionEnabled) are refused by validateInput.
  checkRange('expiresInMinutes', input.expiresInMinutes, 1, 2880);
  const enabled = input.protectionEnabled === true;
  return ctx.store.transact(async (tx) => {
    await activeCluster(tx, cluster);
    const now = ctx.clock.now();
    const protectedTasks: Wire<ProtectedTask>[] = [];
    const failures: Failure[] = [];
    for (const ref of input.tasks ?? []) {
      const found = await resolveProtectionTask(ctx, tx, cluster, ref);
      if ('failure' in found) {
        failures.push(found.failure);
        continue;
      }
      const { key, version, value } = found.record;
      const protection: TaskRecord['protection'] = enabled
        ? { enabled, expiresAt: now + (input.expiresInMinutes ?? DEFAULT_PROTECTION_MINUTES) * 60_000 }
        : { enabled };
      const next: TaskRecord = { ...value, protection };
      await tx.put(Kind.Task, key, next, version);
      protectedTasks.push(protectedTaskView(next, now));
    }
    return { protectedTasks, failures };
  });
}
