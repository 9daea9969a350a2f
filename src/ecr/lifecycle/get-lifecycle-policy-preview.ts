/** GetLifecyclePolicyPreview: the images the last preview would expire, filtered and paged. */
import type {
  GetLifecyclePolicyPreviewRequest,
  GetLifecyclePolicyPreviewResponse,
  LifecyclePolicyPreviewResult,
} from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import { readImageFilter } from '../images/image-filters.ts';
import { IMAGE_DIGEST } from '../images/image-view.ts';
import { type LifecyclePreviewRecord, lifecyclePreviewKey } from '../model/lifecycle-preview.ts';
import type { EcrContext } from '../model/records.ts';
import { getRepository, invalidParameter } from '../model/repositories.ts';
import { ecrPage } from '../repositories/paging.ts';
import { lifecyclePreviewNotFound } from './lifecycle-errors.ts';

export async function getLifecyclePolicyPreview(
  ctx: EcrContext,
  input: GetLifecyclePolicyPreviewRequest,
  _request: RequestContext,
): Promise<Wire<GetLifecyclePolicyPreviewResponse>> {
  const { tagStatus } = readImageFilter(input.filter);
  const ids = input.imageIds;
  if (ids !== undefined) {
    if (ids.length < 1 || ids.length > 100)
      throw invalidParameter('imageIds', 'Member must have length between 1 and 100');
    for (const id of ids) {
      if (id.imageDigest !== undefined && !IMAGE_DIGEST.test(id.imageDigest)) {
        throw invalidParameter(
          'imageDigest',
          "must satisfy regular expression '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'",
        );
      }
    }
  }
  const { record } = await getRepository(ctx.store, ctx, input.repositoryName!, input.registryId);
  const stored = await ctx.store.get<LifecyclePreviewRecord>(
    Kind.Meta,
    lifecyclePreviewKey(record.repositoryName),
  );
  if (!stored) throw lifecyclePreviewNotFound(record);
  const preview = stored.value;
  const results = preview.results.filter((r) => {
    if (tagStatus === 'TAGGED' && r.imageTags.length === 0) return false;
    if (tagStatus === 'UNTAGGED' && r.imageTags.length > 0) return false;
    if (ids === undefined) return true;
    return ids.some(
      (id) =>
        (id.imageDigest === undefined || id.imageDigest === r.imageDigest) &&
        (id.imageTag === undefined || r.imageTags.includes(id.imageTag)) &&
        (id.imageDigest !== undefined || id.imageTag !== undefined),
    );
  });
  const keyOf = (r: (typeof results)[number]) =>
    `${r.imagePushedAt.toFixed(3).padStart(20, '0')}\u0000${r.imageDigest}`;
  results.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  const page = ecrPage(results, keyOf, input, {
    max: 100,
    default: 100,
  });
  const shaped: Wire<LifecyclePolicyPreviewResult>[] = page.items.map((r) => ({
    ...(r.imageTags.length > 0 ? { imageTags: r.imageTags } : {}),
    imageDigest: r.imageDigest,
    imagePushedAt: r.imagePushedAt,
    action: { type: 'EXPIRE' },
    appliedRulePriority: r.appliedRulePriority,
  }));
  return {
    registryId: record.registryId,
    repositoryName: record.repositoryName,
    lifecyclePolicyText: preview.lifecyclePolicyText,
    status: preview.status,
    previewResults: shaped,
    summary: { expiringImageTotalCount: preview.results.length },
    ...(page.nextToken ? { nextToken: page.nextToken } : {}),
  } as Wire<GetLifecyclePolicyPreviewResponse>;
}
