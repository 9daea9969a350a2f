/**
 * The records ECR keeps in the store (one region's view, like every service): repositories,
 * images (one per manifest digest per repository), tags (one per tag per repository: the tag ->
 * digest map is the source of truth for which image a tag names), and open blob uploads. Blob
 * and manifest bytes live on disk in the registry's content-addressed store, never in the store.
 */
import type { Clock, Rng } from '../../core/clock.ts';
import type { Partition } from '../../core/arn.ts';
import type { Store } from '../../store/store.ts';

/** ECR's tag mutability settings. */
export type TagMutability = 'MUTABLE' | 'IMMUTABLE' | 'MUTABLE_WITH_EXCLUSION' | 'IMMUTABLE_WITH_EXCLUSION';

/** Kind.EcrRepository, keyed by repository name. */
export interface RepositoryRecord {
  repositoryName: string;
  repositoryArn: string;
  /** The account id (ECR's registryId). */
  registryId: string;
  /** `<registry host>/<name>`: what `docker push` takes (see registryHost in EcrContext). */
  repositoryUri: string;
  /** Epoch seconds. */
  createdAt: number;
  imageTagMutability: TagMutability;
  imageTagMutabilityExclusionFilters?: { filterType: string; filter: string }[];
  imageScanningConfiguration: { scanOnPush: boolean };
  encryptionConfiguration: { encryptionType: string; kmsKey?: string };
  tags: { Key: string; Value: string }[];
  /** SetRepositoryPolicy's text, as given. */
  policyText?: string;
  /** PutLifecyclePolicy's text and when it was set (epoch seconds). */
  lifecyclePolicyText?: string;
  lifecyclePolicyUpdatedAt?: number;
}

/** Kind.EcrImage, keyed by `imageKey(repository, digest)`. */
export interface ImageRecord {
  repositoryName: string;
  /** `sha256:<64 hex>` of the manifest bytes. */
  imageDigest: string;
  imageManifestMediaType: string;
  /** The config's media type (artifacts), when it is not an image config. */
  artifactMediaType?: string;
  /** Size of the manifest bytes. */
  manifestSize: number;
  /** ECR's imageSizeInBytes: the sum of the layers (an index: of its children's). */
  imageSizeInBytes: number;
  /** Epoch seconds. */
  imagePushedAt: number;
  lastRecordedPullTime?: number;
  /** Digests this manifest references (config and layers, or an index's manifests): kept alive by it. */
  references: string[];
  /** OCI `subject` digest, for the referrers API. */
  subject?: string;
}

/** Kind.EcrTag, keyed by `tagKey(repository, tag)`. */
export interface TagRecord {
  repositoryName: string;
  imageTag: string;
  imageDigest: string;
  /** Epoch seconds of the last push that moved the tag here. */
  updatedAt: number;
}

/** Kind.EcrUpload, keyed by `uploadKey(repository, uuid)`: a blob upload in progress. */
export interface UploadRecord {
  repositoryName: string;
  uploadId: string;
  /** Bytes received so far (the next PATCH must start here). */
  offset: number;
  /** Epoch ms. */
  startedAt: number;
}

export const ecrKeys = {
  repository: (name: string): string => name,
  image: (repository: string, digest: string): string => `${repository}@${digest}`,
  imagesOf: (repository: string): string => `${repository}@`,
  tag: (repository: string, tag: string): string => `${repository}:${tag}`,
  tagsOf: (repository: string): string => `${repository}:`,
  upload: (repository: string, uploadId: string): string => `${repository}#${uploadId}`,
} as const;

/** What ECR's handlers and the registry work with, per region. */
export interface EcrContext {
  store: Store;
  clock: Clock;
  rng: Rng;
  partition: Partition;
  /** Where repository URIs point: `127.0.0.1:4590` for `longshore up` (see docs/ecr.md). */
  registryHost: string;
  /** The registry answers on HTTPS (`--tls-cert`): the URLs ECR hands out say https://. */
  registryTls?: boolean;
  /** The registry's content-addressed store: `<data dir>/registry`. */
  registryDir: string;
  /** Signs and checks registry passwords (GetAuthorizationToken); never logged. */
  tokenSecret: string;
  /** An OSV export directory image scans match against (`--vulnerability-feed`); none: no findings. */
  vulnerabilityFeedDir?: string;
}
