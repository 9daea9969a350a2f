/**
 * CloudWatch alarms as a deployment's failure signal (deploymentConfiguration.alarms): which of a
 * service's alarms count against the deployment in progress, and how long the deployment bakes
 * once steady before it is COMPLETED. Pure; observe.ts reads the alarms.
 *
 * The rules Longshore follows (docs/ecs-deployment-alarms.md):
 * - An alarm counts when it is in ALARM and went there after the rollout began: an alarm already
 *   in ALARM when a deployment starts is ignored for that deployment, as ECS ignores it.
 * - Bake time: `bakeTimeInMinutes` when the configuration sets it; otherwise ECS computes it from
 *   the alarms' configuration, and Longshore takes the longest alarm window among the named
 *   alarms, plus one period: period x (evaluation periods + 1), so an alarm has evaluated one full
 *   window of complete periods over the steady deployment.
 * - Alarm state changes do not reach the service controller through the ECS change feed, so a
 *   deployment watched by alarms is looked at again every ALARM_POLL_MS while it is in progress.
 */

/** One alarm a service names, as the controller reads it. */
export interface DeploymentAlarm {
  name: string;
  /** OK, ALARM, INSUFFICIENT_DATA; undefined when no alarm has that name (it never fires). */
  state?: string;
  /** Epoch ms the alarm last changed state. */
  transitionedAt?: number;
  /** Period x (evaluation periods + 1) (ms); 0 for a composite alarm. */
  windowMs: number;
}

/** How often a deployment watched by alarms is looked at while in progress. */
export const ALARM_POLL_MS = 5_000;

/** The alarms that fail a deployment whose rollout began at `since` (epoch ms). */
export function firingAlarms(alarms: readonly DeploymentAlarm[], since: number): string[] {
  return alarms.filter((a) => a.state === 'ALARM' && (a.transitionedAt ?? 0) >= since).map((a) => a.name);
}

/** How long a steady deployment keeps monitoring its alarms before it completes (ms). */
export function bakeTimeMs(
  bakeTimeInMinutes: number | undefined,
  alarms: readonly DeploymentAlarm[],
): number {
  if (bakeTimeInMinutes !== undefined) return bakeTimeInMinutes * 60_000;
  return Math.max(0, ...alarms.map((a) => a.windowMs));
}

/** rolloutStateReason of a deployment an alarm failed. */
export function alarmFailedReason(id: string, names: readonly string[]): string {
  return `ECS deployment ${id} failed: alarm(s) detected: ${names.join(', ')}.`;
}
