/** ListScheduleGroups: the schedule groups of the account; there is always the `default` group. */
import type {
  ListScheduleGroupsInput,
  ListScheduleGroupsOutput,
  ScheduleGroupSummary,
} from '@aws-sdk/client-scheduler';
import { paginate } from '../../aws/pagination.ts';
import type { RequestContext } from '../../aws/service.ts';
import { ServiceError } from '../../core/errors.ts';
import type { SchedulerContext } from './scheduler-service.ts';
import { AwsErrorCode } from '../../aws/errors.ts';

/** Scheduler's MaxResults range (the model's) and its default page size. */
const PAGE_LIMITS = { max: 100, default: 100 };

/**
 * Until CreateScheduleGroup exists, the only group is `default`, which every account has and
 * which can be neither created nor deleted. Its dates are left out: Longshore keeps no record of
 * when the account began, and both members are optional.
 */
export async function listScheduleGroups(
  ctx: SchedulerContext,
  input: ListScheduleGroupsInput,
  _request: RequestContext,
): Promise<ListScheduleGroupsOutput> {
  const { region, accountId } = ctx.partition;
  const groups: ScheduleGroupSummary[] = [
    {
      Name: 'default',
      Arn: `arn:aws:scheduler:${region}:${accountId}:schedule-group/default`,
      State: 'ACTIVE',
    },
  ];
  const matching = groups.filter((g) => g.Name!.startsWith(input.NamePrefix ?? ''));
  const page = paginate(
    matching,
    (g) => g.Name!,
    { nextToken: input.NextToken, maxResults: input.MaxResults },
    PAGE_LIMITS,
    (message) => new ServiceError(AwsErrorCode.Validation, message),
  );
  return { ScheduleGroups: page.items, NextToken: page.nextToken };
}
