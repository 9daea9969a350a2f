/** ListTagsForResource: the tags of a cluster, task definition, service, task or container instance. */
import type { ListTagsForResourceRequest, ListTagsForResourceResponse } from '@aws-sdk/client-ecs';
import { ResourceType } from '../../core/arn.ts';
import type { ServiceError } from '../../core/errors.ts';
import { clientException } from '../model/errors.ts';
import type { EcsContext } from '../model/context.ts';
import { TASK_DEFINITION_NOT_FOUND } from '../model/task-definition-lookup.ts';
import { RESOURCE_NOT_FOUND } from './tag-resource.ts';
import { findTagTarget } from './tag-target.ts';

/**
 * ListTagsForResource models no ResourceNotFoundException (TagResource and UntagResource do): a
 * missing resource is ECS's ClientException, "specifying an identifier that isn't valid", with
 * the text ECS uses for a task definition it cannot find.
 */
function resourceNotFound(type: string): ServiceError {
  return clientException(
    type === ResourceType.TaskDefinition ? TASK_DEFINITION_NOT_FOUND : RESOURCE_NOT_FOUND,
  );
}

export async function listTagsForResource(
  ctx: EcsContext,
  input: ListTagsForResourceRequest,
): Promise<ListTagsForResourceResponse> {
  const target = await findTagTarget(ctx, ctx.store, input.resourceArn ?? '', resourceNotFound);
  return { tags: target.tags };
}
