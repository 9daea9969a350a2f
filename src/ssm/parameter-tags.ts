/**
 * AddTagsToResource, RemoveTagsFromResource and ListTagsForResource for ResourceType `Parameter`
 * (the other resource types answer InvalidResourceType: Longshore has no documents, instances or
 * maintenance windows). At most 50 tags; keys 1 to 128 characters, `aws:` reserved.
 */
import type {
  AddTagsToResourceRequest,
  ListTagsForResourceRequest,
  ListTagsForResourceResult,
  RemoveTagsFromResourceRequest,
} from '@aws-sdk/client-ssm';
import { ServiceError } from '../core/errors.ts';
import type { Wire } from '../core/wire.ts';
import { Kind, type Reader } from '../store/store.ts';
import {
  type ParameterRecord,
  type ParameterTag,
  type SsmContext,
  getParameterRecord,
  parseSelector,
  validation,
} from './model/records.ts';

const MAX_TAGS = 50;
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export function checkTags(tags: unknown): ParameterTag[] {
  if (tags === undefined) return [];
  if (!Array.isArray(tags)) throw validation('Tags must be a list.');
  const byKey = new Map<string, ParameterTag>();
  for (const t of tags as { Key?: unknown; Value?: unknown }[]) {
    if (typeof t?.Key !== 'string' || t.Key.length < 1 || t.Key.length > 128 || !TAG_TEXT.test(t.Key)) {
      throw validation('Tag keys must be 1 to 128 letters, digits, spaces or _.:/=+-@.');
    }
    if (t.Key.toLowerCase().startsWith('aws:')) throw validation('Tag keys starting with aws: are reserved.');
    if (typeof t.Value !== 'string' || t.Value.length > 256 || !TAG_TEXT.test(t.Value)) {
      throw validation('Tag values must be at most 256 letters, digits, spaces or _.:/=+-@.');
    }
    byKey.set(t.Key, { Key: t.Key, Value: t.Value });
  }
  if (byKey.size > MAX_TAGS)
    throw new ServiceError('TooManyTagsError', 'A parameter can have at most 50 tags.');
  return [...byKey.values()];
}

async function findTagged(
  ctx: SsmContext,
  reader: Reader,
  type: unknown,
  id: unknown,
): Promise<ParameterRecord> {
  if (type !== 'Parameter') {
    throw new ServiceError(
      'InvalidResourceType',
      `Longshore tags only parameters, not resources of type ${String(type)}.`,
    );
  }
  if (typeof id !== 'string' || id.length === 0)
    throw new ServiceError('InvalidResourceId', 'The resource ID is not valid.');
  const sel = parseSelector(ctx.partition, id);
  const p = await getParameterRecord(reader, sel.name, sel.fromArn);
  if (!p) {
    throw new ServiceError(
      'InvalidResourceId',
      `The resource ID "${id}" is not valid. Verify the ID and try again.`,
    );
  }
  return p;
}

export async function addTagsToResource(
  ctx: SsmContext,
  input: Wire<AddTagsToResourceRequest>,
): Promise<object> {
  const added = checkTags(input.Tags ?? []);
  await ctx.store.transact(async (tx) => {
    const p = await findTagged(ctx, tx, input.ResourceType, input.ResourceId);
    const byKey = new Map(p.tags.map((t) => [t.Key, t]));
    for (const t of added) byKey.set(t.Key, t);
    if (byKey.size > MAX_TAGS)
      throw new ServiceError('TooManyTagsError', 'A parameter can have at most 50 tags.');
    await tx.put(Kind.SsmParameter, p.name, { ...p, tags: [...byKey.values()] });
  });
  return {};
}

export async function removeTagsFromResource(
  ctx: SsmContext,
  input: Wire<RemoveTagsFromResourceRequest>,
): Promise<object> {
  const keys = input.TagKeys ?? [];
  await ctx.store.transact(async (tx) => {
    const p = await findTagged(ctx, tx, input.ResourceType, input.ResourceId);
    await tx.put(Kind.SsmParameter, p.name, { ...p, tags: p.tags.filter((t) => !keys.includes(t.Key)) });
  });
  return {};
}

export async function listTagsForResource(
  ctx: SsmContext,
  input: Wire<ListTagsForResourceRequest>,
): Promise<Wire<ListTagsForResourceResult>> {
  const p = await findTagged(ctx, ctx.store, input.ResourceType, input.ResourceId);
  return { TagList: p.tags.map((t) => ({ ...t })) };
}
