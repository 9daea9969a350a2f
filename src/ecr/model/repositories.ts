/**
 * Repositories as ECR keeps them: names and their rules, ARNs and URIs, lookups that answer ECR's
 * errors, tag mutability (with its exclusion filters), and removing a repository with everything
 * in it. The API handlers and the registry data plane share these.
 */
import { ServiceError } from '../../core/errors.ts';
import { Kind, type Reader, type Tx } from '../../store/store.ts';
import { lifecycleEvaluatedKey, lifecyclePreviewKey } from './lifecycle-preview.ts';
import { type EcrContext, ecrKeys, type RepositoryRecord, type TagMutability } from './records.ts';

/** ECR's error types (the model's shape names). */
export const EcrErrorCode = {
  InvalidParameter: 'InvalidParameterException',
  InvalidTagParameter: 'InvalidTagParameterException',
  TooManyTags: 'TooManyTagsException',
  RepositoryNotFound: 'RepositoryNotFoundException',
  RepositoryAlreadyExists: 'RepositoryAlreadyExistsException',
  RepositoryNotEmpty: 'RepositoryNotEmptyException',
  RepositoryPolicyNotFound: 'RepositoryPolicyNotFoundException',
  LifecyclePolicyNotFound: 'LifecyclePolicyNotFoundException',
  LifecyclePolicyPreviewNotFound: 'LifecyclePolicyPreviewNotFoundException',
  ImageNotFound: 'ImageNotFoundException',
  ImageAlreadyExists: 'ImageAlreadyExistsException',
  ImageTagAlreadyExists: 'ImageTagAlreadyExistsException',
  LimitExceeded: 'LimitExceededException',
  Validation: 'ValidationException',
  Server: 'ServerException',
} as const;

/** `InvalidParameterException` worded as ECR words it: "Invalid parameter at 'x' failed to satisfy constraint: '...'". */
export function invalidParameter(member: string, constraint: string): ServiceError {
  return new ServiceError(
    EcrErrorCode.InvalidParameter,
    `Invalid parameter at '${member}' failed to satisfy constraint: '${constraint}'`,
  );
}

/** An enum member with a value outside its set (ECR's message does not echo the value). */
export function invalidEnum(member: string, _value: string, allowed: readonly string[]): ServiceError {
  return invalidParameter(member, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
}

/** What ECR accepts as a repository name (the model's pattern), 2 to 256 characters. */
const REPOSITORY_NAME = /^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$/;
/** The expression ECR quotes when it refuses a name (older than the model's, but its wording). */
const QUOTED_NAME_EXPRESSION = '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*';

/** Throws ECR's InvalidParameterException for a name it would refuse. */
export function checkRepositoryName(name: string, member = 'repositoryName'): void {
  if (name.length < 2) throw invalidParameter(member, 'must have length greater than or equal to 2');
  if (name.length > 256) throw invalidParameter(member, 'must have length less than or equal to 256');
  if (!REPOSITORY_NAME.test(name)) {
    throw invalidParameter(member, `must satisfy regular expression '${QUOTED_NAME_EXPRESSION}'`);
  }
}

/** The account id a request names, which must be the caller's own registry. */
export function registryIdOf(ctx: EcrContext, registryId: string | undefined): string {
  if (registryId === undefined) return ctx.partition.accountId;
  if (!/^[0-9]{12}$/.test(registryId)) {
    throw invalidParameter('registryId', "must satisfy regular expression '[0-9]{12}'");
  }
  return registryId;
}

export const repositoryArn = (ctx: EcrContext, name: string): string =>
  `arn:aws:ecr:${ctx.partition.region}:${ctx.partition.accountId}:repository/${name}`;

export const repositoryUri = (ctx: EcrContext, name: string): string => `${ctx.registryHost}/${name}`;

/** `http://<registry host>`, or https:// when the control plane serves TLS. */
export const registryOrigin = (ctx: EcrContext): string =>
  `${ctx.registryTls ? 'https' : 'http'}://${ctx.registryHost}`;

export function repositoryNotFound(name: string, registryId: string): ServiceError {
  return new ServiceError(
    EcrErrorCode.RepositoryNotFound,
    `The repository with name '${name}' does not exist in the registry with id '${registryId}'`,
  );
}

/**
 * The repository named, or ECR's RepositoryNotFoundException. A registry id other than the
 * caller's account finds nothing: Longshore keeps one account's registry.
 */
export async function getRepository(
  reader: Reader,
  ctx: EcrContext,
  name: string,
  registryId?: string,
): Promise<{ record: RepositoryRecord; version: number }> {
  const registry = registryIdOf(ctx, registryId);
  checkRepositoryName(name);
  const stored =
    registry === ctx.partition.accountId
      ? await reader.get<RepositoryRecord>(Kind.EcrRepository, ecrKeys.repository(name))
      : undefined;
  if (!stored) throw repositoryNotFound(name, registry);
  return { record: stored.value, version: stored.version };
}

/** Every repository of the region, by name. */
export async function listRepositories(reader: Reader): Promise<RepositoryRecord[]> {
  return (await reader.list<RepositoryRecord>(Kind.EcrRepository)).map((s) => s.value);
}

/** ECR's tag mutability settings, in the order its messages list them. */
export const TAG_MUTABILITIES: readonly TagMutability[] = [
  'MUTABLE',
  'IMMUTABLE',
  'IMMUTABLE_WITH_EXCLUSION',
  'MUTABLE_WITH_EXCLUSION',
];

export type ExclusionFilter = { filterType: string; filter: string };

/**
 * Checks a mutability setting and its exclusion filters as ECR does: the `*_WITH_EXCLUSION`
 * settings need 1-5 WILDCARD filters of `[0-9a-zA-Z._*-]{1,128}`; the others take none.
 */
export function checkTagMutability(
  mutability: string,
  filters: readonly ExclusionFilter[] | undefined,
): { imageTagMutability: TagMutability; imageTagMutabilityExclusionFilters?: ExclusionFilter[] } {
  if (!(TAG_MUTABILITIES as readonly string[]).includes(mutability)) {
    throw invalidEnum('imageTagMutability', mutability, TAG_MUTABILITIES);
  }
  const withExclusion = mutability.endsWith('_WITH_EXCLUSION');
  if (!withExclusion) {
    if (filters !== undefined && filters.length > 0) {
      throw invalidParameter(
        'imageTagMutabilityExclusionFilters',
        `Exclusion filters are only allowed with IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION tag mutability, not ${mutability}`,
      );
    }
    return { imageTagMutability: mutability as TagMutability };
  }
  if (filters === undefined || filters.length === 0) {
    throw invalidParameter(
      'imageTagMutabilityExclusionFilters',
      `Exclusion filters are required with ${mutability} tag mutability`,
    );
  }
  if (filters.length > 5) {
    throw invalidParameter(
      'imageTagMutabilityExclusionFilters',
      'Member must have length less than or equal to 5',
    );
  }
  const seen = new Set<string>();
  for (const f of filters) {
    if (f.filterType !== 'WILDCARD') throw invalidEnum('filterType', f.filterType, ['WILDCARD']);
    if (!/^[0-9a-zA-Z._*-]{1,128}$/.test(f.filter)) {
      throw invalidParameter(
        'filter',
        'Member must satisfy regular expression pattern: ^[0-9a-zA-Z._*-]{1,128}$',
      );
    }
    if (seen.has(f.filter))
      throw invalidParameter('imageTagMutabilityExclusionFilters', `Duplicate filter ${f.filter}`);
    seen.add(f.filter);
  }
  return {
    imageTagMutability: mutability as TagMutability,
    imageTagMutabilityExclusionFilters: filters.map((f) => ({ filterType: f.filterType, filter: f.filter })),
  };
}

/** A `*` wildcard pattern (anything else literal) as a whole-string expression. */
export function wildcard(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\-]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 's');
}

/**
 * Whether pushing `tag` may not move it to another image: IMMUTABLE tags never move, and with
 * exclusion filters a tag matching one of them behaves as the opposite setting.
 */
export function isTagImmutable(repository: RepositoryRecord, tag: string): boolean {
  const filters = repository.imageTagMutabilityExclusionFilters ?? [];
  const excluded = () => filters.some((f) => wildcard(f.filter).test(tag));
  switch (repository.imageTagMutability) {
    case 'MUTABLE':
      return false;
    case 'IMMUTABLE':
      return true;
    case 'IMMUTABLE_WITH_EXCLUSION':
      return !excluded();
    case 'MUTABLE_WITH_EXCLUSION':
      return excluded();
  }
}

/** ECR's ImageTagAlreadyExistsException for a push that would move an immutable tag. */
export function imageTagAlreadyExists(repository: string, tag: string): ServiceError {
  return new ServiceError(
    EcrErrorCode.ImageTagAlreadyExists,
    `The image tag '${tag}' already exists in the '${repository}' repository and cannot be overwritten because the repository is immutable.`,
  );
}

/** Counts of what a repository holds. */
export async function repositoryContents(
  reader: Reader,
  name: string,
): Promise<{ images: number; tags: number; uploads: number }> {
  const [images, tags, uploads] = await Promise.all([
    reader.list(Kind.EcrImage, { prefix: ecrKeys.imagesOf(name) }),
    reader.list(Kind.EcrTag, { prefix: ecrKeys.tagsOf(name) }),
    reader.list(Kind.EcrUpload, { prefix: `${name}#` }),
  ]);
  return { images: images.length, tags: tags.length, uploads: uploads.length };
}

/**
 * Removes a repository and every record under it (images, tags, open uploads). Blob bytes are
 * left to the registry's garbage collection, which frees what no image references any more.
 */
export async function removeRepository(tx: Tx, name: string): Promise<void> {
  for (const s of await tx.list(Kind.EcrImage, { prefix: ecrKeys.imagesOf(name) }))
    await tx.remove(Kind.EcrImage, s.key);
  for (const s of await tx.list(Kind.EcrTag, { prefix: ecrKeys.tagsOf(name) }))
    await tx.remove(Kind.EcrTag, s.key);
  for (const s of await tx.list(Kind.EcrUpload, { prefix: `${name}#` }))
    await tx.remove(Kind.EcrUpload, s.key);
  await tx.remove(Kind.Meta, lifecyclePreviewKey(name));
  await tx.remove(Kind.Meta, lifecycleEvaluatedKey(name));
  await tx.remove(Kind.EcrRepository, ecrKeys.repository(name));
}
