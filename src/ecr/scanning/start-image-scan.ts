/** StartImageScan: a basic scan of one image, at most once per 24 hours (the scan on push counts). */
import type { StartImageScanRequest, StartImageScanResponse } from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import { ServiceError } from '../../core/errors.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import { imageNotFound } from '../images/describe-images.ts';
import { imagesOf, resolveImageId } from '../images/image-view.ts';
import { type EcrContext, ecrKeys, type ImageRecord } from '../model/records.ts';
import { EcrErrorCode, getRepository } from '../model/repositories.ts';
import { isScannable, requestScan, type ScanRecord } from './scanner.ts';

const DAY_SECONDS = 24 * 60 * 60;

export async function startImageScan(
  ctx: EcrContext,
  input: StartImageScanRequest,
  _request: RequestContext,
): Promise<Wire<StartImageScanResponse>> {
  const { record: repo } = await getRepository(ctx.store, ctx, input.repositoryName!, input.registryId);
  const image = await findImage(ctx, repo, input.imageId ?? {});
  if (!isScannable(image)) {
    throw new ServiceError('UnsupportedImageTypeException', 'The image is of a type that cannot be scanned.');
  }
  const now = Math.floor(ctx.clock.now() / 1000);
  const key = ecrKeys.image(repo.repositoryName, image.imageDigest);
  await ctx.store.transact(async (tx) => {
    const previous = await tx.get<ScanRecord>(Kind.EcrScan, key);
    const current = previous?.value.imagePushedAt === image.imagePushedAt ? previous.value : undefined;
    if (current && now - current.requestedAt < DAY_SECONDS) {
      throw new ServiceError(
        EcrErrorCode.LimitExceeded,
        'The scan quota per image has been exceeded. Wait and try again.',
      );
    }
    const record: ScanRecord = {
      repositoryName: repo.repositoryName,
      imageDigest: image.imageDigest,
      status: 'IN_PROGRESS',
      requestedAt: now,
      imagePushedAt: image.imagePushedAt,
    };
    await tx.put(Kind.EcrScan, key, record, previous?.version ?? 'absent');
  });
  requestScan(ctx, repo.repositoryName, image.imageDigest);
  return {
    registryId: repo.registryId,
    repositoryName: repo.repositoryName,
    imageId: {
      imageDigest: image.imageDigest,
      ...(input.imageId?.imageTag !== undefined ? { imageTag: input.imageId.imageTag } : {}),
    },
    imageScanStatus: { status: 'IN_PROGRESS' },
  };
}

/** The image an imageId names, or ECR's errors (InvalidParameterException, ImageNotFoundException). */
export async function findImage(
  ctx: EcrContext,
  repo: Parameters<typeof imageNotFound>[1],
  id: { imageDigest?: string; imageTag?: string },
): Promise<ImageRecord> {
  const resolved = resolveImageId(await imagesOf(ctx.store, repo.repositoryName), id);
  if (resolved.ok) return resolved.view.record;
  if (resolved.code === 'ImageNotFound' || resolved.code === 'ImageTagDoesNotMatchDigest') {
    throw imageNotFound(id, repo);
  }
  throw new ServiceError(EcrErrorCode.InvalidParameter, resolved.reason);
}
