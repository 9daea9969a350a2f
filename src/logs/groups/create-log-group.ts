/** CreateLogGroup: a group with its KMS key (recorded), tags, class and deletion protection. */
import type { CreateLogGroupRequest } from '@aws-sdk/client-cloudwatch-logs';
import type { RequestContext } from '../../aws/service.ts';
import { validationFailed } from '../model/errors.ts';
import { createLogGroup as create } from '../model/groups.ts';
import { LOG_GROUP_CLASSES, type LogGroupClass, type LogsContext } from '../model/records.ts';
import { checkTags, MAX_TAGS } from '../tags/tags.ts';

export async function createLogGroup(
  ctx: LogsContext,
  input: CreateLogGroupRequest,
  _request: RequestContext,
): Promise<Record<string, never>> {
  if (input.kmsKeyId !== undefined && input.kmsKeyId.length > 256) {
    throw validationFailed('kmsKeyId', input.kmsKeyId, 'Member must have length less than or equal to 256');
  }
  const logGroupClass = input.logGroupClass;
  if (logGroupClass !== undefined && !(LOG_GROUP_CLASSES as readonly string[]).includes(logGroupClass)) {
    throw validationFailed(
      'logGroupClass',
      logGroupClass,
      `Member must satisfy enum value set: [${LOG_GROUP_CLASSES.join(', ')}]`,
    );
  }
  const tags = input.tags ?? {};
  if (Object.keys(tags).length > MAX_TAGS) {
    throw validationFailed('tags', '{...}', `Member must have length less than or equal to ${MAX_TAGS}`);
  }
  await create(ctx, {
    logGroupName: input.logGroupName!,
    tags: checkTags(tags),
    ...(input.kmsKeyId !== undefined ? { kmsKeyId: input.kmsKeyId } : {}),
    ...(logGroupClass !== undefined ? { logGroupClass: logGroupClass as LogGroupClass } : {}),
    ...(input.deletionProtectionEnabled ? { deletionProtectionEnabled: true } : {}),
  });
  return {};
}
