/** UntagLogGroup (deprecated for UntagResource). */
import type { UntagLogGroupRequest } from '@aws-sdk/client-cloudwatch-logs';
import type { RequestContext } from '../../aws/service.ts';
import { checkGroupName } from '../model/names.ts';
import type { LogsContext } from '../model/records.ts';
import { changeTags } from './group-tags.ts';

export async function untagLogGroup(
  ctx: LogsContext,
  input: UntagLogGroupRequest,
  _request: RequestContext,
): Promise<Record<string, never>> {
  checkGroupName(input.logGroupName!);
  await changeTags(ctx, input.logGroupName!, {}, input.tags ?? []);
  return {};
}
