/** ListTagsLogGroup (deprecated for ListTagsForResource). */
import type { ListTagsLogGroupRequest, ListTagsLogGroupResponse } from '@aws-sdk/client-cloudwatch-logs';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import { checkGroupName } from '../model/names.ts';
import type { LogsContext } from '../model/records.ts';
import { readTags } from './group-tags.ts';

export async function listTagsLogGroup(
  ctx: LogsContext,
  input: ListTagsLogGroupRequest,
  _request: RequestContext,
): Promise<Wire<ListTagsLogGroupResponse>> {
  checkGroupName(input.logGroupName!);
  return { tags: await readTags(ctx, input.logGroupName!) };
}
