/**
 * What S3 keeps in the store (`Kind.S3Bucket`, `S3Object`, `S3Upload`, `S3Part`), and the context
 * its handlers work in. Object content lives in files under `<dataDir>/s3/` (blob-store.ts); a
 * record names its content file, so an object is visible exactly when its record is committed.
 */
import type { Clock, Rng } from '../../core/clock.ts';
import type { Store } from '../../store/store.ts';
import type { BlobStore } from './blob-store.ts';

/** A bucket, keyed by its name (bucket names are global in a partition). */
export interface BucketRecord {
  name: string;
  /** The region it was created in (its LocationConstraint; us-east-1 for none). */
  region: string;
  /** Epoch ms. */
  createdAt: number;
  accountId: string;
}

/** The checksum an object or part carries, as S3 returns it (`x-amz-checksum-<algorithm>`). */
export interface StoredChecksum {
  algorithm: ChecksumAlgorithm;
  /** Base64. A COMPOSITE one ends in `-<parts>`. */
  value: string;
  type: 'FULL_OBJECT' | 'COMPOSITE';
}

export type ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA1' | 'SHA256';

/** Headers S3 stores with an object and returns on GET and HEAD. */
export interface StoredHeaders {
  contentType: string;
  cacheControl?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  contentLanguage?: string;
  expires?: string;
  /** `x-amz-meta-*`, names lower-cased without the prefix. */
  metadata: Record<string, string>;
}

/** An object, keyed `<bucket>/<key>`. */
export interface ObjectRecord extends StoredHeaders {
  bucket: string;
  key: string;
  /** The content file's id (blob-store.ts). */
  blob: string;
  size: number;
  /** Without quotes: hex MD5, or `<hex>-<parts>` for a multipart upload. */
  etag: string;
  /** Epoch ms. */
  lastModified: number;
  checksum?: StoredChecksum;
  /** Parts of a multipart upload. */
  parts?: number;
}

/** A multipart upload in progress, keyed `<bucket>/<uploadId>`. */
export interface UploadRecord extends StoredHeaders {
  bucket: string;
  key: string;
  uploadId: string;
  /** Epoch ms. */
  initiated: number;
  checksumAlgorithm?: ChecksumAlgorithm;
  checksumType?: 'FULL_OBJECT' | 'COMPOSITE';
}

/** One uploaded part, keyed `<bucket>/<uploadId>/<part number, 5 digits>`. */
export interface PartRecord {
  uploadId: string;
  partNumber: number;
  blob: string;
  size: number;
  etag: string;
  lastModified: number;
  checksum?: StoredChecksum;
}

export interface S3Context {
  /** The root store: buckets are global. */
  store: Store;
  clock: Clock;
  rng: Rng;
  blobs: BlobStore;
  accountId: string;
  partition: string;
  /** Host names virtual-hosted-style requests are addressed under (`<bucket>.<host>`). */
  baseHosts(): readonly string[];
  log: { warn(obj: object, msg: string): void; debug(obj: object, msg: string): void };
}

export const objectKey = (bucket: string, key: string): string => `${bucket}/${key}`;
export const uploadKey = (bucket: string, uploadId: string): string => `${bucket}/${uploadId}`;
export const partKey = (bucket: string, uploadId: string, part: number): string =>
  `${bucket}/${uploadId}/${String(part).padStart(5, '0')}`;
