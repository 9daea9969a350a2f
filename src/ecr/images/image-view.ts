/**
 * A repository's images as the API answers them: each image record (one per manifest digest) with
 * the tags that name it (the tag records are the truth for which image a tag names), and the
 * lookups by `imageId` (digest, tag, or both) that ECR's image calls share.
 */
import type { ImageFailure, ImageIdentifier } from '@aws-sdk/client-ecr';
import { Kind, type Reader } from '../../store/store.ts';
import { ecrKeys, type ImageRecord, type TagRecord } from '../model/records.ts';
import { invalidParameter } from '../model/repositories.ts';

/** An image with its tags (sorted). */
export interface ImageView {
  record: ImageRecord;
  tags: string[];
}

/** Every image of a repository, by digest, with its tags. */
export async function imagesOf(reader: Reader, repository: string): Promise<Map<string, ImageView>> {
  const [images, tags] = await Promise.all([
    reader.list<ImageRecord>(Kind.EcrImage, { prefix: ecrKeys.imagesOf(repository) }),
    reader.list<TagRecord>(Kind.EcrTag, { prefix: ecrKeys.tagsOf(repository) }),
  ]);
  const views = new Map<string, ImageView>();
  for (const s of images) views.set(s.value.imageDigest, { record: s.value, tags: [] });
  for (const s of tags) views.get(s.value.imageDigest)?.tags.push(s.value.imageTag);
  for (const v of views.values()) v.tags.sort();
  return views;
}

/** ECR's acceptable digest form (what its failure reasons quote). */
export const IMAGE_DIGEST = /^[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+$/;

export type ImageFailureCode =
  | 'InvalidImageDigest'
  | 'InvalidImageTag'
  | 'ImageTagDoesNotMatchDigest'
  | 'ImageNotFound'
  | 'MissingDigestAndTag'
  | 'ImageReferencedByManifestList';

/** The outcome of resolving one imageId: the image, or ECR's failure code and reason. */
export type Resolved = { ok: true; view: ImageView } | { ok: false; code: ImageFailureCode; reason: string };

/** Finds the image an imageId names, with ECR's failure codes and reasons for a batch's `failures[]`. */
export function resolveImageId(images: Map<string, ImageView>, id: ImageIdentifier): Resolved {
  const { imageDigest: digest, imageTag: tag } = id;
  if (digest === undefined && tag === undefined) {
    return {
      ok: false,
      code: 'MissingDigestAndTag',
      reason: 'Invalid request parameters: both tag and digest cannot be null',
    };
  }
  if (digest !== undefined && !IMAGE_DIGEST.test(digest)) {
    return {
      ok: false,
      code: 'InvalidImageDigest',
      reason:
        "Invalid request parameters: image digest should satisfy the regex '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'",
    };
  }
  if (tag !== undefined && (tag.length < 1 || tag.length > 300)) {
    return {
      ok: false,
      code: 'InvalidImageTag',
      reason: 'Invalid request parameters: image tag should have length between 1 and 300',
    };
  }
  if (tag !== undefined) {
    const view = [...images.values()].find((v) => v.tags.includes(tag));
    if (!view) return { ok: false, code: 'ImageNotFound', reason: 'Requested image not found' };
    if (digest !== undefined && view.record.imageDigest !== digest) {
      return {
        ok: false,
        code: 'ImageTagDoesNotMatchDigest',
        reason: `Invalid request parameters: image tag '${tag}' does not match digest '${digest}'`,
      };
    }
    return { ok: true, view };
  }
  const view = images.get(digest!);
  return view
    ? { ok: true, view }
    : { ok: false, code: 'ImageNotFound', reason: 'Requested image not found' };
}

/** A batch call's `imageIds`, checked as ECR checks them (1 to 100 members). */
export function batchImageIds(imageIds: ImageIdentifier[] | undefined): ImageIdentifier[] {
  const ids = imageIds ?? [];
  if (ids.length < 1 || ids.length > 100)
    throw invalidParameter('imageIds', 'Member must have length between 1 and 100');
  return ids;
}

/** A batch's failure for an imageId: the id as asked (see echoId), ECR's code and reason. */
export function imageFailure(
  id: ImageIdentifier,
  failureCode: ImageFailureCode,
  failureReason: string,
): ImageFailure {
  return { imageId: echoId(id), failureCode, failureReason };
}

/** Resolves a batch's imageId: its image, or undefined with ECR's failure for it added to `failures`. */
export function resolveForBatch(
  images: Map<string, ImageView>,
  id: ImageIdentifier,
  failures: ImageFailure[],
): ImageView | undefined {
  const resolved = resolveImageId(images, id);
  if (resolved.ok) return resolved.view;
  failures.push(imageFailure(id, resolved.code, resolved.reason));
  return undefined;
}

/** The imageId as ECR echoes it in `failures[]` (only the members given). */
export function echoId(id: ImageIdentifier): ImageIdentifier {
  return {
    ...(id.imageDigest !== undefined ? { imageDigest: id.imageDigest } : {}),
    ...(id.imageTag !== undefined ? { imageTag: id.imageTag } : {}),
  };
}

/** ECR's `tagStatus` filter. */
export function matchesTagStatus(view: ImageView, tagStatus: string | undefined): boolean {
  if (tagStatus === 'TAGGED') return view.tags.length > 0;
  if (tagStatus === 'UNTAGGED') return view.tags.length === 0;
  return true;
}
