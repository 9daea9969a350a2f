/**
 * InterruptSpotTask (Longshore's own API, beyond ECS): does to a FARGATE_SPOT task what a Spot
 * interruption does on AWS, so a team can test its handling of one: the task's desired status
 * becomes STOPPED with stop code SpotInterruption and ECS's reason, its containers get SIGTERM
 * and their stopTimeout (up to the two minutes Fargate Spot allows) before SIGKILL, and a service
 * replaces the task as it would on AWS. `longshore spot interrupt` calls it.
 */
import type { Task } from '@aws-sdk/client-ecs';
import { StopCode } from '../core/agent-protocol.ts';
import type { Wire } from '../core/wire.ts';
import type { InputSchema } from '../aws/service.ts';
import type { EcsContext } from '../ecs/model/context.ts';
import { invalidParameter } from '../ecs/model/errors.ts';
import { activeCluster, clusterName, resourceId } from '../ecs/model/lookup.ts';
import { requestStop } from '../ecs/model/tasks/stop-request.ts';
import { findTask } from '../ecs/model/tasks/find-task.ts';
import { taskView } from '../ecs/model/tasks/task-view.ts';
import { requireNonEmpty } from '../ecs/model/validation.ts';
import { Kind } from '../store/store.ts';

/** The stoppedReason ECS gives a task stopped by a Spot interruption. */
export const SPOT_INTERRUPTION_REASON = 'Your Spot Task was interrupted.';

export const InterruptSpotTaskRequest$: InputSchema = [
  3,
  'com.longshore',
  'InterruptSpotTaskRequest',
  0,
  ['cluster', 'task'],
  [0, 0],
];

export interface InterruptSpotTaskInput {
  cluster?: string;
  task?: string;
}

export async function interruptSpotTask(
  ctx: EcsContext,
  input: InterruptSpotTaskInput,
): Promise<{ task: Wire<Task> }> {
  if (typeof input !== 'object' || input === null)
    throw invalidParameter('The request body must be a JSON object.');
  const cluster = clusterName(ctx, input.cluster);
  const ref = requireNonEmpty('task', input.task);
  const task = resourceId(ctx, ref, 'task');
  return ctx.store.transact(async (tx) => {
    await activeCluster(tx, cluster);
    const record = await findTask(tx, cluster, task, ctx.clock.now());
    if (!record) throw invalidParameter('The referenced task was not found.');
    const provider = record.value.task.capacityProviderName;
    if (provider !== 'FARGATE_SPOT') {
      throw invalidParameter(
        `Only FARGATE_SPOT tasks can be interrupted; task ${task.id} runs on ${provider ?? record.value.task.launchType ?? 'EC2'}.`,
      );
    }
    const next = await requestStop(ctx, tx, record.value, {
      stopCode: StopCode.SpotInterruption,
      reason: SPOT_INTERRUPTION_REASON,
    });
    if (next) await tx.put(Kind.Task, record.key, next, record.version);
    return { task: taskView(next ?? record.value) };
  });
}
