/** PutLogEvents: the rules live in model/put-events.ts; here the wire shape and the ignored sequence token. */
import type { PutLogEventsRequest, PutLogEventsResponse } from '@aws-sdk/client-cloudwatch-logs';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import { checkGroupName, checkStreamName } from '../model/names.ts';
import { putLogEvents as put } from '../model/put-events.ts';
import type { LogsContext } from '../model/records.ts';

export async function putLogEvents(
  ctx: LogsContext,
  input: PutLogEventsRequest,
  _request: RequestContext,
): Promise<Wire<PutLogEventsResponse>> {
  checkGroupName(input.logGroupName!);
  checkStreamName(input.logStreamName!);
  const result = await put(ctx, {
    logGroupName: input.logGroupName!,
    logStreamName: input.logStreamName!,
    logEvents: (input.logEvents ?? []).map((e) => ({ timestamp: e.timestamp!, message: e.message! })),
  });
  // CloudWatch still answers a token (any value is accepted back and ignored).
  return {
    nextSequenceToken: '49039859629778932155813947126583418945049538946417279746',
    ...(result.rejectedLogEventsInfo ? { rejectedLogEventsInfo: result.rejectedLogEventsInfo } : {}),
  };
}
