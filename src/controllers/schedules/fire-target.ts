/**
 * Invoking a schedule's target for one occurrence. ECS RunTask goes through the injected port
 * with a client token derived from the schedule and the occurrence, so a firing repeated after a
 * crash starts no second task; EventBridge targets write to the event outbox in the caller's
 * transaction (exactly once with the firing's bookkeeping). Every other target fails, visibly.
 */
import { createHash } from 'node:crypto';
import type { RunTaskRequest, RunTaskResponse } from '@aws-sdk/client-ecs';
import type { Partition } from '../../core/arn.ts';
import type { Clock, Rng } from '../../core/clock.ts';
import { ServiceError } from '../../core/errors.ts';
import type { Wire } from '../../core/wire.ts';
import { type EventEntry, publishEvents } from '../../events/model/publish-events.ts';
import { type PendingFiring, type ScheduleRecord, scheduleArn } from '../../events/model/schedules.ts';
import { classifyTarget, SERVED_UNIVERSAL, startedByFor } from '../../events/model/schedules-targets.ts';
import { Kind, type Tx } from '../../store/store.ts';

/** ECS RunTask in a region, as `ecs/tasks/run-task.ts` serves it (wired in `cli/control-plane.ts`). */
export type RunTaskPort = (region: string, input: Wire<RunTaskRequest>) => Promise<Wire<RunTaskResponse>>;

/** A failed invocation: retryable ones are tried again within the retry policy, the others go to the DLQ at once. */
export class TargetError extends Error {
  readonly retryable: boolean;
  constructor(message: string, retryable: boolean) {
    super(message);
    this.name = 'TargetError';
    this.retryable = retryable;
  }
}

export interface FireContext {
  partition: Partition;
  clock: Clock;
  rng: Rng;
  runTask?: RunTaskPort;
}

/** What an invocation does: a step to run outside any transaction (RunTask), or events to write in one. */
export type Invocation =
  | { type: 'call'; call: () => Promise<string> }
  | { type: 'events'; entries: EventEntry[] };

/** The invocation for `pending`; throws TargetError when the target cannot be invoked here at all. */
export function invocationFor(
  ctx: FireContext,
  schedule: ScheduleRecord,
  pending: PendingFiring,
): Invocation {
  const target = schedule.target;
  const kind = classifyTarget(target.Arn!);
  const arn = scheduleArn(ctx.partition, schedule.groupName, schedule.name);
  if (kind?.type === 'ecs') {
    const ecs = target.EcsParameters!;
    const input: Wire<RunTaskRequest> = {
      cluster: kind.cluster,
      taskDefinition: ecs.TaskDefinitionArn!,
      count: ecs.TaskCount ?? 1,
      startedBy: startedByFor(schedule.name),
      ...(ecs.LaunchType ? { launchType: ecs.LaunchType } : {}),
      ...(ecs.CapacityProviderStrategy ? { capacityProviderStrategy: ecs.CapacityProviderStrategy } : {}),
      ...(ecs.Group ? { group: ecs.Group } : {}),
      ...(ecs.PlatformVersion ? { platformVersion: ecs.PlatformVersion } : {}),
      ...(ecs.PlacementConstraints ? { placementConstraints: ecs.PlacementConstraints } : {}),
      ...(ecs.PlacementStrategy ? { placementStrategy: ecs.PlacementStrategy } : {}),
      ...(ecs.PropagateTags ? { propagateTags: ecs.PropagateTags } : {}),
      ...(ecs.ReferenceId ? { referenceId: ecs.ReferenceId } : {}),
      ...(ecs.EnableECSManagedTags !== undefined ? { enableECSManagedTags: ecs.EnableECSManagedTags } : {}),
      ...(ecs.EnableExecuteCommand !== undefined ? { enableExecuteCommand: ecs.EnableExecuteCommand } : {}),
      ...(ecs.Tags
        ? { tags: ecs.Tags.flatMap((map) => Object.entries(map).map(([key, value]) => ({ key, value }))) }
        : {}),
      ...(ecs.NetworkConfiguration?.awsvpcConfiguration
        ? {
            networkConfiguration: {
              awsvpcConfiguration: {
                subnets: ecs.NetworkConfiguration.awsvpcConfiguration.Subnets,
                ...(ecs.NetworkConfiguration.awsvpcConfiguration.SecurityGroups
                  ? { securityGroups: ecs.NetworkConfiguration.awsvpcConfiguration.SecurityGroups }
                  : {}),
                ...(ecs.NetworkConfiguration.awsvpcConfiguration.AssignPublicIp
                  ? { assignPublicIp: ecs.NetworkConfiguration.awsvpcConfiguration.AssignPublicIp }
                  : {}),
              },
            },
          }
        : {}),
      // As for EventBridge's ECS targets, the target's Input is the task's overrides.
      ...(target.Input ? { overrides: parseObject(target.Input) } : {}),
    };
    return { type: 'call', call: () => callRunTask(ctx, kind.region, input, arn, pending) };
  }
  if (kind?.type === 'event-bus') {
    if (kind.region !== ctx.partition.region || kind.accountId !== ctx.partition.accountId) {
      throw new TargetError(`Event bus ${target.Arn} is not in this account and Region.`, false);
    }
    const eb = target.EventBridgeParameters!;
    const detail = target.Input ? parseObject(target.Input) : {};
    return {
      type: 'events',
      entries: [{ source: eb.Source!, detailType: eb.DetailType!, detail, resources: [arn], bus: kind.bus }],
    };
  }
  if (kind?.type === 'universal' && SERVED_UNIVERSAL.has(`${kind.service}:${kind.action}`)) {
    const request = camelKeys(parseObject(target.Input ?? '{}')) as Record<string, unknown>;
    if (kind.service === 'ecs') {
      const input = { startedBy: startedByFor(schedule.name), ...request } as Wire<RunTaskRequest>;
      return { type: 'call', call: () => callRunTask(ctx, ctx.partition.region, input, arn, pending) };
    }
    const entries = (request.entries as Record<string, unknown>[] | undefined) ?? [];
    if (entries.length < 1 || entries.length > 10)
      throw new TargetError('PutEvents takes 1 to 10 Entries.', false);
    return {
      type: 'events',
      entries: entries.map((e) => ({
        source: String(e.source ?? ''),
        detailType: String(e.detailType ?? ''),
        detail: typeof e.detail === 'string' ? parseObject(e.detail) : {},
        resources: Array.isArray(e.resources) ? e.resources.map(String) : [],
        ...(typeof e.eventBusName === 'string' ? { bus: e.eventBusName } : {}),
      })),
    };
  }
  const what =
    kind?.type === 'universal' ? `aws-sdk:${kind.service}:${kind.action}` : (kind?.service ?? target.Arn);
  throw new TargetError(`Target ${target.Arn} (${what}) is not served by Longshore.`, false);
}

/** A token of 64 hex characters: the same for a retried call of one attempt, new for the next attempt. */
export function clientTokenFor(arn: string, pending: PendingFiring): string {
  return createHash('sha256').update(`${arn}|${pending.occurrence}|${pending.attempts}`).digest('hex');
}

async function callRunTask(
  ctx: FireContext,
  region: string,
  input: Wire<RunTaskRequest>,
  arn: string,
  pending: PendingFiring,
): Promise<string> {
  if (!ctx.runTask) throw new TargetError('ECS RunTask is not available to the schedules controller.', false);
  let output: Wire<RunTaskResponse>;
  try {
    output = await ctx.runTask(region, { ...input, clientToken: clientTokenFor(arn, pending) });
  } catch (error) {
    // ECS's client errors (no such cluster, a bad task definition) do not heal by retrying.
    if (error instanceof ServiceError)
      throw new TargetError(`${error.code}: ${error.message}`, error.fault === 'server');
    throw error;
  }
  const started = output.tasks ?? [];
  if (started.length === 0) {
    const reasons = (output.failures ?? []).map((f) => f.reason).join(', ');
    throw new TargetError(`RunTask started no task (${reasons || 'no reason given'}).`, true);
  }
  return started.map((t) => t.taskArn).join(' ');
}

/** Writes the events of an EventBridge invocation; a custom bus must exist. */
export async function writeEvents(tx: Tx, ctx: FireContext, entries: EventEntry[]): Promise<string> {
  for (const entry of entries) {
    const bus = entry.bus ?? 'default';
    if (bus !== 'default' && !(await tx.get(Kind.EventBus, bus))) {
      throw new TargetError(`ResourceNotFoundException: Event bus ${bus} does not exist.`, false);
    }
  }
  const ids = await publishEvents(tx, ctx, entries);
  return ids.join(' ');
}

function parseObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new TargetError('The target Input is not valid JSON.', false);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new TargetError('The target Input must be a JSON object.', false);
  }
  return value as Record<string, unknown>;
}

/** Universal targets take the API's members in either case (`Cluster` or `cluster`); ECS's JSON is camelCase. */
function camelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [
      k.charAt(0).toLowerCase() + k.slice(1),
      camelKeys(v),
    ]),
  );
}
