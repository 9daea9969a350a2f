/** BatchDeleteImage: untags or deletes images; each imageId that cannot be deleted is a failure. */
import { blobStoreFor } from '../model/blob-store.ts';
import type {
  BatchDeleteImageRequest,
  BatchDeleteImageResponse,
  ImageFailure,
  ImageIdentifier,
} from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind, type Tx } from '../../store/store.ts';
import { type EcrContext, ecrKeys } from '../model/records.ts';
import { getRepository } from '../model/repositories.ts';
import { publishImageAction } from '../model/images.ts';
import { batchImageIds, imageFailure, type ImageView, imagesOf, resolveForBatch } from './image-view.ts';

/**
 * As ECR: an imageId with a tag removes that tag, and the image with it when it was the image's
 * last tag; an imageId with only a digest deletes the image and every tag naming it (one answered
 * imageId per tag). An image that a manifest list (index) in the repository references is not
 * deleted (ImageReferencedByManifestList). Blobs are freed later by the registry's collector.
 */
export async function batchDeleteImage(
  ctx: EcrContext,
  input: BatchDeleteImageRequest,
  _request: RequestContext,
): Promise<Wire<BatchDeleteImageResponse>> {
  const ids = batchImageIds(input.imageIds);
  const out = await ctx.store.transact(async (tx) => {
    const { record } = await getRepository(tx, ctx, input.repositoryName!, input.registryId);
    const name = record.repositoryName;
    const images = await imagesOf(tx, name);
    const deleted: ImageIdentifier[] = [];
    const failures: ImageFailure[] = [];
    for (const id of ids) {
      const view = resolveForBatch(images, id, failures);
      if (!view) continue;
      const digest = view.record.imageDigest;
      const removesImage = id.imageTag === undefined || view.tags.length === 1;
      if (removesImage) {
        const parents = parentsOf(images, digest);
        if (parents.length > 0) {
          failures.push(
            imageFailure(
              id,
              'ImageReferencedByManifestList',
              `Requested image referenced by manifest list: [${parents.join(', ')}]`,
            ),
          );
          continue;
        }
      }
      if (id.imageTag !== undefined && !removesImage) {
        await removeTag(tx, name, view, id.imageTag);
        deleted.push({ imageDigest: digest, imageTag: id.imageTag });
        continue;
      }
      const before = deleted.length;
      const firstTag = view.tags[0];
      for (const tag of [...view.tags]) {
        await removeTag(tx, name, view, tag);
        deleted.push({ imageDigest: digest, imageTag: tag });
      }
      if (deleted.length === before) deleted.push({ imageDigest: digest });
      await tx.remove(Kind.EcrImage, ecrKeys.image(name, digest));
      await publishImageAction(tx, ctx, 'DELETE', name, digest, firstTag);
      images.delete(digest);
    }
    return { imageIds: deleted, failures };
  });
  // Blobs only the deleted images referenced are freed by the registry's collection, soon.
  if (out.imageIds?.length) blobStoreFor(ctx.registryDir).requestCollection(ctx.clock.now());
  return out;
}

async function removeTag(tx: Tx, repository: string, view: ImageView, tag: string): Promise<void> {
  await tx.remove(Kind.EcrTag, ecrKeys.tag(repository, tag));
  view.tags = view.tags.filter((t) => t !== tag);
}

/** Digests of the repository's images (manifest lists) that reference `digest`. */
function parentsOf(images: Map<string, ImageView>, digest: string): string[] {
  const parents: string[] = [];
  for (const v of images.values()) {
    if (v.record.imageDigest !== digest && v.record.references.includes(digest))
      parents.push(v.record.imageDigest);
  }
  return parents;
}
