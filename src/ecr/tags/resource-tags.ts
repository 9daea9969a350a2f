/** Repository tags: ECR's limits and errors, shared by CreateRepository and the tag operations. */
import { ServiceError } from '../../core/errors.ts';
import type { EcrContext } from '../model/records.ts';
import { EcrErrorCode, invalidParameter, repositoryNotFound } from '../model/repositories.ts';

export type Tag = { Key: string; Value: string };

/** At most 50 tags a resource, as ECR. */
export const MAX_TAGS = 50;

function invalidTag(message: string): ServiceError {
  return new ServiceError(EcrErrorCode.InvalidTagParameter, message);
}

/** Checks keys (1-128) and values (0-256) and that `aws:` is not used, as AWS tagging does. */
export function checkTags(tags: readonly { Key?: string; Value?: string }[]): Tag[] {
  const out: Tag[] = [];
  for (const t of tags) {
    const key = t.Key ?? '';
    const value = t.Value ?? '';
    if (key.length < 1 || key.length > 128) {
      throw invalidTag(
        "Invalid parameter at 'Key' failed to satisfy constraint: 'Member must have length between 1 and 128'",
      );
    }
    if (value.length > 256) {
      throw invalidTag(
        "Invalid parameter at 'Value' failed to satisfy constraint: 'Member must have length less than or equal to 256'",
      );
    }
    if (key.toLowerCase().startsWith('aws:')) {
      throw invalidTag("Tag keys with the prefix 'aws:' are reserved for AWS use");
    }
    out.push({ Key: key, Value: value });
  }
  return out;
}

/** `existing` with `added` applied (a key given again takes the new value); TooManyTags past 50. */
export function mergeTags(existing: readonly Tag[], added: readonly Tag[]): Tag[] {
  const byKey = new Map(existing.map((t) => [t.Key, t.Value]));
  for (const t of added) byKey.set(t.Key, t.Value);
  if (byKey.size > MAX_TAGS) {
    throw new ServiceError(EcrErrorCode.TooManyTags, `A resource can have at most ${MAX_TAGS} tags.`);
  }
  return [...byKey].map(([Key, Value]) => ({ Key, Value }));
}

/** The repository name an ECR repository ARN of this region and account names. */
export function repositoryNameOfArn(ctx: EcrContext, arn: string): string {
  const m = /^arn:aws[a-z-]*:ecr:([a-z0-9-]+):([0-9]{12}):repository\/(.+)$/.exec(arn);
  if (!m) throw invalidParameter('resourceArn', 'Invalid ARN');
  const [, region, account, name] = m;
  if (region !== ctx.partition.region || account !== ctx.partition.accountId) {
    throw repositoryNotFound(name, account);
  }
  return name;
}
