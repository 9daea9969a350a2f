/** ListScheduleGroups: the account's schedule groups by name, `default` always among them. */
import type { ListScheduleGroupsInput, ListScheduleGroupsOutput } from '@aws-sdk/client-scheduler';
import { paginate } from '../../aws/pagination.ts';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import { DEFAULT_GROUP, type ScheduleGroupRecord, validation } from '../model/schedules.ts';
import { groupView } from './get-schedule-group.ts';
import type { SchedulerContext } from './scheduler-service.ts';
import { findGroup } from './scheduler-records.ts';
import { checkName } from './validate-schedule.ts';

/** Scheduler's MaxResults range (the model's) and its default page size. */
const PAGE_LIMITS = { max: 100, default: 100 };

export async function listScheduleGroups(
  ctx: SchedulerContext,
  input: Wire<ListScheduleGroupsInput>,
  _request: RequestContext,
): Promise<Wire<ListScheduleGroupsOutput>> {
  checkName('namePrefix', input.NamePrefix);
  const stored = await ctx.store.list<ScheduleGroupRecord>(Kind.SchedulerGroup);
  const groups = stored.map((r) => r.value);
  if (!groups.some((g) => g.name === DEFAULT_GROUP))
    groups.push((await findGroup(ctx.store, DEFAULT_GROUP))!);
  groups.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const matching = groups.filter((g) => g.name.startsWith(input.NamePrefix ?? ''));
  const page = paginate(
    matching,
    (g) => g.name,
    { nextToken: input.NextToken, maxResults: input.MaxResults },
    PAGE_LIMITS,
    validation,
  );
  return {
    ScheduleGroups: page.items.map((g) => groupView(ctx.partition, g)),
    ...(page.nextToken ? { NextToken: page.nextToken } : {}),
  };
}
