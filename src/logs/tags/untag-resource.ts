/** UntagResource: removes tags by key (missing keys are ignored, as CloudWatch does). */
import type { UntagResourceRequest } from '@aws-sdk/client-cloudwatch-logs';
import type { RequestContext } from '../../aws/service.ts';
import type { LogsContext } from '../model/records.ts';
import { changeTags, groupOfArn } from './group-tags.ts';

export async function untagResource(
  ctx: LogsContext,
  input: UntagResourceRequest,
  _request: RequestContext,
): Promise<Record<string, never>> {
  await changeTags(ctx, groupOfArn(ctx.partition, input.resourceArn!), {}, input.tagKeys ?? []);
  return {};
}
