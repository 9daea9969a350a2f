/**
 * Deployment status from the tasks: per-deployment counts, old deployments going INACTIVE once
 * their last task has STOPPED, and the PRIMARY completing when the service is steady. Pure.
 */
import { epochSeconds } from '../../core/clock.ts';
import { DeploymentStatus, RolloutState, type WireDeployment } from '../../ecs/model/services/deployments.ts';
import { messages } from './service-events.ts';
import { Phase, type ServiceTask } from './service-tasks.ts';

/** INACTIVE deployments kept in the record (never described; a rollback may return to one). */
export const INACTIVE_HISTORY = 5;

export function completedReason(id: string): string {
  return `ECS deployment ${id} completed.`;
}

export interface StatusInput {
  service: string;
  deployments: readonly WireDeployment[];
  /** Every known task of the service, after this pass's starts and stops. */
  tasks: readonly ServiceTask[];
  /** The service's desired count; 0 while it drains. */
  desired: number;
  /**
   * With deployment alarms: how long a steady PRIMARY keeps IN_PROGRESS before it completes, and
   * since when it has been steady (epoch ms; undefined when it was not steady at the last pass).
   */
  bake?: { ms: number; steadySince?: number };
  now: number;
}

export interface StatusOutput {
  deployments: WireDeployment[];
  /** Event messages, oldest first. */
  events: string[];
  /** One visible deployment, exactly `desired` healthy tasks, nothing pending or stopping. */
  steady: boolean;
  /** With a bake time: when the PRIMARY became steady and is baking (epoch ms), and the ms left. */
  baking?: { since: number; leftMs: number };
}

/**
 * Example, min 100% / max 200%, desired 2, old deployment A with 2 healthy tasks, PRIMARY B with 2
 * healthy tasks and A's tasks now STOPPED: A -> INACTIVE, B -> COMPLETED ("ECS deployment B
 * completed."), events "(deployment B) deployment completed." then "has reached a steady state.".
 */
export function rolloutStatus(input: StatusInput): StatusOutput {
  const at = epochSeconds(input.now);
  const events: string[] = [];
  const live = input.tasks.filter((t) => t.phase !== Phase.Stopped);
  let deployments = input.deployments.map((d) => {
    const own = live.filter((t) => t.deploymentId === d.id);
    const running = own.filter((t) => t.phase === Phase.Running).length;
    const pending = own.filter((t) => t.phase === Phase.Pending).length;
    const next: WireDeployment = { ...d, runningCount: running, pendingCount: pending };
    if (d.status === DeploymentStatus.Active) {
      next.desiredCount = running + pending;
      if (own.length === 0) next.status = DeploymentStatus.Inactive;
    } else if (d.status === DeploymentStatus.Primary) {
      next.desiredCount = input.desired;
    }
    return changed(d, next) ? { ...next, updatedAt: at } : d;
  });
  const primary = deployments.find((d) => d.status === DeploymentStatus.Primary);
  const visible = deployments.filter((d) => d.status !== DeploymentStatus.Inactive);
  const healthy = live.filter((t) => t.healthy && t.deploymentId === primary?.id).length;
  const steady =
    primary !== undefined &&
    primary.rolloutState !== RolloutState.Failed &&
    visible.length === 1 &&
    live.length === input.desired &&
    healthy === input.desired;
  let baking: StatusOutput['baking'];
  if (steady && primary.rolloutState === RolloutState.InProgress && input.bake) {
    const since = input.bake.steadySince ?? input.now;
    const leftMs = since + input.bake.ms - input.now;
    if (leftMs > 0) baking = { since, leftMs };
  }
  if (steady && primary.rolloutState === RolloutState.InProgress && !baking) {
    const id = primary.id ?? '';
    deployments = deployments.map((d) =>
      d === primary
        ? {
            ...d,
            rolloutState: RolloutState.Completed,
            rolloutStateReason: completedReason(id),
            updatedAt: at,
          }
        : d,
    );
    events.push(messages.completed(input.service, id));
  }
  if (steady && !baking) events.push(messages.steadyState(input.service));
  return { deployments: trimHistory(deployments), events, steady, ...(baking ? { baking } : {}) };
}

function changed(a: WireDeployment, b: WireDeployment): boolean {
  return (
    a.runningCount !== b.runningCount ||
    a.pendingCount !== b.pendingCount ||
    a.desiredCount !== b.desiredCount ||
    a.status !== b.status
  );
}

/** Keeps every visible deployment and the newest INACTIVE_HISTORY inactive ones, in list order. */
function trimHistory(deployments: WireDeployment[]): WireDeployment[] {
  let inactive = 0;
  return deployments.filter((d) => d.status !== DeploymentStatus.Inactive || ++inactive <= INACTIVE_HISTORY);
}
