/** GetScheduleGroup: ACTIVE, or DELETING while the schedules controller removes its schedules. */
import type { GetScheduleGroupInput, GetScheduleGroupOutput } from '@aws-sdk/client-scheduler';
import type { RequestContext } from '../../aws/service.ts';
import type { Partition } from '../../core/arn.ts';
import { epochSeconds } from '../../core/clock.ts';
import type { Wire } from '../../core/wire.ts';
import { groupArn, type ScheduleGroupRecord } from '../model/schedules.ts';
import type { SchedulerContext } from './scheduler-service.ts';
import { requireGroup } from './scheduler-records.ts';
import { checkName } from './validate-schedule.ts';

export async function getScheduleGroup(
  ctx: SchedulerContext,
  input: Wire<GetScheduleGroupInput>,
  _request: RequestContext,
): Promise<Wire<GetScheduleGroupOutput>> {
  checkName('name', input.Name);
  return groupView(ctx.partition, await requireGroup(ctx.store, input.Name!));
}

/**
 * A group as Get/ListScheduleGroups show it. The `default` group has no dates until it is first
 * tagged: Longshore keeps no record of when the account began, and both members are optional.
 */
export function groupView(partition: Partition, g: ScheduleGroupRecord): Wire<GetScheduleGroupOutput> {
  return {
    Arn: groupArn(partition, g.name),
    Name: g.name,
    State: g.state,
    ...(g.creationDate > 0 ? { CreationDate: epochSeconds(g.creationDate) } : {}),
    ...(g.lastModificationDate > 0 ? { LastModificationDate: epochSeconds(g.lastModificationDate) } : {}),
  };
}
