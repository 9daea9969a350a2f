/**
 * Images as the registry and ECR's API share them: manifests parsed and checked (Docker schema 2
 * and manifest lists, OCI manifests and indexes, artifacts with a `subject`), pushed (bytes made
 * durable first, then the image and tag records in one transaction), resolved and deleted.
 * Failures are `RegistryError`s carrying the distribution spec's code and status; ECR's API
 * handlers map them to their own exceptions.
 */
import { ServiceError } from '../../core/errors.ts';
import { type PublishContext, publishEvents } from '../../events/model/publish-events.ts';
import { Kind, type Reader, type Tx } from '../../store/store.ts';
import { type BlobStore, DIGEST_PATTERN, sha256 } from './blob-store.ts';
import {
  type EcrContext,
  ecrKeys,
  type ImageRecord,
  type RepositoryRecord,
  type TagRecord,
} from './records.ts';
import { type ReplicationRecord, replicationDestinationsFor, scanOnPushFor } from './registry-settings.ts';
import { isTagImmutable } from './repositories.ts';

export const MediaType = {
  DockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  DockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  DockerSchema1: 'application/vnd.docker.distribution.manifest.v1+json',
  DockerSchema1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
  DockerConfig: 'application/vnd.docker.container.image.v1+json',
  OciManifest: 'application/vnd.oci.image.manifest.v1+json',
  OciIndex: 'application/vnd.oci.image.index.v1+json',
  OciConfig: 'application/vnd.oci.image.config.v1+json',
  OciEmpty: 'application/vnd.oci.empty.v1+json',
} as const;

const IMAGE_MANIFESTS: readonly string[] = [MediaType.DockerManifest, MediaType.OciManifest];
const INDEXES: readonly string[] = [MediaType.DockerManifestList, MediaType.OciIndex];
const IMAGE_CONFIGS: readonly string[] = [MediaType.DockerConfig, MediaType.OciConfig];

/** ECR's manifest size limit (and the distribution spec's floor): 4 MiB. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** What the distribution spec lets a tag be. */
export const TAG_PATTERN = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;

export type RegistryErrorCode =
  | 'BLOB_UNKNOWN'
  | 'BLOB_UPLOAD_INVALID'
  | 'BLOB_UPLOAD_UNKNOWN'
  | 'DIGEST_INVALID'
  | 'MANIFEST_BLOB_UNKNOWN'
  | 'MANIFEST_INVALID'
  | 'MANIFEST_UNKNOWN'
  | 'NAME_INVALID'
  | 'NAME_UNKNOWN'
  | 'SIZE_INVALID'
  | 'TAG_INVALID'
  | 'UNAUTHORIZED'
  | 'DENIED'
  | 'UNSUPPORTED'
  | 'RANGE_INVALID';

/** A failure in the distribution spec's terms: `{"errors":[{code, message, detail}]}` with `status`. */
export class RegistryError extends ServiceError {
  readonly registryCode: RegistryErrorCode;
  readonly status: number;
  readonly detail: unknown;
  constructor(code: RegistryErrorCode, status: number, message: string, detail?: unknown) {
    super(code, message);
    this.registryCode = code;
    this.status = status;
    this.detail = detail;
  }
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  urls?: string[];
  annotations?: Record<string, string>;
  artifactType?: string;
  platform?: unknown;
}

export interface ParsedManifest {
  mediaType: string;
  kind: 'image' | 'index';
  config?: Descriptor;
  /** Image manifests: config then layers. */
  blobs: Descriptor[];
  /** Indexes: the manifests listed. */
  manifests: Descriptor[];
  subject?: Descriptor;
  /** `artifactType`, else (image manifests) the config's media type. */
  artifactType?: string;
  annotations?: Record<string, string>;
}

const invalid = (message: string, detail?: unknown) =>
  new RegistryError('MANIFEST_INVALID', 400, message, detail);

/**
 * Parses a manifest pushed with `contentType` (the Content-Type header; the manifest's own
 * `mediaType` decides when the header is missing or generic). Throws MANIFEST_INVALID.
 */
export function parseManifest(bytes: Buffer, contentType: string | undefined): ParsedManifest {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw invalid('manifest invalid', { reason: 'the manifest is not JSON' });
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw invalid('manifest invalid');
  const declared = typeof doc.mediaType === 'string' ? doc.mediaType : undefined;
  const header = contentType?.split(';')[0].trim().toLowerCase();
  const generic = !header || header === 'application/json' || header === 'application/octet-stream';
  let mediaType = generic ? declared : header;
  if (!mediaType) mediaType = Array.isArray(doc.manifests) ? MediaType.OciIndex : MediaType.OciManifest;
  if (declared !== undefined && declared !== mediaType) {
    throw invalid('manifest invalid', {
      reason: `mediaType ${declared} does not match Content-Type ${mediaType}`,
    });
  }
  if (mediaType === MediaType.DockerSchema1 || mediaType === MediaType.DockerSchema1Signed) {
    throw invalid('manifest invalid', { reason: 'Docker image manifest schema 1 is not supported' });
  }
  if (doc.schemaVersion !== 2) throw invalid('manifest invalid', { reason: 'schemaVersion must be 2' });
  const subject = doc.subject === undefined ? undefined : descriptor(doc.subject, 'subject');
  const annotations = stringMap(doc.annotations);
  const artifactType = typeof doc.artifactType === 'string' ? doc.artifactType : undefined;
  if (IMAGE_MANIFESTS.includes(mediaType)) {
    const config = descriptor(doc.config, 'config');
    if (!Array.isArray(doc.layers)) throw invalid('manifest invalid', { reason: 'layers must be an array' });
    const layers = doc.layers.map((l, i) => descriptor(l, `layers[${i}]`));
    return {
      mediaType,
      kind: 'image',
      config,
      blobs: [config, ...layers],
      manifests: [],
      subject,
      artifactType: artifactType ?? config.mediaType,
      annotations,
    };
  }
  if (INDEXES.includes(mediaType)) {
    if (!Array.isArray(doc.manifests))
      throw invalid('manifest invalid', { reason: 'manifests must be an array' });
    const manifests = doc.manifests.map((m, i) => descriptor(m, `manifests[${i}]`));
    return { mediaType, kind: 'index', blobs: [], manifests, subject, artifactType, annotations };
  }
  throw invalid('manifest invalid', { reason: `unsupported manifest media type ${mediaType}` });
}

function descriptor(value: unknown, where: string): Descriptor {
  const d = value as Record<string, unknown> | null;
  if (typeof d !== 'object' || d === null)
    throw invalid('manifest invalid', { reason: `${where} is not a descriptor` });
  if (typeof d.digest !== 'string' || !DIGEST_PATTERN.test(d.digest)) {
    throw invalid('manifest invalid', { reason: `${where}.digest is not a sha256 digest` });
  }
  if (typeof d.size !== 'number' || !Number.isSafeInteger(d.size) || d.size < 0) {
    throw invalid('manifest invalid', { reason: `${where}.size is not a size` });
  }
  if (typeof d.mediaType !== 'string' || d.mediaType === '') {
    throw invalid('manifest invalid', { reason: `${where}.mediaType is missing` });
  }
  return {
    mediaType: d.mediaType,
    digest: d.digest,
    size: d.size,
    urls: Array.isArray(d.urls) ? d.urls.filter((u): u is string => typeof u === 'string') : undefined,
    annotations: stringMap(d.annotations),
    artifactType: typeof d.artifactType === 'string' ? d.artifactType : undefined,
    platform: d.platform,
  };
}

function stringMap(value: unknown): Record<string, string> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return Object.fromEntries(
    Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}

export const isDigest = (reference: string): boolean => reference.includes(':');

export function nameUnknown(ctx: EcrContext, name: string): RegistryError {
  return new RegistryError(
    'NAME_UNKNOWN',
    404,
    `The repository with name '${name}' does not exist in the registry with id '${ctx.partition.accountId}'`,
  );
}

/** The repository, or NAME_UNKNOWN: ECR never creates a repository on push. */
export async function repositoryOf(ctx: EcrContext, reader: Reader, name: string): Promise<RepositoryRecord> {
  const stored = await reader.get<RepositoryRecord>(Kind.EcrRepository, ecrKeys.repository(name));
  if (!stored) throw nameUnknown(ctx, name);
  return stored.value;
}

/** The image a tag or digest names in the repository, or undefined. */
export async function resolveImage(
  reader: Reader,
  repository: string,
  reference: string,
): Promise<ImageRecord | undefined> {
  let digest = reference;
  if (!isDigest(reference)) {
    const tag = await reader.get<TagRecord>(Kind.EcrTag, ecrKeys.tag(repository, reference));
    if (!tag) return undefined;
    digest = tag.value.imageDigest;
  }
  return (await reader.get<ImageRecord>(Kind.EcrImage, ecrKeys.image(repository, digest)))?.value;
}

export interface PushManifest {
  repository: string;
  /** A tag, or the manifest's digest. */
  reference: string;
  bytes: Buffer;
  contentType: string | undefined;
  /** Epoch ms. */
  now: number;
}

export interface PushedManifest {
  digest: string;
  image: ImageRecord;
  parsed: ParsedManifest;
}

/**
 * Pushes a manifest: checks it (size, digest, tag, media type, every blob or child manifest it
 * names), stores its bytes durably, then writes the image and tag in one transaction. An
 * immutable tag already on another image is TAG_INVALID, worded as ECR's registry words it.
 */
export async function pushManifest(
  ctx: EcrContext,
  blobs: BlobStore,
  push: PushManifest,
): Promise<PushedManifest> {
  const { repository, reference, bytes, now } = push;
  if (bytes.length > MAX_MANIFEST_BYTES) {
    throw new RegistryError(
      'SIZE_INVALID',
      413,
      `manifest is larger than the ${MAX_MANIFEST_BYTES} byte limit`,
      {
        size: bytes.length,
        limit: MAX_MANIFEST_BYTES,
      },
    );
  }
  const digest = sha256(bytes);
  const tag = isDigest(reference) ? undefined : reference;
  if (tag === undefined) {
    if (!DIGEST_PATTERN.test(reference))
      throw new RegistryError('DIGEST_INVALID', 400, 'provided digest did not match uploaded content', {
        digest: reference,
      });
    if (reference !== digest) {
      throw new RegistryError('DIGEST_INVALID', 400, 'provided digest did not match uploaded content', {
        digest: reference,
        actual: digest,
      });
    }
  } else if (!TAG_PATTERN.test(tag)) {
    throw new RegistryError('TAG_INVALID', 400, 'manifest tag did not match URI', { tag });
  }
  const parsed = parseManifest(bytes, push.contentType);
  await repositoryOf(ctx, ctx.store, repository);
  return blobs.gate.shared(async () => {
    let layersSize = 0;
    for (const d of parsed.blobs) {
      if (d.urls && d.urls.length > 0) continue; // foreign layers live elsewhere
      const size = await blobs.size(d.digest);
      if (size === undefined || !(await blobs.touch(d.digest, now))) {
        throw new RegistryError('MANIFEST_BLOB_UNKNOWN', 400, 'blob unknown to registry', {
          digest: d.digest,
        });
      }
      if (size !== d.size)
        throw invalid('manifest invalid', { reason: `size of ${d.digest} is ${size}, not ${d.size}` });
      if (d !== parsed.config) layersSize += size;
    }
    await blobs.putBytes(bytes, `${digest.slice(7)}-${ctx.rng.hex(8)}`);
    return ctx.store.transact(async (tx) => {
      const repo = await repositoryOf(ctx, tx, repository);
      let size = layersSize;
      for (const m of parsed.manifests) {
        const child = await tx.get<ImageRecord>(Kind.EcrImage, ecrKeys.image(repository, m.digest));
        if (!child)
          throw new RegistryError('MANIFEST_BLOB_UNKNOWN', 400, 'manifest unknown to registry', {
            digest: m.digest,
          });
        size = Math.max(size, child.value.imageSizeInBytes);
      }
      const existing = await tx.get<ImageRecord>(Kind.EcrImage, ecrKeys.image(repository, digest));
      const seconds = Math.floor(now) / 1000;
      const image: ImageRecord = existing?.value ?? {
        repositoryName: repository,
        imageDigest: digest,
        imageManifestMediaType: parsed.mediaType,
        ...(parsed.config && !IMAGE_CONFIGS.includes(parsed.config.mediaType)
          ? { artifactMediaType: parsed.config.mediaType }
          : {}),
        manifestSize: bytes.length,
        imageSizeInBytes: size,
        imagePushedAt: seconds,
        references: [...parsed.blobs, ...parsed.manifests].map((d) => d.digest),
        ...(parsed.subject ? { subject: parsed.subject.digest } : {}),
      };
      if (!existing) await tx.put(Kind.EcrImage, ecrKeys.image(repository, digest), image, 'absent');
      if (!existing && scannable(parsed, image) && (await scanOnPushFor(tx, repo))) {
        await requestScanOnPush(tx, image, seconds);
        tx.onCommit(() => scanListener?.(ctx, repository, digest));
      }
      let tagMoved = false;
      if (tag !== undefined) {
        const key = ecrKeys.tag(repository, tag);
        const current = await tx.get<TagRecord>(Kind.EcrTag, key);
        if (current?.value.imageDigest !== digest) {
          if (current && isTagImmutable(repo, tag)) {
            throw new RegistryError(
              'TAG_INVALID',
              400,
              `The image tag '${tag}' already exists in the '${repository}' repository and cannot be overwritten because the repository is immutable.`,
            );
          }
          const record: TagRecord = {
            repositoryName: repository,
            imageTag: tag,
            imageDigest: digest,
            updatedAt: seconds,
          };
          await tx.put(Kind.EcrTag, key, record, current?.version ?? 'absent');
          tagMoved = true;
        }
      }
      if (!existing || tagMoved) {
        await requestReplication(tx, image, seconds);
        await publishImageAction(tx, ctx, 'PUSH', repository, digest, tag);
      }
      return { digest, image, parsed };
    });
  });
}

/** Tells the scanner (ecr/scanning, which registers here) of a scan a push requested. */
export type ScanListener = (ctx: EcrContext, repository: string, digest: string) => void;
let scanListener: ScanListener | undefined;
export function onScanRequested(listener: ScanListener): void {
  scanListener = listener;
}

const scannable = (parsed: ParsedManifest, image: ImageRecord): boolean =>
  parsed.kind === 'image' && image.artifactMediaType === undefined;

/**
 * Scan on push: the scan's IN_PROGRESS record (Kind.EcrScan, ecr/scanning's ScanRecord) written in
 * the push's transaction, so a crash before the scanner runs leaves it to be redone, not lost.
 */
async function requestScanOnPush(tx: Tx, image: ImageRecord, seconds: number): Promise<void> {
  const key = ecrKeys.image(image.repositoryName, image.imageDigest);
  const previous = await tx.get(Kind.EcrScan, key);
  const record = {
    repositoryName: image.repositoryName,
    imageDigest: image.imageDigest,
    status: 'IN_PROGRESS',
    requestedAt: Math.floor(seconds),
    imagePushedAt: image.imagePushedAt,
  };
  await tx.put(Kind.EcrScan, key, record, previous?.version ?? 'absent');
}

/**
 * Replication (ECR: once per push, of what the push wrote): the image's Kind.EcrReplication record
 * written IN_PROGRESS for every destination the registry's rules give the repository, in the push's
 * own transaction, so a crash before the replication controller runs leaves it to be finished.
 */
async function requestReplication(tx: Tx, image: ImageRecord, seconds: number): Promise<void> {
  const destinations = await replicationDestinationsFor(tx, image.repositoryName);
  if (destinations.length === 0) return;
  const key = ecrKeys.image(image.repositoryName, image.imageDigest);
  const previous = await tx.get(Kind.EcrReplication, key);
  const record: ReplicationRecord = {
    repositoryName: image.repositoryName,
    imageDigest: image.imageDigest,
    imagePushedAt: image.imagePushedAt,
    requestedAt: Math.floor(seconds),
    destinations: destinations.map((d) => ({ ...d, status: 'IN_PROGRESS' })),
  };
  await tx.put(Kind.EcrReplication, key, record, previous?.version ?? 'absent');
}

/**
 * Deletes an image by digest with every tag on it; returns the tags removed, or undefined when
 * the repository holds no such image. The bytes are left to garbage collection.
 */
export async function deleteImage(
  ctx: EcrContext,
  repository: string,
  digest: string,
): Promise<string[] | undefined> {
  return ctx.store.transact(async (tx) => {
    const image = await tx.get<ImageRecord>(Kind.EcrImage, ecrKeys.image(repository, digest));
    if (!image) return undefined;
    const removed: string[] = [];
    for (const t of await tx.list<TagRecord>(Kind.EcrTag, { prefix: ecrKeys.tagsOf(repository) })) {
      if (t.value.imageDigest !== digest) continue;
      await tx.remove(Kind.EcrTag, t.key);
      removed.push(t.value.imageTag);
    }
    await tx.remove(Kind.EcrImage, image.key);
    await publishImageAction(tx, ctx, 'DELETE', repository, digest, removed[0]);
    return removed;
  });
}

/**
 * ECR's `ECR Image Action` event on the default bus, in the transaction that pushed or deleted
 * the image (detail as the ECR user guide shows it: result, repository-name, image-digest,
 * action-type, and image-tag when the action named one).
 */
export async function publishImageAction(
  tx: Tx,
  ctx: PublishContext,
  action: 'PUSH' | 'DELETE',
  repository: string,
  digest: string,
  tag: string | undefined,
): Promise<void> {
  await publishEvents(tx, ctx, [
    {
      source: 'aws.ecr',
      detailType: 'ECR Image Action',
      detail: {
        result: 'SUCCESS',
        'repository-name': repository,
        'image-digest': digest,
        'action-type': action,
        ...(tag !== undefined ? { 'image-tag': tag } : {}),
      },
    },
  ]);
}

/** A manifest whose `subject` is an image: what the referrers API and ListImageReferrers answer. */
export interface Referrer {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

/**
 * The repository's manifests whose `subject` is `digest`, in digest order, optionally only those
 * of the given artifact types (the registry's `GET /v2/<name>/referrers/<digest>` and ECR's
 * ListImageReferrers share this query).
 */
export async function referrersOf(
  reader: Reader,
  blobs: BlobStore,
  repository: string,
  digest: string,
  artifactTypes?: readonly string[],
): Promise<Referrer[]> {
  const images = await reader.list<ImageRecord>(Kind.EcrImage, { prefix: ecrKeys.imagesOf(repository) });
  const out: Referrer[] = [];
  for (const { value: image } of images) {
    if (image.subject !== digest) continue;
    const bytes = await blobs.readAll(image.imageDigest);
    if (!bytes) continue;
    const parsed = parseManifest(bytes, image.imageManifestMediaType);
    if (artifactTypes && (parsed.artifactType === undefined || !artifactTypes.includes(parsed.artifactType)))
      continue;
    out.push({
      mediaType: image.imageManifestMediaType,
      digest: image.imageDigest,
      size: image.manifestSize,
      ...(parsed.artifactType ? { artifactType: parsed.artifactType } : {}),
      ...(parsed.annotations && Object.keys(parsed.annotations).length > 0
        ? { annotations: parsed.annotations }
        : {}),
    });
  }
  return out;
}
