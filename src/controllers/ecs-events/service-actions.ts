/**
 * `ECS Service Action` from the service's own events (the list DescribeServices shows), which the
 * service controller writes in ECS's words: "has reached a steady state." -> SERVICE_STEADY_STATE
 * (and CAPACITY_PROVIDER_STEADY_STATE for a service on capacity providers), "is unable to
 * consistently start tasks successfully." -> SERVICE_TASK_START_IMPAIRED, "was unable to place a
 * task" -> SERVICE_TASK_PLACEMENT_FAILURE with the placement reason. Pure.
 */
import type { ServiceEvent } from '@aws-sdk/client-ecs';
import { type Partition, ResourceType, ecsArn } from '../../core/arn.ts';
import type { Wire } from '../../core/wire.ts';
import type { EventEntry } from '../../events/model/publish-events.ts';
import { FARGATE_CAPACITY_UNAVAILABLE } from '../../ecs/model/fargate/fargate-placement.ts';
import type { ServiceRecord } from '../../ecs/model/records.ts';
import { throttleMessage } from '../service/launch-throttle.ts';
import { messages } from '../service/service-events.ts';
import { DetailType, ECS_SOURCE, EventType, ServiceActionName } from './ecs-source.ts';
import { isoFromSeconds } from './iso-time.ts';

/** ECS's reason when Fargate has no capacity to give ("reason": "RESOURCE:FARGATE"). */
export const FARGATE_RESOURCE_REASON = 'RESOURCE:FARGATE';

/** How `messages.unplacedFargate` gives its reason. */
const STATED = '. Reason: ';

/** The closest instance's clause in ECS's "unable to place" message -> the placement reason. */
const CLOSEST_REASONS: readonly [string, string][] = [
  ['has insufficient CPU units available.', 'RESOURCE:CPU'],
  ['has insufficient memory available.', 'RESOURCE:MEMORY'],
  ['has insufficient GPU units available.', 'RESOURCE:GPU'],
  ['is already using a port required by your task.', 'RESOURCE:PORTS'],
  ['is missing an attribute required by your task.', 'ATTRIBUTE'],
];

/** The actions service event `event` stands for; none for the events that have no action. */
export function serviceActions(
  record: ServiceRecord,
  event: Wire<ServiceEvent>,
  partition: Partition,
): EventEntry[] {
  const s = record.service;
  const name = s.serviceName ?? '';
  const message = event.message ?? '';
  const base = { clusterArn: s.clusterArn, createdAt: isoFromSeconds(event.createdAt ?? 0) };
  const providers = (s.capacityProviderStrategy ?? []).map((p) =>
    ecsArn(partition, ResourceType.CapacityProvider, p.capacityProvider ?? ''),
  );
  const withProviders = providers.length > 0 ? { capacityProviderArns: providers } : {};
  const action = (eventType: string, eventName: string, extra: object = {}): EventEntry => ({
    source: ECS_SOURCE,
    detailType: DetailType.ServiceAction,
    detail: { eventType, eventName, ...base, ...extra },
    resources: s.serviceArn ? [s.serviceArn] : [],
    time: (event.createdAt ?? 0) * 1000,
  });
  if (message === messages.steadyState(name)) {
    const out = [action(EventType.Info, ServiceActionName.SteadyState)];
    if (providers.length > 0)
      out.push(action(EventType.Info, ServiceActionName.CapacityProviderSteadyState, withProviders));
    return out;
  }
  if (message === throttleMessage(name)) return [action(EventType.Warn, ServiceActionName.TaskStartImpaired)];
  const reason = placementReason(name, message);
  if (reason !== undefined) {
    return [action(EventType.Error, ServiceActionName.TaskPlacementFailure, { ...withProviders, reason })];
  }
  return [];
}

/**
 * The reason of an "unable to place a task" message (`messages.unplaced` / `unplacedFargate`), or
 * undefined for any other message. Examples: "... The closest matching container-instance X has
 * insufficient memory available. ..." -> RESOURCE:MEMORY; "... encountered error "AGENT". ..." ->
 * AGENT; "... Reason: No Container Instances were found in your cluster." -> that sentence.
 */
export function placementReason(service: string, message: string): string | undefined {
  const prefix = `(service ${service}) was unable to place a task`;
  if (!message.startsWith(prefix)) return undefined;
  for (const [clause, reason] of CLOSEST_REASONS) if (message.includes(` ${clause}`)) return reason;
  const error = /encountered error "([^"]*)"\./.exec(message);
  if (error) return error[1];
  const rest = message.slice(prefix.length);
  if (rest.startsWith(STATED)) {
    const text = rest.slice(STATED.length);
    if (text.startsWith(FARGATE_CAPACITY_UNAVAILABLE)) return FARGATE_RESOURCE_REASON;
    const end = text.indexOf('. ');
    return end >= 0 ? text.slice(0, end + 1) : text;
  }
  const none = / Reason: (.*)$/.exec(message);
  return none ? none[1] : 'RESOURCE:UNKNOWN';
}
