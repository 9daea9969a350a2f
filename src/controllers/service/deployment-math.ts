/**
 * Rolling-update arithmetic: how many tasks a service may start and stop in one step, within
 * minimumHealthyPercent and maximumPercent, rounded as ECS rounds them.
 */

/**
 * The floor on healthy tasks: ceil(desired x min / 100) ("rounded up to the nearest integer",
 * DeploymentConfiguration.minimumHealthyPercent). 4 tasks at 50% -> 2; 2 tasks at 75% -> 2 (1.5
 * rounds up, so nothing may stop first); 3 tasks at 50% -> 2.
 */
export function minimumHealthy(desired: number, minimumHealthyPercent: number): number {
  return Math.ceil((desired * minimumHealthyPercent) / 100);
}

/**
 * The ceiling on tasks that are PENDING, RUNNING or STOPPING: floor(desired x max / 100)
 * ("rounded down to the nearest integer", DeploymentConfiguration.maximumPercent). 4 tasks at 150%
 * -> 6; 3 tasks at 150% -> 4 (4.5 rounds down); 4 tasks at 100% -> 4.
 */
export function maximumTotal(desired: number, maximumPercent: number): number {
  return Math.floor((desired * maximumPercent) / 100);
}

/** What one step sees, counted over every task of the service that still holds capacity. */
export interface StepCounts {
  /** The service's desired count (the PRIMARY deployment's). */
  desired: number;
  minimumHealthyPercent: number;
  maximumPercent: number;
  /** PENDING or RUNNING tasks of the PRIMARY deployment that are to stay (not unhealthy, not on a draining instance). */
  keep: number;
  /** Tasks desired RUNNING and not yet STOPPED, plus tasks told to stop that have not stopped (they still hold capacity). */
  total: number;
  /** RUNNING tasks that pass their health checks (or have none), of any deployment. */
  healthy: number;
  /** Tasks still moving on their own (PENDING, STOPPING, or unhealthy and free to stop). */
  inFlight: number;
}

/** How many to start for the PRIMARY deployment, and how many healthy tasks may stop. */
export interface StepBudget {
  start: number;
  /** Healthy tasks that may stop this step; unhealthy and pending ones may always stop. */
  stopHealthy: number;
  /** True when min and max leave no room to move (ECS emits its deployment-configuration event). */
  blocked: boolean;
}

/**
 * ECS's documented examples, desired 4:
 * - min 50%, max 100%: total 4 of 4 old, healthy 4. Start 0 (no room under 4), stop 2 (4 - 2).
 *   Once those two have STOPPED (total 2), start 2; when they are healthy (healthy 4), stop the
 *   last 2 old and start 2 more.
 * - min 50%, max 150%: total 4, healthy 4. Start 2 (6 - 4) and stop 2 in the same step; as
 *   the stopped ones free their slots, start the other 2; the last old ones stop as the new
 *   ones turn healthy.
 * - min 100%, max 200%: start 4 at once, stop none until new tasks are healthy (healthy 5 -> 1).
 * - min 100%, max 100%: start 0, stop 0: blocked.
 */
export function stepBudget(c: StepCounts): StepBudget {
  const floor = minimumHealthy(c.desired, c.minimumHealthyPercent);
  const ceiling = maximumTotal(c.desired, c.maximumPercent);
  const want = Math.max(0, c.desired - c.keep);
  const start = Math.max(0, Math.min(want, ceiling - c.total));
  const stopHealthy = Math.max(0, c.healthy - floor);
  return { start, stopHealthy, blocked: want > 0 && start === 0 && stopHealthy === 0 && c.inFlight === 0 };
}
