/**
 * DeleteScheduleGroup: as Scheduler does it, asynchronously: the group turns DELETING at once,
 * and the schedules controller deletes its schedules and then the group itself. The `default`
 * group cannot be deleted.
 */
import type { DeleteScheduleGroupInput, DeleteScheduleGroupOutput } from '@aws-sdk/client-scheduler';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import { DEFAULT_GROUP, notFound, type ScheduleGroupRecord, validation } from '../model/schedules.ts';
import type { SchedulerContext } from './scheduler-service.ts';
import { checkClientToken, checkName } from './validate-schedule.ts';

export async function deleteScheduleGroup(
  ctx: SchedulerContext,
  input: Wire<DeleteScheduleGroupInput>,
  _request: RequestContext,
): Promise<DeleteScheduleGroupOutput> {
  checkName('name', input.Name);
  checkClientToken(input.ClientToken);
  const name = input.Name!;
  if (name === DEFAULT_GROUP) throw validation('The default schedule group cannot be deleted.');
  await ctx.store.transact(async (tx) => {
    const found = await tx.get<ScheduleGroupRecord>(Kind.SchedulerGroup, name);
    if (!found) throw notFound(`Schedule group ${name} does not exist.`);
    if (found.value.state === 'DELETING') return;
    const record: ScheduleGroupRecord = {
      ...found.value,
      state: 'DELETING',
      lastModificationDate: ctx.clock.now(),
    };
    await tx.put(Kind.SchedulerGroup, name, record, found.version);
  });
  return {};
}
