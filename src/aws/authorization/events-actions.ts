/**
 * Amazon EventBridge (prefix `events`), EventBridge Scheduler (`scheduler`) and Application Auto
 * Scaling (`application-autoscaling`). Buses are `event-bus/<name>` (the bus's policy is looked
 * up and evaluated), rules `rule/<name>` on the default bus and `rule/<bus>/<name>` on others;
 * PutEvents is authorized on each entry's bus with `events:source` and `events:detail-type`.
 * Schedules are `schedule/<group>/<name>`. Application Auto Scaling's scalable targets are on
 * `*` (their ARNs carry ids the input does not name).
 */
import { arnIn, type Resource, type ResourceRule, type Scope, type ServiceActions, str } from './types.ts';

const busName = (bus: unknown): string => {
  const b = str(bus) ?? 'default';
  return b.startsWith('arn:') ? b.slice(b.lastIndexOf('/') + 1) : b;
};

export const eventBus = (scope: Scope, bus: unknown): Resource => {
  const given = str(bus);
  const name = busName(bus);
  return {
    arn: given?.startsWith('arn:') ? given : arnIn(scope, 'events', `event-bus/${name}`),
    ref: { type: 'event-bus', id: name },
  };
};

const ruleArn = (scope: Scope, name: string, bus: unknown): string => {
  const b = busName(bus);
  return arnIn(scope, 'events', b === 'default' ? `rule/${name}` : `rule/${b}/${name}`);
};

const rule =
  (member: string): ResourceRule =>
  (input, scope) => {
    const name = str(input[member]);
    if (!name) return ['*'];
    return [name.startsWith('arn:') ? name : ruleArn(scope, name, input.EventBusName)];
  };
const bus =
  (member: string): ResourceRule =>
  (input, scope) => [eventBus(scope, input[member])];
const named =
  (service: string, type: string): ResourceRule =>
  (input, scope) => {
    const name = str(input.Name);
    return [name ? arnIn(scope, service, `${type}/${name}`) : '*'];
  };
const byArn =
  (member: string): ResourceRule =>
  (input) => [str(input[member]) ?? '*'];

const putEvents: ResourceRule = (input, scope) => {
  const entries = (Array.isArray(input.Entries) ? input.Entries : []) as Record<string, unknown>[];
  const byBus = new Map<string, { sources: Set<string>; types: Set<string> }>();
  for (const e of entries) {
    const key = str(e?.EventBusName) ?? 'default';
    const slot = byBus.get(key) ?? { sources: new Set(), types: new Set() };
    if (str(e?.Source)) slot.sources.add(e.Source as string);
    if (str(e?.DetailType)) slot.types.add(e.DetailType as string);
    byBus.set(key, slot);
  }
  return [...byBus].map(([b, keys]) => {
    const r = eventBus(scope, b) as Exclude<Resource, string>;
    return { ...r, context: { 'events:source': [...keys.sources], 'events:detail-type': [...keys.types] } };
  });
};

const targetRoles = (input: Record<string, unknown>) =>
  (Array.isArray(input.Targets) ? input.Targets : [])
    .map((t) => (t as Record<string, unknown>)?.RoleArn)
    .filter((arn) => typeof arn === 'string')
    .map((arn) => ({ arn, service: 'events.amazonaws.com' }));

export const eventsActions: ServiceActions = {
  prefix: 'events',
  operations: {
    CreateEventBus: bus('Name'),
    DescribeEventBus: bus('Name'),
    DeleteEventBus: bus('Name'),
    UpdateEventBus: bus('Name'),
    PutPermission: bus('EventBusName'),
    RemovePermission: bus('EventBusName'),
    PutRule: rule('Name'),
    DescribeRule: rule('Name'),
    DeleteRule: rule('Name'),
    EnableRule: rule('Name'),
    DisableRule: rule('Name'),
    PutTargets: rule('Rule'),
    RemoveTargets: rule('Rule'),
    ListTargetsByRule: rule('Rule'),
    PutEvents: putEvents,
    TagResource: byArn('ResourceARN'),
    UntagResource: byArn('ResourceARN'),
    ListTagsForResource: byArn('ResourceARN'),
    CreateConnection: named('events', 'connection'),
    DescribeConnection: named('events', 'connection'),
    UpdateConnection: named('events', 'connection'),
    DeleteConnection: named('events', 'connection'),
    CreateApiDestination: named('events', 'api-destination'),
    DescribeApiDestination: named('events', 'api-destination'),
    UpdateApiDestination: named('events', 'api-destination'),
    DeleteApiDestination: named('events', 'api-destination'),
  },
  passRoles: { PutTargets: targetRoles },
};

const schedule: ResourceRule = (input, scope) => {
  const name = str(input.Name);
  return [name ? arnIn(scope, 'scheduler', `schedule/${str(input.GroupName) ?? 'default'}/${name}`) : '*'];
};

const scheduleRole = (input: Record<string, unknown>) => {
  const arn = (input.Target as Record<string, unknown> | undefined)?.RoleArn;
  return typeof arn === 'string' ? [{ arn, service: 'scheduler.amazonaws.com' }] : [];
};

export const schedulerActions: ServiceActions = {
  prefix: 'scheduler',
  operations: {
    CreateSchedule: schedule,
    GetSchedule: schedule,
    UpdateSchedule: schedule,
    DeleteSchedule: schedule,
    CreateScheduleGroup: named('scheduler', 'schedule-group'),
    GetScheduleGroup: named('scheduler', 'schedule-group'),
    DeleteScheduleGroup: named('scheduler', 'schedule-group'),
    TagResource: byArn('ResourceArn'),
    UntagResource: byArn('ResourceArn'),
    ListTagsForResource: byArn('ResourceArn'),
  },
  passRoles: { CreateSchedule: scheduleRole, UpdateSchedule: scheduleRole },
};

export const appAutoScalingActions: ServiceActions = {
  prefix: 'application-autoscaling',
  operations: {
    TagResource: byArn('ResourceARN'),
    UntagResource: byArn('ResourceARN'),
    ListTagsForResource: byArn('ResourceARN'),
  },
};
