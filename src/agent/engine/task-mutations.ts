/**
 * The only ways a TaskState changes. Statuses move forward only: a late or repeated event can
 * never take a container or task back (known, desired and sent are all monotonic).
 */
import { type StopCode, TaskStatusOrder, type TaskStatus } from '../../core/agent-protocol.ts';
import type { Change } from './plan.ts';
import { isEssential } from './plan.ts';
import {
  type ContainerKnown,
  ContainerKnownOrder,
  type ContainerState,
  findContainer,
  type HealthStatus,
  needsNetworkRelease,
  type TaskState,
} from './task-state.ts';

/** Moves `c` to `next` if that is forward; returns whether it moved. */
export function advanceContainer(c: ContainerState, next: ContainerKnown, now: number): boolean {
  if (ContainerKnownOrder.indexOf(next) <= ContainerKnownOrder.indexOf(c.known)) return false;
  c.known = next;
  if (next === 'STOPPED') {
    c.desired = 'STOPPED';
    c.finishedAt ??= now;
  }
  return true;
}

/** Task desired -> STOPPED. The first stop cause wins; later ones do not overwrite it. */
export function requestStop(task: TaskState, now: number, stopCode?: StopCode, reason?: string): void {
  if (task.desired !== 'STOPPED') {
    task.desired = 'STOPPED';
    task.stoppingAt = now;
  }
  task.stopCode ??= stopCode;
  task.stoppedReason ??= reason;
  for (const c of task.containers) c.desired = 'STOPPED';
}

export function applyChange(task: TaskState, change: Change, now: number): void {
  switch (change.type) {
    case 'stop-task':
      requestStop(task, now, change.stopCode, change.reason);
      return;
    case 'container-stopped': {
      const c = findContainer(task, change.container);
      if (c && advanceContainer(c, 'STOPPED', now)) {
        c.reason ??= change.reason;
        c.exitCode ??= change.exitCode;
      }
      return;
    }
    case 'task-stopped':
      advanceTask(task, 'STOPPED', now);
      return;
  }
}

function advanceTask(task: TaskState, next: TaskStatus, now: number): boolean {
  if (TaskStatusOrder.indexOf(next) <= TaskStatusOrder.indexOf(task.known)) return false;
  task.known = next;
  if (next === 'RUNNING') task.startedAt ??= now;
  if (next === 'DEPROVISIONING') task.executionStoppedAt ??= now;
  if (next === 'STOPPED') {
    task.executionStoppedAt ??= now;
    task.stoppedAt ??= now;
  }
  return true;
}

/**
 * Task status from its containers (the real agent's "earliest container status"), forward only:
 * PROVISIONING until task resources exist; STOPPING once it should stop; DEPROVISIONING (awsvpc)
 * once its containers stopped and its network is being released; otherwise PENDING while
 * any container that has not stopped is short of RUNNING, then RUNNING. STOPPED is set by the plan.
 */
export function deriveTaskStatus(task: TaskState, now: number): void {
  if (task.known === 'STOPPED') return;
  if (task.desired === 'STOPPED') {
    if (task.containers.some((c) => c.known === 'RUNNING')) advanceTask(task, 'STOPPING', now);
    else if (needsNetworkRelease(task) && task.containers.every((c) => c.known === 'STOPPED'))
      advanceTask(task, 'DEPROVISIONING', now);
    return;
  }
  if (!task.resources) return;
  const live = task.containers.filter((c) => c.known !== 'STOPPED');
  const allRunning = live.length > 0 && live.every((c) => c.known === 'RUNNING');
  advanceTask(task, allRunning ? 'RUNNING' : 'PENDING', now);
}

/**
 * Task health (ECS): UNHEALTHY if any essential container is unhealthy; HEALTHY if every
 * essential container that has a health check is healthy (and at least one has); else UNKNOWN.
 */
export function taskHealth(task: TaskState): HealthStatus {
  const checked = task.containers.filter(
    (c) =>
      isEssential(task, c) &&
      task.assignment.containers.find((a) => a.name === c.name)?.definition.healthCheck,
  );
  if (checked.some((c) => c.health === 'UNHEALTHY')) return 'UNHEALTHY';
  if (checked.length > 0 && checked.every((c) => c.health === 'HEALTHY')) return 'HEALTHY';
  return 'UNKNOWN';
}

/** Health from Docker; only a running container's health changes. */
export function setHealth(c: ContainerState, health: HealthStatus, now: number): boolean {
  if (c.known !== 'RUNNING' || c.health === health) return false;
  c.health = health;
  c.healthSince = now;
  return true;
}
