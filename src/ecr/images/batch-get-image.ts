/** BatchGetImage: the manifests of the named images, from the registry's content store. */
import type { BatchGetImageRequest, BatchGetImageResponse, Image, ImageFailure } from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import { blobStoreFor } from '../model/blob-store.ts';
import type { EcrContext } from '../model/records.ts';
import { getRepository, invalidParameter } from '../model/repositories.ts';
import { batchImageIds, imageFailure, imagesOf, resolveForBatch } from './image-view.ts';

/**
 * Each imageId answers its image (the manifest as stored, with the imageId as asked plus its
 * digest) or a failure; `acceptedMediaTypes` filters by the manifest's media type (Longshore does
 * not convert between manifest formats).
 */
export async function batchGetImage(
  ctx: EcrContext,
  input: BatchGetImageRequest,
  _request: RequestContext,
): Promise<Wire<BatchGetImageResponse>> {
  const ids = batchImageIds(input.imageIds);
  const accepted = input.acceptedMediaTypes;
  if (accepted !== undefined && (accepted.length < 1 || accepted.length > 100)) {
    throw invalidParameter('acceptedMediaTypes', 'Member must have length between 1 and 100');
  }
  const { record } = await getRepository(ctx.store, ctx, input.repositoryName!, input.registryId);
  const images = await imagesOf(ctx.store, record.repositoryName);
  const blobs = blobStoreFor(ctx.registryDir);
  const out: Image[] = [];
  const failures: ImageFailure[] = [];
  for (const id of ids) {
    const view = resolveForBatch(images, id, failures);
    if (!view) continue;
    const image = view.record;
    if (accepted !== undefined && !accepted.includes(image.imageManifestMediaType)) {
      failures.push(
        imageFailure(
          id,
          'ImageNotFound',
          `Requested image's manifest media type ${image.imageManifestMediaType} is not among the accepted media types`,
        ),
      );
      continue;
    }
    const bytes = await blobs.readAll(image.imageDigest);
    if (!bytes) {
      failures.push(imageFailure(id, 'ImageNotFound', 'Requested image not found'));
      continue;
    }
    out.push({
      registryId: record.registryId,
      repositoryName: record.repositoryName,
      imageId: {
        imageDigest: image.imageDigest,
        ...(id.imageTag !== undefined ? { imageTag: id.imageTag } : {}),
      },
      imageManifest: bytes.toString('utf8'),
      imageManifestMediaType: image.imageManifestMediaType,
    });
  }
  return { images: out, failures };
}
