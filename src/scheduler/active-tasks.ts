/** Which tasks on an instance hold resources and count for groups: those not yet STOPPED. */
import type { InstanceSnapshot, TaskOnInstance } from './types.ts';

/**
 * A task holds its CPU, memory, GPUs and ports from the moment it is placed (PROVISIONING/PENDING)
 * until the agent reports it STOPPED; a task whose desired status is STOPPED still holds them
 * while it is stopping.
 */
export function isActiveTask(task: TaskOnInstance): boolean {
  return task.lastStatus !== 'STOPPED';
}

/** Task groups with at least one active task on the instance, e.g. `service:web`, `family:batch`. */
export function groupsOn(instance: InstanceSnapshot): string[] {
  const groups = new Set<string>();
  for (const task of instance.tasks) if (isActiveTask(task)) groups.add(task.group);
  return [...groups];
}
