/** DeleteMetricFilter. */
import type { DeleteMetricFilterRequest } from '@aws-sdk/client-cloudwatch-logs';
import type { RequestContext } from '../../aws/service.ts';
import { ServiceError } from '../../core/errors.ts';
import { Kind } from '../../store/store.ts';
import { LogsErrorCode } from '../model/errors.ts';
import { getLogGroup } from '../model/groups.ts';
import { checkGroupName, checkStreamName } from '../model/names.ts';
import { type LogsContext, logsKeys } from '../model/records.ts';

export async function deleteMetricFilter(
  ctx: LogsContext,
  input: DeleteMetricFilterRequest,
  _request: RequestContext,
): Promise<Record<string, never>> {
  const groupName = input.logGroupName!;
  checkGroupName(groupName);
  checkStreamName(input.filterName!, 'filterName');
  await ctx.store.transact(async (tx) => {
    await getLogGroup(tx, groupName);
    const removed = await tx.remove(
      Kind.LogMetricFilter,
      logsKeys.metricFilter(groupName, input.filterName!),
    );
    if (!removed) {
      throw new ServiceError(LogsErrorCode.ResourceNotFound, 'The specified metric filter does not exist.');
    }
  });
  return {};
}
