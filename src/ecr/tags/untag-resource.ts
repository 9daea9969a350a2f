/** UntagResource: removes tags by key from a repository (keys it lacks are ignored). */
import type { UntagResourceRequest, UntagResourceResponse } from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import { type EcrContext, ecrKeys } from '../model/records.ts';
import { getRepository } from '../model/repositories.ts';
import { repositoryNameOfArn } from './resource-tags.ts';

export async function untagResource(
  ctx: EcrContext,
  input: UntagResourceRequest,
  _request: RequestContext,
): Promise<Wire<UntagResourceResponse>> {
  const name = repositoryNameOfArn(ctx, input.resourceArn!);
  const keys = new Set(input.tagKeys ?? []);
  return ctx.store.transact(async (tx) => {
    const { record, version } = await getRepository(tx, ctx, name);
    const tags = record.tags.filter((t) => !keys.has(t.Key));
    if (tags.length !== record.tags.length) {
      await tx.put(Kind.EcrRepository, ecrKeys.repository(name), { ...record, tags }, version);
    }
    return {};
  });
}
