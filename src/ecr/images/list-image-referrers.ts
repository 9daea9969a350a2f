/**
 * ListImageReferrers: the artifacts (signatures, SBOMs, attestations) whose `subject` is the given
 * image, the query the registry's referrers API runs (`model/images.ts`'s `referrersOf`). Every
 * image here is ACTIVE: Longshore has no archive storage class.
 */
import type { ListImageReferrersRequest, ListImageReferrersResponse } from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import { blobStoreFor } from '../model/blob-store.ts';
import { referrersOf } from '../model/images.ts';
import type { EcrContext } from '../model/records.ts';
import { getRepository, invalidEnum, invalidParameter } from '../model/repositories.ts';
import { ecrPage } from '../repositories/paging.ts';
import { IMAGE_DIGEST } from './image-view.ts';

const ARTIFACT_STATUSES = ['ACTIVE', 'ARCHIVED', 'ACTIVATING', 'ANY'] as const;

export async function listImageReferrers(
  ctx: EcrContext,
  input: ListImageReferrersRequest,
  _request: RequestContext,
): Promise<Wire<ListImageReferrersResponse>> {
  const digest = input.subjectId!.imageDigest!;
  if (!IMAGE_DIGEST.test(digest)) {
    throw invalidParameter(
      'subjectId.imageDigest',
      "must satisfy regular expression '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'",
    );
  }
  const types = input.filter?.artifactTypes;
  if (types && types.length > 5) {
    throw invalidParameter('filter.artifactTypes', 'Member must have length less than or equal to 5');
  }
  for (const t of types ?? []) {
    if (t.length < 1 || t.length > 255) {
      throw invalidParameter('filter.artifactTypes', 'Member must have length between 1 and 255');
    }
  }
  const status = input.filter?.artifactStatus ?? 'ACTIVE';
  if (!(ARTIFACT_STATUSES as readonly string[]).includes(status)) {
    throw invalidEnum('filter.artifactStatus', status, ARTIFACT_STATUSES);
  }
  const { record: repo } = await getRepository(ctx.store, ctx, input.repositoryName!, input.registryId);
  const all =
    status === 'ACTIVE' || status === 'ANY'
      ? await referrersOf(
          ctx.store,
          blobStoreFor(ctx.registryDir),
          repo.repositoryName,
          digest,
          types && types.length > 0 ? types : undefined,
        )
      : [];
  const page = ecrPage(all, (r) => r.digest, input, { max: 50, default: 20 });
  return {
    referrers: page.items.map((r) => ({ ...r, artifactStatus: 'ACTIVE' })),
    ...(page.nextToken ? { nextToken: page.nextToken } : {}),
  };
}
