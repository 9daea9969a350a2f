/** TagLogGroup (deprecated for TagResource): the same tags, by group name. */
import type { TagLogGroupRequest } from '@aws-sdk/client-cloudwatch-logs';
import type { RequestContext } from '../../aws/service.ts';
import { checkGroupName } from '../model/names.ts';
import type { LogsContext } from '../model/records.ts';
import { changeTags } from './group-tags.ts';

export async function tagLogGroup(
  ctx: LogsContext,
  input: TagLogGroupRequest,
  _request: RequestContext,
): Promise<Record<string, never>> {
  checkGroupName(input.logGroupName!);
  await changeTags(ctx, input.logGroupName!, input.tags ?? {}, []);
  return {};
}
