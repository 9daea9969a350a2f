/** GetSchedule: one schedule as it was created or last updated. */
import type { GetScheduleInput, GetScheduleOutput } from '@aws-sdk/client-scheduler';
import type { RequestContext } from '../../aws/service.ts';
import { epochSeconds } from '../../core/clock.ts';
import type { Wire } from '../../core/wire.ts';
import { DEFAULT_GROUP, type ScheduleRecord, scheduleArn } from '../model/schedules.ts';
import type { SchedulerContext } from './scheduler-service.ts';
import { requireGroup, requireSchedule } from './scheduler-records.ts';
import { checkName } from './validate-schedule.ts';
import type { Partition } from '../../core/arn.ts';

export async function getSchedule(
  ctx: SchedulerContext,
  input: Wire<GetScheduleInput>,
  _request: RequestContext,
): Promise<Wire<GetScheduleOutput>> {
  checkName('name', input.Name);
  checkName('groupName', input.GroupName);
  const group = input.GroupName ?? DEFAULT_GROUP;
  await requireGroup(ctx.store, group);
  const { value } = await requireSchedule(ctx.store, group, input.Name!);
  return scheduleView(ctx.partition, value);
}

/** A schedule as GetSchedule shows it (dates in epoch seconds). */
export function scheduleView(partition: Partition, s: ScheduleRecord): Wire<GetScheduleOutput> {
  return {
    Arn: scheduleArn(partition, s.groupName, s.name),
    Name: s.name,
    GroupName: s.groupName,
    ...(s.description !== undefined ? { Description: s.description } : {}),
    ScheduleExpression: s.scheduleExpression,
    ...(s.scheduleExpressionTimezone !== undefined
      ? { ScheduleExpressionTimezone: s.scheduleExpressionTimezone }
      : {}),
    ...(s.startDate !== undefined ? { StartDate: epochSeconds(s.startDate) } : {}),
    ...(s.endDate !== undefined ? { EndDate: epochSeconds(s.endDate) } : {}),
    State: s.state,
    FlexibleTimeWindow: s.flexibleTimeWindow,
    Target: s.target,
    ActionAfterCompletion: s.actionAfterCompletion,
    ...(s.kmsKeyArn !== undefined ? { KmsKeyArn: s.kmsKeyArn } : {}),
    CreationDate: epochSeconds(s.creationDate),
    LastModificationDate: epochSeconds(s.lastModificationDate),
  };
}
