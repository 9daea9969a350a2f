/** Builds the TaskReport the control plane sees from a TaskState, and decides whether it changed. */
import type { ContainerReport, ContainerStatus, TaskReport } from '../../core/agent-protocol.ts';
import { trimReason } from '../docker/errors.ts';
import { taskHealth } from './task-mutations.ts';
import type { ContainerKnown, ContainerState, TaskState } from './task-state.ts';

/** ECS trims task-level reasons to 1024 characters (container reasons to 255). */
const TASK_REASON_MAX = 1024;

const CONTAINER_STATUS: Record<ContainerKnown, ContainerStatus> = {
  NONE: 'PENDING',
  PULLED: 'PENDING',
  CREATED: 'PENDING',
  RUNNING: 'RUNNING',
  STOPPED: 'STOPPED',
};

function containerReport(task: TaskState, c: ContainerState): ContainerReport {
  const def = task.assignment.containers.find((a) => a.name === c.name)?.definition;
  const report: ContainerReport = {
    name: c.name,
    lastStatus: CONTAINER_STATUS[c.known],
    image: def?.image,
    healthStatus: def?.healthCheck ? c.health : undefined,
  };
  if (c.runtimeId) report.runtimeId = c.runtimeId;
  if (c.exitCode !== undefined) report.exitCode = c.exitCode;
  if (c.reason) report.reason = trimReason(c.reason);
  if (c.imageDigest) report.imageDigest = c.imageDigest;
  if (c.networkBindings.length > 0) report.networkBindings = c.networkBindings;
  return report;
}

/** The report for the task's current state, with `seq` left for the caller to assign. */
export function buildReport(task: TaskState): Omit<TaskReport, 'seq'> {
  const report: Omit<TaskReport, 'seq'> = {
    taskArn: task.assignment.taskArn,
    lastStatus: task.known,
    healthStatus: taskHealth(task),
    containers: task.containers.map((c) => containerReport(task, c)),
  };
  if (task.stopCode) report.stopCode = task.stopCode;
  if (task.stoppedReason) report.stoppedReason = trimReason(task.stoppedReason, TASK_REASON_MAX);
  const times = ['pullStartedAt', 'pullStoppedAt', 'startedAt', 'stoppingAt', 'executionStoppedAt'] as const;
  for (const key of times) if (task[key] !== undefined) report[key] = task[key];
  // ECS reports stoppedReason/stopCode only once the task is stopping or stopped.
  if (task.known !== 'STOPPING' && task.known !== 'STOPPED') {
    delete report.stopCode;
    delete report.stoppedReason;
  }
  return report;
}

/** Whether `next` says anything the last report did not (seq aside). */
export function reportChanged(last: TaskReport | undefined, next: Omit<TaskReport, 'seq'>): boolean {
  if (!last) return true;
  const { seq: _seq, ...rest } = last;
  return JSON.stringify(rest) !== JSON.stringify(next);
}
