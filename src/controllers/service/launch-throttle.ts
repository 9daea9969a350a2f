/**
 * ECS's service throttle: when a deployment's tasks keep going from PENDING to STOPPED without
 * ever RUNNING, the time between launches grows, up to a cap. Tasks that reached RUNNING (even if
 * they crash right after) do not count, and a new deployment starts unthrottled
 * (developer guide, "Amazon ECS service throttle logic").
 */
import { failedToStart, Phase, type ServiceTask } from './service-tasks.ts';

/** Consecutive start failures before launches slow down. */
export const THROTTLE_AFTER_FAILURES = 3;
/** The first delay; each further failure doubles it. */
export const THROTTLE_BASE_DELAY_MS = 10_000;
/** "up to a maximum of 27 minutes" (service-throttle-logic, 2024; 15 minutes before that). */
export const THROTTLE_MAX_DELAY_MS = 27 * 60_000;

/** "(service NAME) is unable to consistently start tasks successfully." */
export function throttleMessage(service: string): string {
  return `(service ${service}) is unable to consistently start tasks successfully.`;
}

export interface Throttle {
  /** Consecutive start failures, newest first, up to the first task that did reach RUNNING. */
  failures: number;
  /** Epoch ms before which no task may launch; undefined when not throttled. */
  until?: number;
}

/**
 * Example: the three newest tasks of the deployment all failed to start, the last one stopped at
 * t -> the next launch waits until t + 10 s; a fourth failure -> t4 + 20 s; the ninth and later
 * -> 27 minutes after the last one.
 */
export function launchThrottle(deploymentId: string, tasks: readonly ServiceTask[]): Throttle {
  const own = tasks
    .filter((t) => t.deploymentId === deploymentId)
    .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1));
  let failures = 0;
  let lastStop = 0;
  for (const t of own) {
    if (t.phase !== Phase.Stopped) {
      if (t.record.task.startedAt !== undefined) break;
      continue;
    }
    if (!failedToStart(t)) break;
    failures++;
    lastStop = Math.max(lastStop, (t.record.task.stoppedAt ?? 0) * 1000);
  }
  if (failures < THROTTLE_AFTER_FAILURES) return { failures };
  const delay = Math.min(
    THROTTLE_MAX_DELAY_MS,
    THROTTLE_BASE_DELAY_MS * 2 ** (failures - THROTTLE_AFTER_FAILURES),
  );
  return { failures, until: lastStop + delay };
}
