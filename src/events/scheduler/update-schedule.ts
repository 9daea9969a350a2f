/**
 * UpdateSchedule: replaces every field of the schedule, as Scheduler documents (a member left out
 * goes back to its default). An update that enables the schedule or changes when it runs moves
 * `activeSince`, so nothing it would have fired before the update fires late.
 */
import type { UpdateScheduleInput, UpdateScheduleOutput } from '@aws-sdk/client-scheduler';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import { DEFAULT_GROUP, type ScheduleRecord, scheduleArn, scheduleKey } from '../model/schedules.ts';
import type { SchedulerContext } from './scheduler-service.ts';
import { replayed, requireGroup, requireSchedule } from './scheduler-records.ts';
import { validateSchedule } from './validate-schedule.ts';

export async function updateSchedule(
  ctx: SchedulerContext,
  input: Wire<UpdateScheduleInput>,
  _request: RequestContext,
): Promise<UpdateScheduleOutput> {
  const now = ctx.clock.now();
  const fields = validateSchedule(input, now);
  const name = input.Name!;
  const group = input.GroupName ?? DEFAULT_GROUP;
  const arn = scheduleArn(ctx.partition, group, name);
  return ctx.store.transact(async (tx) => {
    if (await replayed(tx, 'UpdateSchedule', input, now)) return { ScheduleArn: arn };
    await requireGroup(tx, group);
    const { version, value: old } = await requireSchedule(tx, group, name);
    const when = (
      s: Pick<ScheduleRecord, 'scheduleExpression' | 'scheduleExpressionTimezone' | 'startDate'>,
    ) => `${s.scheduleExpression}|${s.scheduleExpressionTimezone ?? ''}|${s.startDate ?? ''}`;
    const rearmed = (fields.state === 'ENABLED' && old.state !== 'ENABLED') || when(fields) !== when(old);
    const record: ScheduleRecord = {
      name,
      groupName: group,
      ...fields,
      creationDate: old.creationDate,
      lastModificationDate: now,
      activeSince: rearmed ? now : old.activeSince,
    };
    await tx.put(Kind.SchedulerSchedule, scheduleKey(group, name), record, version);
    return { ScheduleArn: arn };
  });
}
