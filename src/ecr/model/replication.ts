/**
 * One image's replication, the step the replication controller repeats until it holds: for each
 * destination still IN_PROGRESS in the image's Kind.EcrReplication record, the destination
 * region's repository is created if missing (from that region's repository creation template for
 * REPLICATION, else with the source's tag mutability, scanning and encryption settings), then the image record (with the images a manifest list names) and every
 * tag the image has in the source are written there, in one transaction per destination. Blobs are
 * content-addressed and shared by every region (`blob-store.ts`), so only records move.
 *
 * Crash-safe without a transaction across regions: each destination's write is idempotent (an
 * image is keyed by digest, a tag is put only where it names another image), and the source record
 * is rewritten COMPLETE / FAILED only afterwards, at the version that was read. A crash in between
 * leaves the record IN_PROGRESS and the next pass writes the same records again: nothing is
 * duplicated. A push that rewrote the record meanwhile makes the rewrite fail (VersionConflict)
 * and the pass is redone with what that push asked for.
 */
import { Kind, type Reader } from '../../store/store.ts';
import {
  type EcrContext,
  ecrKeys,
  type ImageRecord,
  type RepositoryRecord,
  type TagRecord,
} from './records.ts';
import {
  type DestinationStatus,
  type ReplicationRecord,
  type RepositoryTemplateRecord,
  templateFor,
} from './registry-settings.ts';
import { isTagImmutable, repositoryArn, repositoryUri } from './repositories.ts';

/** Failure codes a destination can end with (ECR's ImageReplicationStatus.failureCode is a free string). */
export const ReplicationFailure = {
  /** The destination is another account's registry: this installation holds one account's registry. */
  RegistryNotFound: 'REGISTRY_NOT_FOUND',
  /** An immutable tag in the destination repository names another image. */
  ImageTagAlreadyExists: 'IMAGE_TAG_ALREADY_EXISTS',
} as const;

/** Thrown inside a destination's transaction for a failure that retrying cannot fix. */
class ReplicationRefused extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/**
 * Replicates the image `key` names in `source`'s region to its pending destinations; `contextFor`
 * gives a destination region's context. Returns the destinations it settled (none: nothing was
 * left to do).
 */
export async function replicateImage(
  source: EcrContext,
  key: string,
  contextFor: (region: string) => EcrContext,
): Promise<DestinationStatus[]> {
  const stored = await source.store.get<ReplicationRecord>(Kind.EcrReplication, key);
  if (!stored) return [];
  const record = stored.value;
  if (!record.destinations.some((d) => d.status === 'IN_PROGRESS')) return [];
  const image = await source.store.get<ImageRecord>(Kind.EcrImage, key);
  const repository = await source.store.get<RepositoryRecord>(
    Kind.EcrRepository,
    ecrKeys.repository(record.repositoryName),
  );
  if (!image || !repository || image.value.imagePushedAt !== record.imagePushedAt) {
    // The image (or its repository) is gone: nothing is left to replicate.
    await source.store.transact(async (tx) => {
      await tx.remove(Kind.EcrReplication, key, stored.version);
    });
    return [];
  }
  const images = await withChildren(source.store, image.value);
  const tags = (
    await source.store.list<TagRecord>(Kind.EcrTag, { prefix: ecrKeys.tagsOf(record.repositoryName) })
  )
    .map((t) => t.value)
    .filter((t) => t.imageDigest === record.imageDigest)
    .map((t) => t.imageTag);
  const destinations: DestinationStatus[] = [];
  const settled: DestinationStatus[] = [];
  for (const d of record.destinations) {
    if (d.status !== 'IN_PROGRESS') {
      destinations.push(d);
      continue;
    }
    if (d.registryId !== source.partition.accountId) {
      destinations.push({
        region: d.region,
        registryId: d.registryId,
        status: 'FAILED',
        failureCode: ReplicationFailure.RegistryNotFound,
        failureReason: `Longshore holds the registry of account ${source.partition.accountId} only; ${d.registryId} has none here`,
      });
      continue;
    }
    try {
      await writeReplica(contextFor(d.region), repository.value, images, tags, source.clock.now());
      destinations.push({ region: d.region, registryId: d.registryId, status: 'COMPLETE' });
    } catch (error) {
      if (!(error instanceof ReplicationRefused)) throw error;
      destinations.push({
        region: d.region,
        registryId: d.registryId,
        status: 'FAILED',
        failureCode: error.code,
        failureReason: error.message,
      });
    }
  }
  await source.store.transact(async (tx) => {
    await tx.put(Kind.EcrReplication, key, { ...record, destinations }, stored.version);
  });
  for (const d of destinations) {
    if (
      !record.destinations.some(
        (r) => r.region === d.region && r.registryId === d.registryId && r.status === d.status,
      )
    )
      settled.push(d);
  }
  return settled;
}

/** The image, and for a manifest list the images it names (before it: they are written first). */
async function withChildren(reader: Reader, image: ImageRecord): Promise<ImageRecord[]> {
  const children: ImageRecord[] = [];
  for (const digest of image.references) {
    const child = await reader.get<ImageRecord>(Kind.EcrImage, ecrKeys.image(image.repositoryName, digest));
    if (child) children.push(child.value);
  }
  return [...children, image];
}

/** One destination, in one transaction of its region; idempotent. */
async function writeReplica(
  dest: EcrContext,
  source: RepositoryRecord,
  images: readonly ImageRecord[],
  tags: readonly string[],
  nowMs: number,
): Promise<void> {
  const name = source.repositoryName;
  const seconds = Math.floor(nowMs / 1000);
  await dest.store.transact(async (tx) => {
    const existing = await tx.get<RepositoryRecord>(Kind.EcrRepository, ecrKeys.repository(name));
    let repo = existing?.value;
    if (!repo) {
      repo = replicaRepository(dest, source, seconds, await templateFor(tx, name, 'REPLICATION'));
      await tx.put(Kind.EcrRepository, ecrKeys.repository(name), repo, 'absent');
    }
    for (const image of images) {
      const key = ecrKeys.image(name, image.imageDigest);
      if (await tx.get(Kind.EcrImage, key)) continue;
      const { lastRecordedPullTime: _pulled, ...copy } = image;
      await tx.put(Kind.EcrImage, key, { ...copy, imagePushedAt: seconds }, 'absent');
    }
    const digest = images[images.length - 1].imageDigest;
    for (const tag of tags) {
      const key = ecrKeys.tag(name, tag);
      const current = await tx.get<TagRecord>(Kind.EcrTag, key);
      if (current?.value.imageDigest === digest) continue;
      if (current && isTagImmutable(repo, tag)) {
        throw new ReplicationRefused(
          ReplicationFailure.ImageTagAlreadyExists,
          `The image tag '${tag}' already exists in the '${name}' repository of ${dest.partition.region} and cannot be overwritten because the repository is immutable.`,
        );
      }
      const record: TagRecord = {
        repositoryName: name,
        imageTag: tag,
        imageDigest: digest,
        updatedAt: seconds,
      };
      await tx.put(Kind.EcrTag, key, record, current?.version ?? 'absent');
    }
  });
}

/**
 * The repository replication creates. With a repository creation template of the destination
 * region applied for REPLICATION (`templateFor`): the template's tag mutability, encryption,
 * tags, repository policy and lifecycle policy. Without one: the source's tag mutability (with its
 * exclusion filters), scan on push and encryption type (a KMS repository gets the destination
 * region's `alias/aws/ecr`: a key belongs to its region), and no policy, lifecycle policy or tags.
 */
function replicaRepository(
  dest: EcrContext,
  source: RepositoryRecord,
  seconds: number,
  template: RepositoryTemplateRecord | undefined,
): RepositoryRecord {
  const name = source.repositoryName;
  const defaultKey = `arn:aws:kms:${dest.partition.region}:${dest.partition.accountId}:alias/aws/ecr`;
  if (template) {
    const encryption = template.encryptionConfiguration ?? { encryptionType: 'AES256' };
    return {
      repositoryName: name,
      repositoryArn: repositoryArn(dest, name),
      registryId: dest.partition.accountId,
      repositoryUri: repositoryUri(dest, name),
      createdAt: seconds,
      imageTagMutability: template.imageTagMutability ?? 'MUTABLE',
      ...(template.imageTagMutabilityExclusionFilters
        ? {
            imageTagMutabilityExclusionFilters: template.imageTagMutabilityExclusionFilters.map((f) => ({
              ...f,
            })),
          }
        : {}),
      imageScanningConfiguration: { scanOnPush: false },
      encryptionConfiguration:
        encryption.encryptionType === 'AES256'
          ? { encryptionType: 'AES256' }
          : { encryptionType: encryption.encryptionType, kmsKey: encryption.kmsKey || defaultKey },
      tags: template.resourceTags.map((t) => ({ ...t })),
      ...(template.repositoryPolicy ? { policyText: template.repositoryPolicy } : {}),
      ...(template.lifecyclePolicy
        ? { lifecyclePolicyText: template.lifecyclePolicy, lifecyclePolicyUpdatedAt: seconds }
        : {}),
    };
  }
  return {
    repositoryName: name,
    repositoryArn: repositoryArn(dest, name),
    registryId: dest.partition.accountId,
    repositoryUri: repositoryUri(dest, name),
    createdAt: seconds,
    imageTagMutability: source.imageTagMutability,
    ...(source.imageTagMutabilityExclusionFilters
      ? {
          imageTagMutabilityExclusionFilters: source.imageTagMutabilityExclusionFilters.map((f) => ({
            ...f,
          })),
        }
      : {}),
    imageScanningConfiguration: { scanOnPush: source.imageScanningConfiguration.scanOnPush },
    encryptionConfiguration:
      source.encryptionConfiguration.encryptionType === 'AES256'
        ? { encryptionType: 'AES256' }
        : {
            encryptionType: source.encryptionConfiguration.encryptionType,
            kmsKey: defaultKey,
          },
    tags: [],
  };
}

/**
 * Drops the records of images that are gone (deleted, expired, their repository deleted) or were
 * pushed again since (a stale record of the same digest); returns the keys still IN_PROGRESS.
 */
export async function sweepReplications(source: EcrContext): Promise<string[]> {
  const pending: string[] = [];
  for (const stored of await source.store.list<ReplicationRecord>(Kind.EcrReplication)) {
    const image = await source.store.get<ImageRecord>(Kind.EcrImage, stored.key);
    if (image && image.value.imagePushedAt === stored.value.imagePushedAt) {
      if (stored.value.destinations.some((d) => d.status === 'IN_PROGRESS')) pending.push(stored.key);
      continue;
    }
    await source.store
      .transact(async (tx) => {
        await tx.remove(Kind.EcrReplication, stored.key, stored.version);
      })
      .catch(() => {
        // Rewritten meanwhile (a push): the next sweep looks again.
      });
  }
  return pending;
}
