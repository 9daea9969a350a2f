/** DeleteSchedule: the schedule and its firing state go in one transaction; nothing fires after. */
import type { DeleteScheduleInput, DeleteScheduleOutput } from '@aws-sdk/client-scheduler';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import { DEFAULT_GROUP, scheduleKey } from '../model/schedules.ts';
import type { SchedulerContext } from './scheduler-service.ts';
import { requireGroup, requireSchedule } from './scheduler-records.ts';
import { checkClientToken, checkName } from './validate-schedule.ts';

export async function deleteSchedule(
  ctx: SchedulerContext,
  input: Wire<DeleteScheduleInput>,
  _request: RequestContext,
): Promise<DeleteScheduleOutput> {
  checkName('name', input.Name);
  checkName('groupName', input.GroupName);
  checkClientToken(input.ClientToken);
  const group = input.GroupName ?? DEFAULT_GROUP;
  const name = input.Name!;
  await ctx.store.transact(async (tx) => {
    await requireGroup(tx, group);
    const { version } = await requireSchedule(tx, group, name);
    await tx.remove(Kind.SchedulerSchedule, scheduleKey(group, name), version);
    await tx.remove(Kind.SchedulerRun, scheduleKey(group, name));
  });
  return {};
}
