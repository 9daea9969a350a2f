/** ListImages: one imageId per tag (digest and tag) and one per untagged image (digest), filtered by tag status. */
import type { ImageIdentifier, ListImagesRequest, ListImagesResponse } from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import type { EcrContext } from '../model/records.ts';
import { getRepository } from '../model/repositories.ts';
import { ecrPage } from '../repositories/paging.ts';
import { readImageFilter } from './image-filters.ts';
import { imagesOf, matchesTagStatus } from './image-view.ts';

export async function listImages(
  ctx: EcrContext,
  input: ListImagesRequest,
  _request: RequestContext,
): Promise<Wire<ListImagesResponse>> {
  const filter = readImageFilter(input.filter);
  const { record } = await getRepository(ctx.store, ctx, input.repositoryName!, input.registryId);
  const ids: ImageIdentifier[] = [];
  if (!filter.none) {
    for (const view of (await imagesOf(ctx.store, record.repositoryName)).values()) {
      if (!matchesTagStatus(view, filter.tagStatus)) continue;
      const digest = view.record.imageDigest;
      if (view.tags.length === 0) ids.push({ imageDigest: digest });
      for (const tag of view.tags) ids.push({ imageDigest: digest, imageTag: tag });
    }
  }
  const page = ecrPage(ids, (id) => `${id.imageDigest}\u0000${id.imageTag ?? ''}`, input);
  return { imageIds: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}
