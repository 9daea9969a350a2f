/** TagResource: adds or replaces tags on a repository (named by its ARN). */
import type { TagResourceRequest, TagResourceResponse } from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import { type EcrContext, ecrKeys } from '../model/records.ts';
import { getRepository } from '../model/repositories.ts';
import { checkTags, mergeTags, repositoryNameOfArn } from './resource-tags.ts';

export async function tagResource(
  ctx: EcrContext,
  input: TagResourceRequest,
  _request: RequestContext,
): Promise<Wire<TagResourceResponse>> {
  const name = repositoryNameOfArn(ctx, input.resourceArn!);
  const added = checkTags(input.tags ?? []);
  return ctx.store.transact(async (tx) => {
    const { record, version } = await getRepository(tx, ctx, name);
    const tags = mergeTags(record.tags, added);
    await tx.put(Kind.EcrRepository, ecrKeys.repository(name), { ...record, tags }, version);
    return {};
  });
}
