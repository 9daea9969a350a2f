/**
 * What the layer operations share: upload ids in ECR's UUID form over the registry's own upload
 * records (the same 128 bits: `0123abcd-...` here is `0123abcd...` under `/v2/<name>/blobs/uploads/`),
 * the limits of the model, and ECR's layer errors.
 */
import { ServiceError } from '../../core/errors.ts';
import { Kind, type Reader } from '../../store/store.ts';
import { ecrKeys, type UploadRecord } from '../model/records.ts';
import { invalidParameter } from '../model/repositories.ts';

/** The model's UploadId pattern. */
export const UPLOAD_ID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const UPLOAD_ID_EXPRESSION = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
/** The model's LayerDigest pattern (ECR's digest form). */
export const LAYER_DIGEST = /^[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+$/;
export const LAYER_DIGEST_EXPRESSION = '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+';
/** The most one UploadLayerPart may carry (LayerPartBlob's max): 20 MiB. */
export const MAX_PART_BYTES = 20 * 1024 * 1024;

/** The registry upload id (32 lowercase hex) as ECR's UploadId (8-4-4-4-12). */
export const apiUploadId = (id: string): string =>
  `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`;

/** ECR's UploadId as the registry's upload id; InvalidParameterException when it is not one. */
export function registryUploadId(uploadId: string): string {
  if (!UPLOAD_ID.test(uploadId)) {
    throw invalidParameter('uploadId', `must satisfy regular expression '${UPLOAD_ID_EXPRESSION}'`);
  }
  return uploadId.replaceAll('-', '').toLowerCase();
}

export function checkLayerDigest(member: string, digest: string): void {
  if (!LAYER_DIGEST.test(digest)) {
    throw invalidParameter(member, `must satisfy regular expression '${LAYER_DIGEST_EXPRESSION}'`);
  }
}

export function uploadNotFound(uploadId: string, repository: string, registryId: string): ServiceError {
  return new ServiceError(
    'UploadNotFoundException',
    `Upload with id '${uploadId}' is not found in the repository with name '${repository}' in the registry with id '${registryId}'`,
  );
}

/** The upload's record, or UploadNotFoundException. */
export async function uploadRecord(
  reader: Reader,
  repository: string,
  id: string,
  uploadId: string,
  registryId: string,
): Promise<{ value: UploadRecord; version: number }> {
  const stored = await reader.get<UploadRecord>(Kind.EcrUpload, ecrKeys.upload(repository, id));
  if (!stored) throw uploadNotFound(uploadId, repository, registryId);
  return stored;
}
