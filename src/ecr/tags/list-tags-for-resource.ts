/** ListTagsForResource: a repository's tags. */
import type { ListTagsForResourceRequest, ListTagsForResourceResponse } from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import type { EcrContext } from '../model/records.ts';
import { getRepository } from '../model/repositories.ts';
import { repositoryNameOfArn } from './resource-tags.ts';

export async function listTagsForResource(
  ctx: EcrContext,
  input: ListTagsForResourceRequest,
  _request: RequestContext,
): Promise<Wire<ListTagsForResourceResponse>> {
  const name = repositoryNameOfArn(ctx, input.resourceArn!);
  const { record } = await getRepository(ctx.store, ctx, name);
  return { tags: record.tags.map((t) => ({ Key: t.Key, Value: t.Value })) };
}
