/** CreateSchedule: a schedule in a group (default `default`); the schedules controller fires it. */
import type { CreateScheduleInput, CreateScheduleOutput } from '@aws-sdk/client-scheduler';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import {
  conflict,
  DEFAULT_GROUP,
  type ScheduleRecord,
  scheduleArn,
  scheduleKey,
} from '../model/schedules.ts';
import type { SchedulerContext } from './scheduler-service.ts';
import { replayed, requireActiveGroup } from './scheduler-records.ts';
import { validateSchedule } from './validate-schedule.ts';

export async function createSchedule(
  ctx: SchedulerContext,
  input: Wire<CreateScheduleInput>,
  _request: RequestContext,
): Promise<CreateScheduleOutput> {
  const now = ctx.clock.now();
  const fields = validateSchedule(input, now);
  const name = input.Name!;
  const group = input.GroupName ?? DEFAULT_GROUP;
  const arn = scheduleArn(ctx.partition, group, name);
  return ctx.store.transact(async (tx) => {
    if (await replayed(tx, 'CreateSchedule', input, now)) return { ScheduleArn: arn };
    await requireActiveGroup(tx, group);
    const key = scheduleKey(group, name);
    if (await tx.get(Kind.SchedulerSchedule, key)) throw conflict(`Schedule ${name} already exists.`);
    const record: ScheduleRecord = {
      name,
      groupName: group,
      ...fields,
      creationDate: now,
      lastModificationDate: now,
      activeSince: now,
    };
    await tx.put(Kind.SchedulerSchedule, key, record, 'absent');
    return { ScheduleArn: arn };
  });
}
