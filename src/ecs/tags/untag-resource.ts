/** UntagResource: removes tags by key; keys the resource does not have are ignored. */
import type { UntagResourceRequest, UntagResourceResponse } from '@aws-sdk/client-ecs';
import { invalidParameter } from '../model/errors.ts';
import type { EcsContext } from '../model/context.ts';
import { resourceNotFound } from './tag-resource.ts';
import { findTagTarget } from './tag-target.ts';

const KEY_MAX = 128;

export async function untagResource(
  ctx: EcsContext,
  input: UntagResourceRequest,
): Promise<UntagResourceResponse> {
  const tagKeys = input.tagKeys ?? [];
  for (const key of tagKeys) {
    if (key.length < 1 || key.length > KEY_MAX) {
      throw invalidParameter(`Tag key must be between 1 and ${KEY_MAX} characters long: '${key}'.`);
    }
    if (key.toLowerCase().startsWith('aws:')) {
      throw invalidParameter(
        `Tag keys starting with 'aws:' are reserved for AWS use and can't be removed: '${key}'.`,
      );
    }
  }
  await ctx.store.transact(async (tx) => {
    const target = await findTagTarget(ctx, tx, input.resourceArn ?? '', resourceNotFound);
    const remove = new Set(tagKeys);
    const kept = target.tags.filter((t) => !remove.has(t.key ?? ''));
    if (kept.length !== target.tags.length)
      await tx.put(target.kind, target.key, target.withTags(kept), target.version);
  });
  return {};
}
