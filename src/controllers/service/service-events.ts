/**
 * Service events: ECS's message texts (developer guide, "Amazon ECS service event messages") and
 * the event list DescribeServices shows: newest first, the 100 most recent, and a message equal to
 * the newest one is not repeated until six hours have passed.
 */
import type { ServiceEvent } from '@aws-sdk/client-ecs';
import { epochSeconds, type Rng } from '../../core/clock.ts';
import type { Wire } from '../../core/wire.ts';
import { ecsFailureReason, Reason, type RejectReason } from '../../scheduler/index.ts';

export const MAX_SERVICE_EVENTS = 100;
/** "duplicate event messages are omitted until either the cause is resolved or six hours passes". */
export const DUPLICATE_EVENT_WINDOW_MS = 6 * 60 * 60 * 1000;

export const messages = {
  steadyState: (s: string) => `(service ${s}) has reached a steady state.`,
  /** "(service web) has started 2 tasks: (task 1a2b...) (task 3c4d...)." */
  started: (s: string, ids: readonly string[]) =>
    `(service ${s}) has started ${ids.length} tasks: ${ids.map((id) => `(task ${id})`).join(' ')}.`,
  stopped: (s: string, ids: readonly string[]) =>
    `(service ${s}) has stopped ${ids.length} running tasks: ${ids.map((id) => `(task ${id})`).join(' ')}.`,
  unhealthy: (s: string, id: string) => `(service ${s}) (task ${id}) failed container health checks.`,
  completed: (s: string, d: string) => `(service ${s}) (deployment ${d}) deployment completed.`,
  failed: (s: string, d: string) =>
    `(service ${s}) (deployment ${d}) deployment failed: tasks failed to start.`,
  alarmFailed: (s: string, d: string, alarms: readonly string[]) =>
    `(service ${s}) (deployment ${d}) deployment failed: alarm(s) detected: ${alarms.join(', ')}.`,
  rollingBack: (s: string, d: string) => `(service ${s}) rolling back to deployment ${d}.`,
  blocked: (s: string) =>
    `(service ${s}) was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.`,
  unplaced: (s: string, closest: string | undefined, reason: string) =>
    closest === undefined
      ? `(service ${s}) was unable to place a task because no container instance met all of its requirements. Reason: No Container Instances were found in your cluster.`
      : `(service ${s}) was unable to place a task because no container instance met all of its requirements. The closest matching container-instance ${closest} ${closestReason(reason)} For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.`,
  /**
   * Longshore's text (ECS documents none): tasks of an Auto Scaling group capacity provider that
   * no instance of its group had room for wait in PROVISIONING while managed scaling adds instances.
   */
  provisioning: (s: string, provider: string, count: number) =>
    `(service ${s}) has ${count} tasks waiting in PROVISIONING for capacity provider ${provider}: no instance of its Auto Scaling group has room; they start when managed scaling adds one.`,
  /** Fargate has no instances to name: ECS gives the reason; Longshore adds what ran out. */
  unplacedFargate: (s: string, reason: string, detail: string) =>
    `(service ${s}) was unable to place a task. Reason: ${reason.replace(/\.$/, '')}.${detail ? ` ${detail}` : ''}`,
} as const;

/** The clause ECS writes about the closest instance, by the scheduler's reject reason. */
function closestReason(reason: string): string {
  switch (reason) {
    case Reason.Cpu:
      return 'has insufficient CPU units available.';
    case Reason.Memory:
      return 'has insufficient memory available.';
    case Reason.Gpu:
      return 'has insufficient GPU units available.';
    case Reason.Ports:
      return 'is already using a port required by your task.';
    case Reason.Attribute:
    case Reason.LaunchType:
      return 'is missing an attribute required by your task.';
    default:
      return `encountered error "${ecsFailureReason(reason as RejectReason)}".`;
  }
}

/** Events to add, oldest first, each a message. */
export function appendEvents(
  events: readonly Wire<ServiceEvent>[],
  added: readonly string[],
  now: number,
  rng: Rng,
): Wire<ServiceEvent>[] {
  let out = [...events];
  for (const message of added) {
    const newest = out[0];
    if (newest?.message === message && now - (newest.createdAt ?? 0) * 1000 < DUPLICATE_EVENT_WINDOW_MS)
      continue;
    out = [{ id: uuid(rng), createdAt: epochSeconds(now), message }, ...out];
  }
  return out.slice(0, MAX_SERVICE_EVENTS);
}

function uuid(rng: Rng): string {
  const h = rng.hex(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
