/** PutRetentionPolicy: one of CloudWatch's day values; the sweeper deletes what falls out of it. */
import type { PutRetentionPolicyRequest } from '@aws-sdk/client-cloudwatch-logs';
import type { RequestContext } from '../../aws/service.ts';
import { Kind } from '../../store/store.ts';
import { validationFailed } from '../model/errors.ts';
import { getLogGroup } from '../model/groups.ts';
import { checkGroupName } from '../model/names.ts';
import { type LogsContext, logsKeys } from '../model/records.ts';
import { RETENTION_DAYS } from '../model/retention.ts';

export async function putRetentionPolicy(
  ctx: LogsContext,
  input: PutRetentionPolicyRequest,
  _request: RequestContext,
): Promise<Record<string, never>> {
  const name = input.logGroupName!;
  checkGroupName(name);
  const days = input.retentionInDays!;
  if (!(RETENTION_DAYS as readonly number[]).includes(days)) {
    throw validationFailed(
      'retentionInDays',
      days,
      `Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`,
    );
  }
  await ctx.store.transact(async (tx) => {
    const group = await getLogGroup(tx, name);
    await tx.put(Kind.LogGroup, logsKeys.group(name), { ...group, retentionInDays: days });
  });
  return {};
}
