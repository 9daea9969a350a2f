/**
 * Cleanup of a stopped task (ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION after it stopped): its
 * containers, task-scoped volumes, EFS access-point mounts and cgroup are removed. Its state is forgotten only once the
 * control plane acknowledged the final report (so a restart can still resend it), or after ECS's
 * longest wait for that.
 */
import type { EngineContext } from './engine-context.ts';
import { type TaskState, taskIdOf } from './task-state.ts';
import { removeTaskVolumes } from './task-volumes.ts';
import { unmountTaskAccessPoints } from './access-point-mount.ts';

/** The real agent waits up to 72 h for STOPPED to be sent before cleaning up regardless. */
export const ACK_WAIT_MAX_MS = 72 * 60 * 60_000;

export async function removeTaskResources(ctx: EngineContext, task: TaskState): Promise<void> {
  for (const c of task.containers) {
    if (c.runtimeId) await ctx.runtime.removeContainer(c.runtimeId);
  }
  await removeTaskVolumes(
    ctx.runtime,
    task.assignment.taskArn,
    ctx.config.instanceArn,
    task.resources?.volumes ?? [],
  );
  await unmountTaskAccessPoints(ctx.config.dataDir, taskIdOf(task.assignment.taskArn));
  await ctx.cgroups.remove(taskIdOf(task.assignment.taskArn));
}

/** Whether the task's state may be dropped: its final report acknowledged, or waited for long enough. */
export function mayForget(task: TaskState, now: number): boolean {
  if (task.cleanedAt === undefined) return false;
  const finalSeq = task.lastReport?.seq ?? 0;
  return task.ackedSeq >= finalSeq || now - (task.stoppedAt ?? now) >= ACK_WAIT_MAX_MS;
}
