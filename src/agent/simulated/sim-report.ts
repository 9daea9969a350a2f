/** The TaskReport a SIMULATED task sends, shaped as the Docker engine's reports (src/agent/engine/report.ts). */
import type { ContainerReport, TaskReport } from '../../core/agent-protocol.ts';
import { trimReason } from '../docker/errors.ts';
import type { SimContainer, SimHealthStatus, SimTask } from './sim-task.ts';

/** ECS trims task-level reasons to 1024 characters (container reasons to 255). */
const TASK_REASON_MAX = 1024;

function containerReport(c: SimContainer): ContainerReport {
  const report: ContainerReport = { name: c.name, lastStatus: c.status };
  if (c.image) report.image = c.image;
  if (c.health !== undefined) report.healthStatus = c.health;
  // Docker ids, digests and bindings exist once the container was created and started.
  if (c.status === 'RUNNING' || (c.status === 'STOPPED' && c.exitCode !== undefined)) {
    report.runtimeId = c.runtimeId;
    if (c.imageDigest) report.imageDigest = c.imageDigest;
    if (c.bindings.length > 0) report.networkBindings = c.bindings;
  }
  if (c.exitCode !== undefined) report.exitCode = c.exitCode;
  if (c.reason) report.reason = trimReason(c.reason);
  return report;
}

/**
 * Task health as ECS derives it: UNHEALTHY if any essential container with a health check is
 * unhealthy; HEALTHY if every essential container with one is healthy (and there is one); else UNKNOWN.
 */
export function simTaskHealth(task: SimTask): SimHealthStatus {
  const checked = task.containers.filter((c) => c.essential && c.health !== undefined);
  if (checked.some((c) => c.health === 'UNHEALTHY')) return 'UNHEALTHY';
  if (checked.length > 0 && checked.every((c) => c.health === 'HEALTHY')) return 'HEALTHY';
  return 'UNKNOWN';
}

/** The report for the task's current state, `seq` left to the caller. */
export function buildSimReport(task: SimTask): Omit<TaskReport, 'seq'> {
  const report: Omit<TaskReport, 'seq'> = {
    taskArn: task.assignment.taskArn,
    lastStatus: task.status,
    healthStatus: simTaskHealth(task),
    containers: task.containers.map(containerReport),
  };
  const times = ['pullStartedAt', 'pullStoppedAt', 'startedAt', 'stoppingAt', 'executionStoppedAt'] as const;
  for (const key of times) if (task[key] !== undefined) report[key] = task[key];
  // ECS reports the stop cause only once the task is stopping or stopped.
  if (task.status === 'STOPPING' || task.status === 'STOPPED') {
    if (task.stopCode) report.stopCode = task.stopCode;
    if (task.stoppedReason) report.stoppedReason = trimReason(task.stoppedReason, TASK_REASON_MAX);
  }
  return report;
}
