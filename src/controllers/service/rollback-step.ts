/**
 * The first decision of a pass, before any task moves: does the PRIMARY deployment fail (circuit
 * breaker) or roll back (breaker with rollback, or StopServiceDeployment)? Pure; returns the new
 * deployment list, the bookkeeping, and the events to add.
 */
import { epochSeconds } from '../../core/clock.ts';
import type { ServiceSchedulerState } from '../../ecs/model/records.ts';
import { DeploymentStatus, RolloutState, type WireDeployment } from '../../ecs/model/services/deployments.ts';
import {
  BREAKER_FAILED_REASON,
  failureThreshold,
  tripBreaker,
} from '../../ecs/model/services/circuit-breaker.ts';
import { alarmFailedReason, type DeploymentAlarm, firingAlarms } from './deployment-alarms.ts';
import { isFailure, type ServiceTask } from './service-tasks.ts';
import { messages } from './service-events.ts';

/** rolloutStateReason of a deployment StopServiceDeployment stopped (ROLLBACK or ABORT). */
export function stopRequestReason(id: string, type: 'ROLLBACK' | 'ABORT'): string {
  return type === 'ROLLBACK'
    ? `ECS deployment ${id} stopped by request: rolling back.`
    : `ECS deployment ${id} stopped by request.`;
}

export interface RollbackInput {
  service: string;
  deployments: readonly WireDeployment[];
  tasks: readonly ServiceTask[];
  scheduler: ServiceSchedulerState;
  breaker: { enable: boolean; rollback: boolean };
  /** deploymentConfiguration.alarms when enabled, with the named alarms' states. */
  alarms?: { rollback: boolean; states: readonly DeploymentAlarm[] };
  now: number;
}

export interface RollbackOutput {
  deployments: WireDeployment[];
  scheduler: ServiceSchedulerState;
  events: string[];
  /** The task definition the service returns to, when it rolled back. */
  rolledBackTo?: WireDeployment;
}

/** When the rollout of deployment `d` began (epoch ms): its creation, or the rollback that revived it. */
export function rolloutSince(d: WireDeployment, scheduler: ServiceSchedulerState): number {
  return scheduler.rolloutStartedAt?.[d.id ?? ''] ?? (d.createdAt ?? 0) * 1000;
}

export function rollbackStep(input: RollbackInput): RollbackOutput {
  const scheduler = { ...input.scheduler };
  const primary = input.deployments.find((d) => d.status === DeploymentStatus.Primary);
  const out: RollbackOutput = { deployments: [...input.deployments], scheduler, events: [] };
  if (!primary?.id) return out;
  const id = primary.id;
  const requested = scheduler.stopRequested?.[id];
  if (primary.rolloutState !== RolloutState.InProgress) {
    if (requested) scheduler.stopRequested = without(scheduler.stopRequested, id);
    return out;
  }
  const failures = countFailures(id, rolloutSince(primary, scheduler), input.tasks);
  if (failures !== primary.failedTasks) {
    out.deployments = out.deployments.map((d) => (d.id === id ? { ...d, failedTasks: failures } : d));
  }
  const tripped = input.breaker.enable && failures >= failureThreshold(primary.desiredCount ?? 0);
  const alarmed = input.alarms ? firingAlarms(input.alarms.states, rolloutSince(primary, scheduler)) : [];
  if (!tripped && !requested && alarmed.length === 0) return out;
  const reason = requested
    ? stopRequestReason(id, requested)
    : tripped
      ? BREAKER_FAILED_REASON
      : alarmFailedReason(id, alarmed);
  const rollback = requested
    ? requested === 'ROLLBACK'
    : tripped
      ? input.breaker.rollback
      : input.alarms?.rollback === true;
  const { deployments, target } = tripBreaker(out.deployments, id, {
    rollback,
    reason,
    updatedAt: epochSeconds(input.now),
  });
  out.deployments = deployments;
  if (!requested)
    out.events.push(
      tripped ? messages.failed(input.service, id) : messages.alarmFailed(input.service, id, alarmed),
    );
  scheduler.stopRequested = without(scheduler.stopRequested, id);
  scheduler.finishedAt = { ...scheduler.finishedAt, [id]: input.now };
  if (target?.id) {
    out.events.push(messages.rollingBack(input.service, target.id));
    out.rolledBackTo = target;
    scheduler.rolloutStartedAt = { ...scheduler.rolloutStartedAt, [target.id]: input.now };
    scheduler.finishedAt = without(scheduler.finishedAt, target.id);
    scheduler.rollbacks = {
      ...scheduler.rollbacks,
      [id]: { targetId: target.id, reason, startedAt: input.now },
    };
  }
  return out;
}

function without<T>(record: Record<string, T> | undefined, key: string): Record<string, T> | undefined {
  if (!record || !(key in record)) return record;
  const { [key]: _dropped, ...rest } = record;
  return Object.keys(rest).length > 0 ? rest : undefined;
}

/**
 * Failed tasks of `deploymentId` created since its rollout began (epoch ms), counted from the
 * stopped tasks themselves so that a pass run twice (or after a crash) counts each task once.
 * Unlike ECS, the count does not reset once a task has run: a deployment whose tasks crash after
 * reaching RUNNING fails too (aws/containers-roadmap#1206).
 */
export function countFailures(deploymentId: string, since: number, tasks: readonly ServiceTask[]): number {
  return tasks.filter((t) => t.deploymentId === deploymentId && t.createdAt >= since && isFailure(t)).length;
}
