/** ListSchedules: every schedule of the account, or of one group, by name prefix and state. */
import type { ListSchedulesInput, ListSchedulesOutput, ScheduleSummary } from '@aws-sdk/client-scheduler';
import { paginate } from '../../aws/pagination.ts';
import type { RequestContext } from '../../aws/service.ts';
import { epochSeconds } from '../../core/clock.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import { groupPrefix, type ScheduleRecord, scheduleArn, validation } from '../model/schedules.ts';
import type { SchedulerContext } from './scheduler-service.ts';
import { requireGroup } from './scheduler-records.ts';
import { checkName, constraint } from './validate-schedule.ts';

const PAGE_LIMITS = { max: 100, default: 100 };

export async function listSchedules(
  ctx: SchedulerContext,
  input: Wire<ListSchedulesInput>,
  _request: RequestContext,
): Promise<Wire<ListSchedulesOutput>> {
  checkName('groupName', input.GroupName);
  checkName('namePrefix', input.NamePrefix);
  if (input.State !== undefined && input.State !== 'ENABLED' && input.State !== 'DISABLED') {
    throw constraint('state', input.State, 'Member must satisfy enum value set: [ENABLED, DISABLED]');
  }
  if (input.GroupName !== undefined) await requireGroup(ctx.store, input.GroupName);
  const records = await ctx.store.list<ScheduleRecord>(
    Kind.SchedulerSchedule,
    input.GroupName !== undefined ? { prefix: groupPrefix(input.GroupName) } : undefined,
  );
  const matching = records.filter(
    ({ value: s }) =>
      s.name.startsWith(input.NamePrefix ?? '') && (input.State === undefined || s.state === input.State),
  );
  const page = paginate(
    matching,
    (r) => r.key,
    { nextToken: input.NextToken, maxResults: input.MaxResults },
    PAGE_LIMITS,
    validation,
  );
  const schedules: Wire<ScheduleSummary>[] = page.items.map(({ value: s }) => ({
    Arn: scheduleArn(ctx.partition, s.groupName, s.name),
    Name: s.name,
    GroupName: s.groupName,
    State: s.state,
    CreationDate: epochSeconds(s.creationDate),
    LastModificationDate: epochSeconds(s.lastModificationDate),
    Target: { Arn: s.target.Arn! },
  }));
  return { Schedules: schedules, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
}
