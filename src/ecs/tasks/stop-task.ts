/** StopTask: desired status STOPPED; the task's agent stops its containers and reports STOPPED. */
import type { Wire } from '../../core/wire.ts';
import type { StopTaskRequest, StopTaskResponse } from '@aws-sdk/client-ecs';
import { StopCode } from '../../core/agent-protocol.ts';
import { invalidParameter } from '../model/errors.ts';
import { Kind } from '../../store/store.ts';
import type { EcsContext } from '../model/context.ts';
import { activeCluster, clusterName, resourceId } from '../model/lookup.ts';
import { requireNonEmpty } from '../model/validation.ts';
import { requestStop } from '../model/tasks/stop-request.ts';
import { findTask } from '../model/tasks/find-task.ts';
import { taskView } from '../model/tasks/task-view.ts';

/** ECS's stoppedReason when StopTask is called without a reason. */
export const DEFAULT_STOP_REASON = 'Task stopped by user';

export async function stopTask(
  ctx: EcsContext,
  input: Wire<StopTaskRequest>,
): Promise<Wire<StopTaskResponse>> {
  const cluster = clusterName(ctx, input.cluster);
  const ref = requireNonEmpty('task', input.task);
  if ((input.reason ?? '').length > 255) throw invalidParameter('reason can be at most 255 characters long.');
  const task = resourceId(ctx, ref, 'task');
  return ctx.store.transact(async (tx) => {
    await activeCluster(tx, cluster);
    const record = await findTask(tx, cluster, task, ctx.clock.now());
    if (!record) throw invalidParameter('The referenced task was not found.');
    const next = await requestStop(ctx, tx, record.value, {
      stopCode: StopCode.UserInitiated,
      reason: input.reason || DEFAULT_STOP_REASON,
    });
    if (next) {
      await tx.put(Kind.Task, record.key, next, record.version);
    }
    return { task: taskView(next ?? record.value) };
  });
}
