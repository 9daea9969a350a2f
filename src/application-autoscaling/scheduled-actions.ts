/**
 * PutScheduledAction, DescribeScheduledActions, DeleteScheduledAction. Putting an existing action
 * changes the members given, except StartTime and EndTime, which are removed when not given (as
 * the API reference says). A rewritten action runs only for occurrences after the rewrite.
 */
import type {
  DeleteScheduledActionRequest,
  DescribeScheduledActionsRequest,
  DescribeScheduledActionsResponse,
  PutScheduledActionRequest,
  ScheduledAction,
} from '@aws-sdk/client-application-auto-scaling';
import { ServiceError } from '../core/errors.ts';
import type { Wire } from '../core/wire.ts';
import { isTimeZone } from '../events/model/schedule-expression.ts';
import { Kind } from '../store/store.ts';
import {
  type AutoScalingContext,
  keys,
  type ScheduledActionRecord,
  scheduledActionArn,
} from './model/records.ts';
import { parseActionSchedule } from './model/scheduled.ts';
import { requireTarget, validation } from './model/targets.ts';
import {
  checkCapacity,
  checkFilter,
  checkName,
  checkNamespace,
  checkTargetId,
  ms,
  page,
  seconds,
} from './input.ts';

/** Application Auto Scaling's quota: scheduled actions per scalable target. */
export const MAX_SCHEDULED_ACTIONS_PER_TARGET = 200;

export async function putScheduledAction(
  ctx: AutoScalingContext,
  input: Wire<PutScheduledActionRequest>,
): Promise<object> {
  const name = checkName('scheduledActionName', input.ScheduledActionName);
  const id = checkTargetId(input);
  if (input.Schedule !== undefined) parseActionSchedule(input.Schedule);
  const timezone = input.Timezone;
  if (timezone !== undefined && !isTimeZone(timezone)) throw validation(`Invalid timezone: ${timezone}`);
  const startTime = input.StartTime !== undefined ? ms(input.StartTime) : undefined;
  const endTime = input.EndTime !== undefined ? ms(input.EndTime) : undefined;
  if (startTime !== undefined && endTime !== undefined && endTime <= startTime) {
    throw validation('EndTime must be after StartTime.');
  }
  const min = checkCapacity('MinCapacity', input.ScalableTargetAction?.MinCapacity);
  const max = checkCapacity('MaxCapacity', input.ScalableTargetAction?.MaxCapacity);
  if (min !== undefined && max !== undefined && min > max) {
    throw validation(`Minimum capacity ${min} cannot be greater than maximum capacity ${max}.`);
  }
  const now = ctx.clock.now();
  await ctx.store.transact(async (tx) => {
    const target = await requireTarget(tx, id.namespace, id.resourceId, id.dimension);
    const key = keys.scheduledAction(target.key, name);
    const existing = (await tx.get<ScheduledActionRecord>(Kind.ScheduledAction, key))?.value;
    const schedule = input.Schedule ?? existing?.schedule;
    if (schedule === undefined) throw validation('Schedule is required to create a scheduled action.');
    if (!existing) {
      const count = (await tx.list(Kind.ScheduledAction, { prefix: keys.inTarget(target.key) })).length;
      if (count >= MAX_SCHEDULED_ACTIONS_PER_TARGET) {
        throw new ServiceError(
          'LimitExceededException',
          `A scalable target can have at most ${MAX_SCHEDULED_ACTIONS_PER_TARGET} scheduled actions.`,
        );
      }
    }
    const nextMin = min ?? (input.ScalableTargetAction ? undefined : existing?.minCapacity);
    const nextMax = max ?? (input.ScalableTargetAction ? undefined : existing?.maxCapacity);
    if (nextMin === undefined && nextMax === undefined) {
      throw validation('ScalableTargetAction must specify MinCapacity, MaxCapacity, or both.');
    }
    const tz = timezone ?? existing?.timezone;
    const record: ScheduledActionRecord = {
      targetKey: target.key,
      name,
      arn: existing?.arn ?? scheduledActionArn(ctx.partition, ctx.rng, id.resourceId, name),
      resourceId: id.resourceId,
      schedule,
      ...(tz !== undefined ? { timezone: tz } : {}),
      ...(startTime !== undefined ? { startTime } : {}),
      ...(endTime !== undefined ? { endTime } : {}),
      ...(nextMin !== undefined ? { minCapacity: nextMin } : {}),
      ...(nextMax !== undefined ? { maxCapacity: nextMax } : {}),
      createdAt: existing?.createdAt ?? now,
      // Occurrences up to now are behind the action: it runs only for later ones.
      ...(existing ? { lastOccurrence: now } : {}),
    };
    await tx.put(Kind.ScheduledAction, key, record);
  });
  return {};
}

function actionView(a: ScheduledActionRecord): Wire<ScheduledAction> {
  const [namespace, , dimension] = a.targetKey.split('|') as [string, string, string];
  return {
    ScheduledActionName: a.name,
    ScheduledActionARN: a.arn,
    ServiceNamespace: namespace as never,
    Schedule: a.schedule,
    ...(a.timezone !== undefined ? { Timezone: a.timezone } : {}),
    ResourceId: a.resourceId,
    ScalableDimension: dimension as never,
    ...(a.startTime !== undefined ? { StartTime: seconds(a.startTime) } : {}),
    ...(a.endTime !== undefined ? { EndTime: seconds(a.endTime) } : {}),
    ScalableTargetAction: {
      ...(a.minCapacity !== undefined ? { MinCapacity: a.minCapacity } : {}),
      ...(a.maxCapacity !== undefined ? { MaxCapacity: a.maxCapacity } : {}),
    },
    CreationTime: seconds(a.createdAt),
  };
}

export async function describeScheduledActions(
  ctx: AutoScalingContext,
  input: Wire<DescribeScheduledActionsRequest>,
): Promise<Wire<DescribeScheduledActionsResponse>> {
  const namespace = checkNamespace(input.ServiceNamespace);
  const { resourceId, dimension } = checkFilter(input);
  const names = input.ScheduledActionNames;
  if (names !== undefined && names.length > 50)
    throw validation('ScheduledActionNames can name at most 50 actions.');
  const all = (
    await ctx.store.list<ScheduledActionRecord>(Kind.ScheduledAction, { prefix: `${namespace}|` })
  ).filter(
    (a) =>
      (resourceId === undefined || a.value.resourceId === resourceId) &&
      (dimension === undefined || a.value.targetKey.endsWith(`|${dimension}`)) &&
      (names === undefined || names.length === 0 || names.includes(a.value.name)),
  );
  const p = page(all, (s) => s.key, input);
  return {
    ScheduledActions: p.items.map((a) => actionView(a.value)),
    ...(p.nextToken ? { NextToken: p.nextToken } : {}),
  };
}

export async function deleteScheduledAction(
  ctx: AutoScalingContext,
  input: Wire<DeleteScheduledActionRequest>,
): Promise<object> {
  const name = checkName('scheduledActionName', input.ScheduledActionName);
  const id = checkTargetId(input);
  await ctx.store.transact(async (tx) => {
    const key = keys.scheduledAction(id.key, name);
    if (!(await tx.remove(Kind.ScheduledAction, key))) {
      throw new ServiceError(
        'ObjectNotFoundException',
        `No scheduled action found for service namespace: ${id.namespace}, resource ID: ${id.resourceId}, scalable dimension: ${id.dimension}, scheduled action name: ${name}`,
      );
    }
  });
  return {};
}
