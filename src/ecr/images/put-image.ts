/** PutImage: pushes a manifest through the API (its blobs already uploaded), with the registry's checks. */
import type { PutImageRequest, PutImageResponse } from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import { ServiceError } from '../../core/errors.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import { blobStoreFor, sha256 } from '../model/blob-store.ts';
import { pushManifest, RegistryError, TAG_PATTERN } from '../model/images.ts';
import { type EcrContext, ecrKeys, type ImageRecord, type TagRecord } from '../model/records.ts';
import {
  EcrErrorCode,
  getRepository,
  imageTagAlreadyExists,
  invalidParameter,
} from '../model/repositories.ts';
import { IMAGE_DIGEST } from './image-view.ts';

/**
 * The same push as `docker push`'s manifest PUT (src/ecr/model/images.ts's pushManifest): the
 * manifest's blobs must be in the registry, a tag may not move on an immutable repository. ECR's
 * own answers on top: pushing an image and tag that are already there is ImageAlreadyExists, a
 * given digest must be the manifest's (ImageDigestDoesNotMatch).
 */
export async function putImage(
  ctx: EcrContext,
  input: PutImageRequest,
  _request: RequestContext,
): Promise<Wire<PutImageResponse>> {
  const name = input.repositoryName!;
  const text = input.imageManifest!;
  const tag = input.imageTag;
  if (text.length < 1)
    throw invalidParameter('imageManifest', 'Member must have length greater than or equal to 1');
  if (tag !== undefined && !TAG_PATTERN.test(tag)) {
    throw invalidParameter('imageTag', "must satisfy regular expression '[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}'");
  }
  if (input.imageDigest !== undefined && !IMAGE_DIGEST.test(input.imageDigest)) {
    throw invalidParameter('imageDigest', "must satisfy regular expression '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'");
  }
  const { record } = await getRepository(ctx.store, ctx, name, input.registryId);
  const bytes = Buffer.from(text, 'utf8');
  const digest = sha256(bytes);
  if (input.imageDigest !== undefined && input.imageDigest !== digest) {
    throw new ServiceError(
      'ImageDigestDoesNotMatchException',
      `Invalid parameter at 'imageDigest' failed to satisfy constraint: 'The provided digest ${input.imageDigest} does not match the digest of the image manifest ${digest}'`,
    );
  }
  const existing = await ctx.store.get<ImageRecord>(Kind.EcrImage, ecrKeys.image(name, digest));
  if (existing) {
    const current =
      tag === undefined ? undefined : await ctx.store.get<TagRecord>(Kind.EcrTag, ecrKeys.tag(name, tag));
    if (tag === undefined || current?.value.imageDigest === digest) {
      throw new ServiceError(
        EcrErrorCode.ImageAlreadyExists,
        `Image with digest '${digest}'${tag === undefined ? '' : ` and tag '${tag}'`} already exists in the repository with name '${name}' in registry with id '${record.registryId}'`,
      );
    }
  }
  try {
    const pushed = await pushManifest(ctx, blobStoreFor(ctx.registryDir), {
      repository: name,
      reference: tag ?? digest,
      bytes,
      contentType: input.imageManifestMediaType,
      now: ctx.clock.now(),
    });
    return {
      image: {
        registryId: record.registryId,
        repositoryName: name,
        imageId: { imageDigest: pushed.digest, ...(tag !== undefined ? { imageTag: tag } : {}) },
        imageManifest: text,
        imageManifestMediaType: pushed.parsed.mediaType,
      },
    };
  } catch (error) {
    if (error instanceof RegistryError) throw asEcrError(error, name, record.registryId, tag);
    throw error;
  }
}

/** The registry's failure as ECR's API answers it. */
function asEcrError(
  error: RegistryError,
  repository: string,
  registryId: string,
  tag: string | undefined,
): ServiceError {
  const detail = error.detail as { digest?: string; reason?: string } | undefined;
  switch (error.registryCode) {
    case 'TAG_INVALID':
      // The tag's form was checked above: what is left is an immutable tag on another image.
      return imageTagAlreadyExists(repository, tag ?? '');
    case 'MANIFEST_BLOB_UNKNOWN':
      return error.message.startsWith('manifest')
        ? new ServiceError(
            'ReferencedImagesNotFoundException',
            `The image manifest list references images that do not exist in the repository: ${detail?.digest ?? ''}`,
          )
        : new ServiceError(
            'LayersNotFoundException',
            `Layers with digests '[${detail?.digest ?? ''}]' required for pushing image into repository with name '${repository}' in the registry with id '${registryId}' do not exist`,
          );
    case 'NAME_UNKNOWN':
      return new ServiceError(EcrErrorCode.RepositoryNotFound, error.message);
    case 'SIZE_INVALID':
      return invalidParameter('imageManifest', `Member must have length less than or equal to 4194304`);
    default:
      return invalidParameter('ImageManifest', `Invalid manifest: ${detail?.reason ?? error.message}`);
  }
}
