/** ListTagsForResource: the tags of a cluster, task definition, service, task or container instance. */
import type { ListTagsForResourceRequest, ListTagsForResourceResponse } from '@aws-sdk/client-ecs';
import { invalidParameter } from '../../core/errors.ts';
import type { EcsContext } from '../context.ts';
import { findTagTarget } from './tag-target.ts';

/** ListTagsForResource has no ResourceNotFoundException in ECS's model; a missing resource is a bad parameter. */
function resourceNotFound() {
  return invalidParameter("The specified resource wasn't found.");
}

export async function listTagsForResource(
  ctx: EcsContext,
  input: ListTagsForResourceRequest,
): Promise<ListTagsForResourceResponse> {
  const target = await findTagTarget(ctx, ctx.store, input.resourceArn ?? '', resourceNotFound);
  return { tags: target.tags };
}
