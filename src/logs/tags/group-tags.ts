/** Reading and writing a log group's tags, by ARN (TagResource and friends) or by name (TagLogGroup and friends). */
import type { Partition } from '../../core/arn.ts';
import { ServiceError } from '../../core/errors.ts';
import { Kind } from '../../store/store.ts';
import { groupNameOfArn } from '../identifiers.ts';
import { LogsErrorCode, validationFailed } from '../model/errors.ts';
import { getLogGroup } from '../model/groups.ts';
import { type LogsContext, logsKeys } from '../model/records.ts';
import { mergeTags } from './tags.ts';

const ARN_PATTERN = /^[\w+=/:,.@-]*$/;

/** The group an ARN names; other resources (destinations, delivery sources) do not exist in Longshore. */
export function groupOfArn(p: Partition, arn: string): string {
  if (arn.length < 1 || arn.length > 1011 || !ARN_PATTERN.test(arn)) {
    throw validationFailed(
      'resourceArn',
      arn,
      'Member must satisfy regular expression pattern: [\\w+=/:,.@-]*',
    );
  }
  const name = groupNameOfArn(p, arn);
  if (name === undefined) {
    throw new ServiceError(LogsErrorCode.ResourceNotFound, `The specified resource does not exist: ${arn}`);
  }
  return name;
}

export async function readTags(ctx: LogsContext, name: string): Promise<Record<string, string>> {
  return (await getLogGroup(ctx.store, name)).tags;
}

export async function changeTags(
  ctx: LogsContext,
  name: string,
  add: Record<string, string>,
  remove: readonly string[],
): Promise<void> {
  await ctx.store.transact(async (tx) => {
    const group = await getLogGroup(tx, name);
    const tags = mergeTags(group.tags, add, name);
    for (const key of remove) delete tags[key];
    await tx.put(Kind.LogGroup, logsKeys.group(name), { ...group, tags });
  });
}
