/**
 * CompleteLayerUpload: finishes an upload as a registry `PUT ?digest=` does: the bytes must hash
 * to the digest named (else InvalidLayerException, and the upload is gone), then they are fsynced
 * and renamed into the content store. ECR's answers on top: an upload with no parts is
 * EmptyUploadException (the upload stays open for parts), a layer already stored is
 * LayerAlreadyExistsException (the upload is dropped, the stored layer serves).
 */
import type { CompleteLayerUploadRequest, CompleteLayerUploadResponse } from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import { ServiceError } from '../../core/errors.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import { blobStoreFor, DigestMismatch, UploadMissing } from '../model/blob-store.ts';
import { type EcrContext, ecrKeys } from '../model/records.ts';
import { getRepository, invalidParameter } from '../model/repositories.ts';
import { checkLayerDigest, registryUploadId, uploadNotFound, uploadRecord } from './layer-errors.ts';

export async function completeLayerUpload(
  ctx: EcrContext,
  input: CompleteLayerUploadRequest,
  _request: RequestContext,
): Promise<Wire<CompleteLayerUploadResponse>> {
  const uploadId = input.uploadId!;
  const id = registryUploadId(uploadId);
  const digests = input.layerDigests ?? [];
  if (digests.length < 1)
    throw invalidParameter('layerDigests', 'Member must have length greater than or equal to 1');
  if (digests.length > 100)
    throw invalidParameter('layerDigests', 'Member must have length less than or equal to 100');
  for (const d of digests) checkLayerDigest('layerDigests', d);
  const { record } = await getRepository(ctx.store, ctx, input.repositoryName!, input.registryId);
  const name = record.repositoryName;
  const registryId = record.registryId;
  await uploadRecord(ctx.store, name, id, uploadId, registryId);
  const blobs = blobStoreFor(ctx.registryDir);
  // The layer's digest; a list names one layer (ECR takes the first).
  const expected = digests[0];
  const drop = async () => {
    await ctx.store.transact((tx) => tx.remove(Kind.EcrUpload, ecrKeys.upload(name, id)));
    await blobs.removeUpload(id);
  };
  return blobs.withUpload(id, async () => {
    const { value } = await uploadRecord(ctx.store, name, id, uploadId, registryId);
    if (value.offset === 0) {
      throw new ServiceError(
        'EmptyUploadException',
        `No layer parts were uploaded for upload with id '${uploadId}' in the repository with name '${name}' in the registry with id '${registryId}'`,
      );
    }
    const invalidLayer = (actual: string) =>
      new ServiceError(
        'InvalidLayerException',
        `The calculated digest '${actual}' of the uploaded layer does not match the provided digest '${expected}'`,
      );
    if (!expected.startsWith('sha256:')) {
      await drop();
      throw new ServiceError(
        'InvalidLayerException',
        `The layer digest '${expected}' is not supported: only sha256 digests are`,
      );
    }
    const digest = expected.toLowerCase();
    if ((await blobs.size(digest)) !== undefined) {
      await drop();
      await blobs.touch(digest, ctx.clock.now());
      throw new ServiceError(
        'LayerAlreadyExistsException',
        `The layer with digest '${digest}' already exists in the repository with name '${name}' in the registry with id '${registryId}'`,
      );
    }
    try {
      await blobs.finish(id, value.offset, digest);
    } catch (error) {
      if (error instanceof DigestMismatch) {
        await drop();
        throw invalidLayer(error.actual);
      }
      if (error instanceof UploadMissing) {
        await ctx.store.transact((tx) => tx.remove(Kind.EcrUpload, ecrKeys.upload(name, id)));
        throw uploadNotFound(uploadId, name, registryId);
      }
      throw error;
    }
    await ctx.store.transact((tx) => tx.remove(Kind.EcrUpload, ecrKeys.upload(name, id)));
    return { registryId, repositoryName: name, uploadId, layerDigest: digest };
  });
}
