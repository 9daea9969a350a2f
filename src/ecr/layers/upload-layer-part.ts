/**
 * UploadLayerPart: appends one part to an upload. A part must start exactly where the upload
 * stands (`partFirstByte` = bytes received) and carry `partLastByte - partFirstByte + 1` bytes,
 * else ECR's InvalidLayerPartException with `lastValidByteReceived`; the upload is then unchanged.
 * The bytes go through the blob store's `append` (hashed as they are written, fsynced before the
 * offset is recorded), as a registry PATCH's do.
 */
import { Readable } from 'node:stream';
import type { UploadLayerPartRequest, UploadLayerPartResponse } from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import { ServiceError } from '../../core/errors.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import { blobStoreFor, UploadMissing } from '../model/blob-store.ts';
import { type EcrContext, ecrKeys } from '../model/records.ts';
import { getRepository, invalidParameter } from '../model/repositories.ts';
import { MAX_PART_BYTES, registryUploadId, uploadNotFound, uploadRecord } from './layer-errors.ts';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export async function uploadLayerPart(
  ctx: EcrContext,
  input: UploadLayerPartRequest,
  _request: RequestContext,
): Promise<Wire<UploadLayerPartResponse>> {
  const uploadId = input.uploadId!;
  const id = registryUploadId(uploadId);
  const first = input.partFirstByte!;
  const last = input.partLastByte!;
  if (!Number.isSafeInteger(first) || first < 0)
    throw invalidParameter('partFirstByte', 'Member must have value greater than or equal to 0');
  if (!Number.isSafeInteger(last) || last < 0)
    throw invalidParameter('partLastByte', 'Member must have value greater than or equal to 0');
  // The gateway hands blobs over as their base64 text.
  const text = input.layerPartBlob as unknown as string;
  if (typeof text !== 'string' || !BASE64.test(text))
    throw invalidParameter('layerPartBlob', 'Member must be base64-encoded binary data');
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length > MAX_PART_BYTES) {
    throw invalidParameter(
      'layerPartBlob',
      `Member must have length less than or equal to ${MAX_PART_BYTES}`,
    );
  }
  const { record } = await getRepository(ctx.store, ctx, input.repositoryName!, input.registryId);
  const name = record.repositoryName;
  const registryId = record.registryId;
  await uploadRecord(ctx.store, name, id, uploadId, registryId);
  const blobs = blobStoreFor(ctx.registryDir);
  return blobs.withUpload(id, async () => {
    const current = await uploadRecord(ctx.store, name, id, uploadId, registryId);
    const offset = current.value.offset;
    const invalidPart = (message: string) =>
      new ServiceError('InvalidLayerPartException', message, {
        registryId,
        repositoryName: name,
        uploadId,
        lastValidByteReceived: offset - 1,
      });
    if (first !== offset) {
      throw invalidPart(
        `The part's first byte ${first} is not consecutive to the last byte received ${offset - 1} of upload '${uploadId}'`,
      );
    }
    if (last < first || last - first + 1 !== bytes.length) {
      throw invalidPart(
        `The part's byte range ${first}-${last} does not match the length of the layer part blob (${bytes.length} bytes)`,
      );
    }
    let size: number;
    try {
      size = await blobs.append(id, offset, Readable.from([bytes]));
    } catch (error) {
      if (error instanceof UploadMissing) throw uploadNotFound(uploadId, name, registryId);
      throw error;
    }
    await ctx.store.transact((tx) =>
      tx.put(Kind.EcrUpload, ecrKeys.upload(name, id), { ...current.value, offset: size }, current.version),
    );
    return { registryId, repositoryName: name, uploadId, lastByteReceived: size - 1 };
  });
}
