/** ListTagsForResource. */
import type {
  ListTagsForResourceRequest,
  ListTagsForResourceResponse,
} from '@aws-sdk/client-cloudwatch-logs';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import type { LogsContext } from '../model/records.ts';
import { groupOfArn, readTags } from './group-tags.ts';

export async function listTagsForResource(
  ctx: LogsContext,
  input: ListTagsForResourceRequest,
  _request: RequestContext,
): Promise<Wire<ListTagsForResourceResponse>> {
  return { tags: await readTags(ctx, groupOfArn(ctx.partition, input.resourceArn!)) };
}
