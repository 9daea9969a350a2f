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
 * The part size answered (10 MiB, what ECR answers); parts of any size up to ECR's 20 MiB are
 * accepted: the gateway allows UploadLayerPart bodies of 28 MiB (a part is base64 in JSON).
 */
export const PART_SIZE = 10 * 1024 * 1024;

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
