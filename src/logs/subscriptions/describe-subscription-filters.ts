/** DescribeSubscriptionFilters: a group has none (PutSubscriptionFilter cannot succeed yet). */
import type {
  DescribeSubscriptionFiltersRequest,
  DescribeSubscriptionFiltersResponse,
} from '@aws-sdk/client-cloudwatch-logs';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import { getLogGroup } from '../model/groups.ts';
import { checkGroupName, checkLimit, checkStreamName } from '../model/names.ts';
import type { LogsContext } from '../model/records.ts';

export async function describeSubscriptionFilters(
  ctx: LogsContext,
  input: DescribeSubscriptionFiltersRequest,
  _request: RequestContext,
): Promise<Wire<DescribeSubscriptionFiltersResponse>> {
  checkGroupName(input.logGroupName!);
  if (input.filterNamePrefix !== undefined) checkStreamName(input.filterNamePrefix, 'filterNamePrefix');
  checkLimit(input.limit, 50);
  await getLogGroup(ctx.store, input.logGroupName!);
  return { subscriptionFilters: [] };
}
