/**
 * One rolling-update step for a REPLICA service, as a pure function of its tasks: how many tasks
 * the PRIMARY deployment starts, and which tasks stop and why. Replacing an old deployment,
 * scaling in, replacing unhealthy tasks and moving tasks off draining instances are all the same
 * step: tasks that are not "kept" are replaced within minimumHealthyPercent and maximumPercent.
 */
import { stepBudget } from './deployment-math.ts';
import { scaleInOrder } from './scale-in-order.ts';
import { HEALTH_CHECK_STOP_REASON, isLive, Phase, type ServiceTask } from './service-tasks.ts';

export interface RollingInput {
  desired: number;
  minimumHealthyPercent: number;
  maximumPercent: number;
  primaryId: string;
  /** Every task of the service that has not STOPPED. */
  tasks: readonly ServiceTask[];
  /** False while the launch throttle holds or the PRIMARY deployment has FAILED. */
  launchesAllowed: boolean;
}

export interface Stop {
  task: ServiceTask;
  reason: string;
}

export interface RollingPlan {
  start: number;
  stops: Stop[];
  /** min and max leave no room to replace anything (ECS's deployment-configuration event). */
  blocked: boolean;
}

/** stoppedReason for tasks the scheduler scales in: "Scaling activity initiated by (deployment ecs-svc/...)". */
export function scalingReason(deploymentId: string): string {
  return `Scaling activity initiated by (deployment ${deploymentId})`;
}

/**
 * Kept: the PRIMARY deployment's live tasks on ACTIVE instances that are not unhealthy, at most
 * `desired` of them. Everything else that is live gets replaced. Unhealthy, pending and
 * not-yet-healthy replaced tasks stop at once (stopping them lowers no healthy count); healthy
 * ones stop only as far as minimumHealthyPercent allows, old deployments first, then tasks on
 * draining instances, then surplus.
 */
export function planRollingStep(input: RollingInput): RollingPlan {
  const live = input.tasks.filter(isLive);
  const stopping = input.tasks.filter((t) => t.phase === Phase.Stopping);
  const candidates = live.filter(
    (t) => t.deploymentId === input.primaryId && !t.onDrainingInstance && !t.unhealthy,
  );
  // Protected tasks are never surplus: scale-in picks among the others, and keeps more than
  // `desired` while too many are protected (a later pass stops them once protection ends).
  const surplus = scaleInOrder(
    candidates.filter((t) => !t.scaleInProtected),
    live,
    Math.max(0, candidates.length - input.desired),
  );
  const surplusIds = new Set(surplus.map((t) => t.id));
  const kept = candidates.filter((t) => !surplusIds.has(t.id));
  const replaced = live.filter((t) => !kept.includes(t));
  // Replaced but protected (an old deployment's, or on a draining instance): holds its place
  // until its protection ends; only failing health checks stops it sooner.
  const stoppable = replaced.filter((t) => t.unhealthy || !t.scaleInProtected);
  const free = stoppable.filter((t) => !t.healthy);
  const budget = stepBudget({
    desired: input.desired,
    minimumHealthyPercent: input.minimumHealthyPercent,
    maximumPercent: input.maximumPercent,
    keep: kept.length,
    total: live.length + stopping.length,
    healthy: live.filter((t) => t.healthy).length,
    inFlight: live.filter((t) => t.phase === Phase.Pending).length + stopping.length + free.length,
  });
  const stops: Stop[] = free.map((t) => ({ task: t, reason: reasonFor(t, input.primaryId) }));
  const healthyReplaced = stoppable.filter((t) => t.healthy);
  const tiers = [
    healthyReplaced.filter((t) => t.deploymentId !== input.primaryId),
    healthyReplaced.filter((t) => t.deploymentId === input.primaryId && t.onDrainingInstance),
    healthyReplaced.filter((t) => surplusIds.has(t.id)),
  ];
  let allowance = budget.stopHealthy;
  for (const tier of tiers) {
    for (const t of scaleInOrder(tier, live, allowance)) {
      stops.push({ task: t, reason: reasonFor(t, input.primaryId) });
      allowance--;
    }
  }
  const start = input.launchesAllowed ? budget.start : 0;
  return { start, stops, blocked: budget.blocked && input.launchesAllowed };
}

function reasonFor(t: ServiceTask, primaryId: string): string {
  if (t.unhealthy) return t.unhealthyReason ?? HEALTH_CHECK_STOP_REASON;
  return scalingReason(t.deploymentId || primaryId);
}
