/** TagResource, UntagResource, ListTagsForResource: tags on schedule groups (Scheduler tags nothing else). */
import type {
  ListTagsForResourceInput,
  ListTagsForResourceOutput,
  Tag,
  TagResourceInput,
  TagResourceOutput,
  UntagResourceInput,
  UntagResourceOutput,
} from '@aws-sdk/client-scheduler';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import { type ScheduleGroupRecord, validation } from '../model/schedules.ts';
import type { SchedulerContext } from './scheduler-service.ts';
import { requireGroup } from './scheduler-records.ts';
import { constraint } from './validate-schedule.ts';

/** Scheduler's limit of tags per resource. */
const MAX_TAGS = 50;
const GROUP_ARN = /^arn:aws(-[a-z]+)?:scheduler:([a-z0-9-]+):(\d{12}):schedule-group\/([0-9a-zA-Z\-_.]+)$/;

/** The tags after adding `added` to `existing` (same key: new value); checks lengths and the limit. */
export function checkTags(added: readonly Tag[], existing: readonly Tag[]): Tag[] {
  const merged = new Map(existing.map((t) => [t.Key!, t.Value!]));
  for (const tag of added) {
    if (tag.Key!.length < 1 || tag.Key!.length > 128) {
      throw constraint('tags.member.key', tag.Key, 'Member must have length less than or equal to 128');
    }
    if (tag.Value!.length > 256) {
      throw constraint('tags.member.value', tag.Value, 'Member must have length less than or equal to 256');
    }
    merged.set(tag.Key!, tag.Value!);
  }
  if (merged.size > MAX_TAGS) throw validation(`A resource can have at most ${MAX_TAGS} tags.`);
  return [...merged].map(([Key, Value]) => ({ Key, Value }));
}

/** The group an ARN names, in this region and account. */
function groupName(ctx: SchedulerContext, arn: string): string {
  const match = GROUP_ARN.exec(arn);
  if (!match) {
    throw constraint(
      'resourceArn',
      arn,
      'Member must satisfy regular expression pattern: ^arn:aws(-[a-z]+)?:scheduler:[a-z0-9\\-]+:\\d{12}:schedule-group\\/[0-9a-zA-Z-_.]+$',
    );
  }
  if (match[2] !== ctx.partition.region || match[3] !== ctx.partition.accountId) {
    throw validation(`The resource ${arn} is not in this account and Region.`);
  }
  return match[4]!;
}

async function updateTags(ctx: SchedulerContext, arn: string, change: (tags: Tag[]) => Tag[]): Promise<void> {
  const name = groupName(ctx, arn);
  await ctx.store.transact(async (tx) => {
    const group = await requireGroup(tx, name);
    const found = await tx.get<ScheduleGroupRecord>(Kind.SchedulerGroup, name);
    const now = ctx.clock.now();
    // `default` gets a record of its own the first time it is tagged.
    const record: ScheduleGroupRecord = {
      ...group,
      creationDate: group.creationDate || now,
      tags: change(group.tags),
      lastModificationDate: now,
    };
    await tx.put(Kind.SchedulerGroup, name, record, found ? found.version : 'absent');
  });
}

export async function tagResource(
  ctx: SchedulerContext,
  input: Wire<TagResourceInput>,
  _request: RequestContext,
): Promise<TagResourceOutput> {
  await updateTags(ctx, input.ResourceArn!, (tags) => checkTags(input.Tags ?? [], tags));
  return {};
}

export async function untagResource(
  ctx: SchedulerContext,
  input: Wire<UntagResourceInput>,
  _request: RequestContext,
): Promise<UntagResourceOutput> {
  const keys = new Set(input.TagKeys ?? []);
  await updateTags(ctx, input.ResourceArn!, (tags) => tags.filter((t) => !keys.has(t.Key!)));
  return {};
}

export async function listTagsForResource(
  ctx: SchedulerContext,
  input: Wire<ListTagsForResourceInput>,
  _request: RequestContext,
): Promise<ListTagsForResourceOutput> {
  const group = await requireGroup(ctx.store, groupName(ctx, input.ResourceArn!));
  return { Tags: group.tags };
}
