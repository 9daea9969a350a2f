/** CreateScheduleGroup: a named group for schedules, with tags. */
import type { CreateScheduleGroupInput, CreateScheduleGroupOutput } from '@aws-sdk/client-scheduler';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import { conflict, groupArn, type ScheduleGroupRecord } from '../model/schedules.ts';
import type { SchedulerContext } from './scheduler-service.ts';
import { findGroup, replayed } from './scheduler-records.ts';
import { checkTags } from './tags.ts';
import { checkName } from './validate-schedule.ts';

export async function createScheduleGroup(
  ctx: SchedulerContext,
  input: Wire<CreateScheduleGroupInput>,
  _request: RequestContext,
): Promise<CreateScheduleGroupOutput> {
  checkName('name', input.Name);
  const tags = checkTags(input.Tags ?? [], []);
  const name = input.Name!;
  const now = ctx.clock.now();
  const arn = groupArn(ctx.partition, name);
  return ctx.store.transact(async (tx) => {
    if (await replayed(tx, 'CreateScheduleGroup', input, now)) return { ScheduleGroupArn: arn };
    if (await findGroup(tx, name)) throw conflict(`Schedule group ${name} already exists.`);
    const record: ScheduleGroupRecord = {
      name,
      state: 'ACTIVE',
      creationDate: now,
      lastModificationDate: now,
      tags,
    };
    await tx.put(Kind.SchedulerGroup, name, record, 'absent');
    return { ScheduleGroupArn: arn };
  });
}
