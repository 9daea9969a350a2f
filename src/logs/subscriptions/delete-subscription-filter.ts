/** DeleteSubscriptionFilter: there are none to delete (see destinations.ts). */
import type { DeleteSubscriptionFilterRequest } from '@aws-sdk/client-cloudwatch-logs';
import type { RequestContext } from '../../aws/service.ts';
import { ServiceError } from '../../core/errors.ts';
import { LogsErrorCode } from '../model/errors.ts';
import { getLogGroup } from '../model/groups.ts';
import { checkGroupName, checkStreamName } from '../model/names.ts';
import type { LogsContext } from '../model/records.ts';

export async function deleteSubscriptionFilter(
  ctx: LogsContext,
  input: DeleteSubscriptionFilterRequest,
  _request: RequestContext,
): Promise<Record<string, never>> {
  checkGroupName(input.logGroupName!);
  checkStreamName(input.filterName!, 'filterName');
  await getLogGroup(ctx.store, input.logGroupName!);
  throw new ServiceError(LogsErrorCode.ResourceNotFound, 'The specified subscription filter does not exist.');
}
