/**
 * BatchCheckLayerAvailability: per digest, AVAILABLE with its size when the registry holds the
 * blob (as a registry HEAD finds it: any repository of the account can read a stored blob, see
 * docs/ecr.md), UNAVAILABLE otherwise; an empty digest is a MissingLayerDigest failure, a malformed
 * one InvalidLayerDigest. An available layer's grace period before garbage collection starts again,
 * since the client will now push a manifest naming it instead of uploading it.
 */
import type {
  BatchCheckLayerAvailabilityRequest,
  BatchCheckLayerAvailabilityResponse,
  Layer,
  LayerFailure,
} from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import { blobStoreFor } from '../model/blob-store.ts';
import type { EcrContext } from '../model/records.ts';
import { getRepository, invalidParameter } from '../model/repositories.ts';
import { LAYER_DIGEST, LAYER_DIGEST_EXPRESSION } from './layer-errors.ts';

export async function batchCheckLayerAvailability(
  ctx: EcrContext,
  input: BatchCheckLayerAvailabilityRequest,
  _request: RequestContext,
): Promise<Wire<BatchCheckLayerAvailabilityResponse>> {
  const digests = input.layerDigests ?? [];
  if (digests.length < 1)
    throw invalidParameter('layerDigests', 'Member must have length greater than or equal to 1');
  if (digests.length > 100)
    throw invalidParameter('layerDigests', 'Member must have length less than or equal to 100');
  for (const d of digests) {
    if (d.length > 1000) {
      throw invalidParameter('layerDigests', 'Member must have length less than or equal to 1000');
    }
  }
  await getRepository(ctx.store, ctx, input.repositoryName!, input.registryId);
  const blobs = blobStoreFor(ctx.registryDir);
  const now = ctx.clock.now();
  const layers: Layer[] = [];
  const failures: LayerFailure[] = [];
  for (const layerDigest of digests) {
    if (layerDigest === '') {
      failures.push({
        layerDigest,
        failureCode: 'MissingLayerDigest',
        failureReason: 'Layer digest is missing',
      });
      continue;
    }
    if (!LAYER_DIGEST.test(layerDigest)) {
      failures.push({
        layerDigest,
        failureCode: 'InvalidLayerDigest',
        failureReason: `Invalid layer digest: it must satisfy regular expression '${LAYER_DIGEST_EXPRESSION}'`,
      });
      continue;
    }
    const size = await blobs.size(layerDigest);
    if (size === undefined) {
      layers.push({ layerDigest, layerAvailability: 'UNAVAILABLE' });
      continue;
    }
    await blobs.touch(layerDigest, now);
    layers.push({ layerDigest, layerAvailability: 'AVAILABLE', layerSize: size });
  }
  return { layers, failures };
}
