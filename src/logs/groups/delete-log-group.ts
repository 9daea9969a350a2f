/** DeleteLogGroup: the group, its streams, metric filters and every event. */
import type { DeleteLogGroupRequest } from '@aws-sdk/client-cloudwatch-logs';
import type { RequestContext } from '../../aws/service.ts';
import { deleteLogGroup as remove } from '../model/groups.ts';
import { checkGroupName } from '../model/names.ts';
import type { LogsContext } from '../model/records.ts';

export async function deleteLogGroup(
  ctx: LogsContext,
  input: DeleteLogGroupRequest,
  _request: RequestContext,
): Promise<Record<string, never>> {
  checkGroupName(input.logGroupName!);
  await remove(ctx, input.logGroupName!);
  return {};
}
