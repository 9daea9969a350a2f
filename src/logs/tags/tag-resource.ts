/** TagResource: adds or replaces a log group's tags (up to 50). */
import type { TagResourceRequest } from '@aws-sdk/client-cloudwatch-logs';
import type { RequestContext } from '../../aws/service.ts';
import type { LogsContext } from '../model/records.ts';
import { changeTags, groupOfArn } from './group-tags.ts';

export async function tagResource(
  ctx: LogsContext,
  input: TagResourceRequest,
  _request: RequestContext,
): Promise<Record<string, never>> {
  await changeTags(ctx, groupOfArn(ctx.partition, input.resourceArn!), input.tags ?? {}, []);
  return {};
}
