/** InitiateLayerUpload: opens an upload, the same record and file a registry `POST /blobs/uploads/` opens. */
import type { InitiateLayerUploadRequest, InitiateLayerUploadResponse } from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import { blobStoreFor } from '../model/blob-store.ts';
import { type EcrContext, ecrKeys, type UploadRecord } from '../model/records.ts';
import { getRepository } from '../model/repositories.ts';
import { apiUploadId } from './layer-errors.ts';

/**
 * The part size answered: what one UploadLayerPart may carry through the API gateway, whose request
 * bodies are limited to 1 MiB by default (`maxBodyBytes`) and which a part takes base64-encoded
 * (4/3 of its size) in JSON. Parts of any size up to ECR's 20 MiB are accepted when the body fits.
 */
export const PART_SIZE = 512 * 1024;

export async function initiateLayerUpload(
  ctx: EcrContext,
  input: InitiateLayerUploadRequest,
  _request: RequestContext,
): Promise<Wire<InitiateLayerUploadResponse>> {
  const { record } = await getRepository(ctx.store, ctx, input.repositoryName!, input.registryId);
  const name = record.repositoryName;
  const id = ctx.rng.hex(16);
  await blobStoreFor(ctx.registryDir).createUpload(id);
  const upload: UploadRecord = { repositoryName: name, uploadId: id, offset: 0, startedAt: ctx.clock.now() };
  await ctx.store.transact((tx) => tx.put(Kind.EcrUpload, ecrKeys.upload(name, id), upload, 'absent'));
  return { uploadId: apiUploadId(id), partSize: PART_SIZE };
}
