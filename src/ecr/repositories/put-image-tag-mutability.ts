/** PutImageTagMutability: MUTABLE, IMMUTABLE, or either with exclusion filters. */
import type { PutImageTagMutabilityRequest, PutImageTagMutabilityResponse } from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import { type EcrContext, ecrKeys, type RepositoryRecord } from '../model/records.ts';
import { checkRepositoryName, checkTagMutability, getRepository } from '../model/repositories.ts';

export async function putImageTagMutability(
  ctx: EcrContext,
  input: PutImageTagMutabilityRequest,
  _request: RequestContext,
): Promise<Wire<PutImageTagMutabilityResponse>> {
  const name = input.repositoryName!;
  checkRepositoryName(name);
  const setting = checkTagMutability(
    input.imageTagMutability!,
    input.imageTagMutabilityExclusionFilters as { filterType: string; filter: string }[] | undefined,
  );
  return ctx.store.transact(async (tx) => {
    const { record, version } = await getRepository(tx, ctx, name, input.registryId);
    const { imageTagMutabilityExclusionFilters: _old, ...rest } = record;
    const next: RepositoryRecord = { ...rest, ...setting };
    await tx.put(Kind.EcrRepository, ecrKeys.repository(name), next, version);
    return {
      registryId: record.registryId,
      repositoryName: name,
      imageTagMutability: next.imageTagMutability,
      ...(next.imageTagMutabilityExclusionFilters
        ? { imageTagMutabilityExclusionFilters: next.imageTagMutabilityExclusionFilters }
        : {}),
    } as Wire<PutImageTagMutabilityResponse>;
  });
}
