/**
 * TagResource, UntagResource and ListTagsForResource for alarm ARNs (the only CloudWatch resources
 * Longshore has that take tags). Tags live on the alarm record; at most 50 per alarm.
 */
import type {
  ListTagsForResourceInput,
  ListTagsForResourceOutput,
  TagResourceInput,
  UntagResourceInput,
} from '@aws-sdk/client-cloudwatch';
import { ServiceError } from '../../core/errors.ts';
import { Kind } from '../../store/store.ts';
import type { RequestContext } from '../../aws/service.ts';
import { type AlarmRecord, alarmNameOfArn } from '../model/alarm-records.ts';
import { checkTags, MAX_TAGS } from '../model/alarm-validate.ts';
import type { CloudWatchContext } from '../cloudwatch-service.ts';
import { invalidParameter, invalidValue, missingParameter } from '../errors.ts';

function nameOf(ctx: CloudWatchContext, arn: string | undefined): string {
  if (arn === undefined) throw missingParameter('ResourceARN');
  const name = alarmNameOfArn(ctx.partition, arn);
  if (name === undefined) throw invalidParameter(arn, 'ResourceARN');
  return name;
}

const notFound = (arn: string) => new ServiceError('ResourceNotFoundException', `${arn} not found`);

export async function tagResource(
  ctx: CloudWatchContext,
  input: TagResourceInput,
  _request: RequestContext,
): Promise<Record<string, never>> {
  const name = nameOf(ctx, input.ResourceARN);
  const tags = checkTags(input.Tags);
  await ctx.store.transact(async (tx) => {
    const row = await tx.get<AlarmRecord>(Kind.CloudWatchAlarm, name);
    if (!row) throw notFound(input.ResourceARN ?? '');
    const merged = new Map(row.value.tags.map((t) => [t.Key, t.Value]));
    for (const t of tags) merged.set(t.Key, t.Value);
    if (merged.size > MAX_TAGS) throw invalidValue(`An alarm can have at most ${MAX_TAGS} tags.`);
    const next = [...merged].map(([Key, Value]) => ({ Key, Value }));
    await tx.put(Kind.CloudWatchAlarm, name, { ...row.value, tags: next }, row.version);
  });
  return {};
}

export async function untagResource(
  ctx: CloudWatchContext,
  input: UntagResourceInput,
  _request: RequestContext,
): Promise<Record<string, never>> {
  const name = nameOf(ctx, input.ResourceARN);
  const keys = new Set(input.TagKeys ?? []);
  await ctx.store.transact(async (tx) => {
    const row = await tx.get<AlarmRecord>(Kind.CloudWatchAlarm, name);
    if (!row) throw notFound(input.ResourceARN ?? '');
    const next = row.value.tags.filter((t) => !keys.has(t.Key));
    if (next.length !== row.value.tags.length)
      await tx.put(Kind.CloudWatchAlarm, name, { ...row.value, tags: next }, row.version);
  });
  return {};
}

export async function listTagsForResource(
  ctx: CloudWatchContext,
  input: ListTagsForResourceInput,
  _request: RequestContext,
): Promise<ListTagsForResourceOutput> {
  const name = nameOf(ctx, input.ResourceARN);
  const row = await ctx.store.get<AlarmRecord>(Kind.CloudWatchAlarm, name);
  if (!row) throw notFound(input.ResourceARN ?? '');
  return { Tags: row.value.tags };
}
