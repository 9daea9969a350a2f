/** Stops the tasks a plan chose, in the reconcile's transaction, as StopTask would (ServiceSchedulerInitiated). */
import { StopCode } from '../../core/agent-protocol.ts';
import type { EcsContext } from '../../ecs/model/context.ts';
import type { TaskRecord } from '../../ecs/model/records.ts';
import { requestStop } from '../../ecs/model/tasks/stop-request.ts';
import { Kind, type Tx } from '../../store/store.ts';
import type { Stop } from './rolling-plan.ts';
import { messages } from './service-events.ts';
import { HEALTH_CHECK_STOP_REASON, Phase } from './service-tasks.ts';

export interface Stopped {
  /** The new records by task key, with their new versions. */
  records: Map<string, { version: number; record: TaskRecord }>;
  /** Event messages, oldest first. */
  events: string[];
}

/**
 * Each task gets desiredStatus STOPPED, stopCode ServiceSchedulerInitiated and the plan's reason;
 * its agent learns through the assignment feed once the transaction commits. Unhealthy tasks get
 * ECS's health-check event each; the rest are summed up in one "has stopped N running tasks".
 */
export async function stopTasks(
  ctx: EcsContext,
  tx: Tx,
  service: string,
  stops: readonly Stop[],
): Promise<Stopped> {
  const records = new Map<string, { version: number; record: TaskRecord }>();
  const events: string[] = [];
  const running: string[] = [];
  for (const { task, reason } of stops) {
    const next = await requestStop(ctx, tx, task.record, {
      stopCode: StopCode.ServiceSchedulerInitiated,
      reason,
    });
    if (!next) continue;
    const version = await tx.put(Kind.Task, task.key, next, task.version);
    records.set(task.key, { version, record: next });
    if (reason === HEALTH_CHECK_STOP_REASON) events.push(messages.unhealthy(service, task.id));
    else if (task.phase === Phase.Running) running.push(task.id);
  }
  if (running.length > 0) events.push(messages.stopped(service, running));
  return { records, events };
}
