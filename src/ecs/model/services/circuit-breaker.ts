/**
 * The deployment circuit breaker's rules: its threshold, its texts, and what tripping it does to a
 * deployment list (FAILED and, with rollback, the last COMPLETED deployment PRIMARY again). The
 * service controller decides when it trips (it counts the failed tasks); DescribeServiceDeployments
 * and StopServiceDeployment read the same rules.
 */
import type { WireDeployment } from './deployments.ts';
import { DeploymentStatus, RolloutState } from './deployments.ts';

/**
 * "The deployment circuit breaker has a minimum threshold of 3 and a maximum threshold of 200"
 * and uses 0.5 x desired task count (ServiceDeploymentCircuitBreaker.threshold, API reference;
 * re:Post "ecs-deployment-roll-back-failure": "a threshold range from 3 to 200"). The 2020-2023
 * developer guide had a minimum of 10.
 */
export const BREAKER_MIN_THRESHOLD = 3;
export const BREAKER_MAX_THRESHOLD = 200;
export const BREAKER_DESIRED_FRACTION = 0.5;

/** Examples: desired 1 -> 3; 3 -> 3; 7 -> 4 (3.5 rounds up); 25 -> 13; 1000 -> 200. */
export function failureThreshold(desired: number): number {
  const half = Math.ceil(desired * BREAKER_DESIRED_FRACTION);
  return Math.min(BREAKER_MAX_THRESHOLD, Math.max(BREAKER_MIN_THRESHOLD, half));
}

/** rolloutStateReason of a deployment the breaker failed (as ECS reports it, aws/containers-roadmap#1488). */
export const BREAKER_FAILED_REASON = 'ECS deployment circuit breaker: tasks failed to start.';

/** rolloutStateReason of the deployment a rollback returns to. */
export function rollbackReason(targetId: string): string {
  return `ECS deployment circuit breaker: rolling back to deploymentId ${targetId}.`;
}

/** The deployment to roll back to: the newest other one that COMPLETED (the list is newest first). */
export function rollbackTarget(
  deployments: readonly WireDeployment[],
  failedId: string,
): WireDeployment | undefined {
  return deployments.find((d) => d.id !== failedId && d.rolloutState === RolloutState.Completed);
}

/**
 * The deployment list after `failedId` trips the breaker. Without rollback (or with nothing
 * COMPLETED to return to) the failed deployment stays PRIMARY and launches stop. With rollback
 * the target becomes PRIMARY and IN_PROGRESS again (its surviving tasks are kept as they are),
 * and the failed one becomes ACTIVE so its tasks are replaced. Newest first is kept: the target
 * moves to the front.
 */
export function tripBreaker(
  deployments: readonly WireDeployment[],
  failedId: string,
  how: { rollback: boolean; reason: string; updatedAt: number },
): { deployments: WireDeployment[]; target?: WireDeployment } {
  const { updatedAt } = how;
  const failed = (d: WireDeployment): WireDeployment =>
    d.id === failedId
      ? { ...d, rolloutState: RolloutState.Failed, rolloutStateReason: how.reason, updatedAt }
      : d;
  const target = how.rollback ? rollbackTarget(deployments, failedId) : undefined;
  if (!target) return { deployments: deployments.map(failed) };
  const revived: WireDeployment = {
    ...target,
    status: DeploymentStatus.Primary,
    rolloutState: RolloutState.InProgress,
    rolloutStateReason: rollbackReason(target.id ?? ''),
    failedTasks: 0,
    updatedAt,
  };
  const rest = deployments
    .filter((d) => d.id !== target.id)
    .map((d) => (d.id === failedId ? { ...failed(d), status: DeploymentStatus.Active } : d));
  return { deployments: [revived, ...rest], target: revived };
}
