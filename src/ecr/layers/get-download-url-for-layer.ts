/**
 * GetDownloadUrlForLayer: a URL that serves a layer (or config) an image of the repository names,
 * without credentials, for ten minutes (download-url.ts; ECR answers a pre-signed S3 URL). A blob
 * the registry holds that no image of this repository references is LayerInaccessibleException
 * (ECR: "not associated with an image"); one it does not hold is LayersNotFoundException.
 */
import type { GetDownloadUrlForLayerRequest, GetDownloadUrlForLayerResponse } from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import { ServiceError } from '../../core/errors.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import { blobStoreFor } from '../model/blob-store.ts';
import { type EcrContext, ecrKeys, type ImageRecord } from '../model/records.ts';
import { getRepository } from '../model/repositories.ts';
import { signDownloadUrl } from './download-url.ts';
import { checkLayerDigest } from './layer-errors.ts';

export async function getDownloadUrlForLayer(
  ctx: EcrContext,
  input: GetDownloadUrlForLayerRequest,
  _request: RequestContext,
): Promise<Wire<GetDownloadUrlForLayerResponse>> {
  const layerDigest = input.layerDigest!;
  checkLayerDigest('layerDigest', layerDigest);
  const { record } = await getRepository(ctx.store, ctx, input.repositoryName!, input.registryId);
  const name = record.repositoryName;
  const size = await blobStoreFor(ctx.registryDir).size(layerDigest);
  if (size === undefined) {
    throw new ServiceError(
      'LayersNotFoundException',
      `Layer with digest '${layerDigest}' does not exist in the repository with name '${name}' in the registry with id '${record.registryId}'`,
    );
  }
  const images = await ctx.store.list<ImageRecord>(Kind.EcrImage, { prefix: ecrKeys.imagesOf(name) });
  if (!images.some((s) => s.value.references.includes(layerDigest))) {
    throw new ServiceError(
      'LayerInaccessibleException',
      `Layer with digest '${layerDigest}' is not available in the repository with name '${name}' in the registry with id '${record.registryId}' because it is not associated with an image`,
    );
  }
  const { url } = signDownloadUrl(ctx, name, layerDigest, ctx.clock.now());
  return { downloadUrl: url, layerDigest };
}
