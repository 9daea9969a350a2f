/** TagResource: adds or replaces tags on a cluster, task definition, service, task or container instance. */
import type { TagResourceRequest, TagResourceResponse } from '@aws-sdk/client-ecs';
import { ServiceError } from '../../core/errors.ts';
import { EcsErrorCode, invalidParameter } from '../model/errors.ts';
import type { EcsContext } from '../model/context.ts';
import { findTagTarget } from './tag-target.ts';
import { MAX_TAGS, mergeTags, validateTags } from '../model/tag-rules.ts';

/** ECS's text for a resource that does not exist (the ResourceNotFoundException shape's own). */
export const RESOURCE_NOT_FOUND = "The specified resource wasn't found.";

/** ECS's ResourceNotFoundException, for TagResource and UntagResource. */
export function resourceNotFound(): ServiceError {
  return new ServiceError(EcsErrorCode.ResourceNotFound, RESOURCE_NOT_FOUND);
}

/**
 * Same-key tags are replaced, others are kept. The merged set may hold at most 50 tags; tags
 * whose key starts with `aws:` (set by AWS, never by callers) do not count, as ECS documents.
 */
export async function tagResource(ctx: EcsContext, input: TagResourceRequest): Promise<TagResourceResponse> {
  validateTags(input.tags);
  await ctx.store.transact(async (tx) => {
    const target = await findTagTarget(ctx, tx, input.resourceArn ?? '', resourceNotFound);
    const merged = mergeTags(target.tags, input.tags ?? []);
    const counted = merged.filter((t) => !(t.key ?? '').toLowerCase().startsWith('aws:')).length;
    if (counted > MAX_TAGS) {
      throw invalidParameter(
        `A resource can have at most ${MAX_TAGS} tags; ${input.resourceArn} would have ${counted}. Remove tags with UntagResource first.`,
      );
    }
    await tx.put(target.kind, target.key, target.withTags(merged), target.version);
  });
  return {};
}
