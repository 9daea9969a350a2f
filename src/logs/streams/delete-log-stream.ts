/** DeleteLogStream: the stream and its events. */
import type { DeleteLogStreamRequest } from '@aws-sdk/client-cloudwatch-logs';
import type { RequestContext } from '../../aws/service.ts';
import { checkGroupName, checkStreamName } from '../model/names.ts';
import type { LogsContext } from '../model/records.ts';
import { deleteLogStream as remove } from '../model/streams.ts';

export async function deleteLogStream(
  ctx: LogsContext,
  input: DeleteLogStreamRequest,
  _request: RequestContext,
): Promise<Record<string, never>> {
  checkGroupName(input.logGroupName!);
  checkStreamName(input.logStreamName!);
  await remove(ctx, input.logGroupName!, input.logStreamName!);
  return {};
}
