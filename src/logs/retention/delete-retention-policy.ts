/** DeleteRetentionPolicy: the group's events never expire again. */
import type { DeleteRetentionPolicyRequest } from '@aws-sdk/client-cloudwatch-logs';
import type { RequestContext } from '../../aws/service.ts';
import { Kind } from '../../store/store.ts';
import { getLogGroup } from '../model/groups.ts';
import { checkGroupName } from '../model/names.ts';
import { type LogsContext, logsKeys } from '../model/records.ts';

export async function deleteRetentionPolicy(
  ctx: LogsContext,
  input: DeleteRetentionPolicyRequest,
  _request: RequestContext,
): Promise<Record<string, never>> {
  const name = input.logGroupName!;
  checkGroupName(name);
  await ctx.store.transact(async (tx) => {
    const { retentionInDays: _, ...group } = await getLogGroup(tx, name);
    await tx.put(Kind.LogGroup, logsKeys.group(name), group);
  });
  return {};
}
