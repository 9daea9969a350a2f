/** CreateLogStream. */
import type { CreateLogStreamRequest } from '@aws-sdk/client-cloudwatch-logs';
import type { RequestContext } from '../../aws/service.ts';
import type { LogsContext } from '../model/records.ts';
import { createLogStream as create } from '../model/streams.ts';

export async function createLogStream(
  ctx: LogsContext,
  input: CreateLogStreamRequest,
  _request: RequestContext,
): Promise<Record<string, never>> {
  await create(ctx, input.logGroupName!, input.logStreamName!);
  return {};
}
