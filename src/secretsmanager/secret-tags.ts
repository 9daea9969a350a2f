/** TagResource and UntagResource: at most 50 tags, keys 1 to 128 characters, `aws:` reserved. */
import type { TagResourceRequest, UntagResourceRequest } from '@aws-sdk/client-secrets-manager';
import { ServiceError } from '../core/errors.ts';
import type { Wire } from '../core/wire.ts';
import { Kind } from '../store/store.ts';
import {
  type SecretsManagerContext,
  findSecret,
  invalidParameter,
  markedForDeletion,
} from './model/records.ts';
import { MAX_TAGS, checkTags } from './secret-input.ts';

export async function tagResource(
  ctx: SecretsManagerContext,
  input: Wire<TagResourceRequest>,
): Promise<object> {
  const added = checkTags(input.Tags ?? []);
  const now = ctx.clock.now();
  await ctx.store.transact(async (tx) => {
    const secret = await findSecret(tx, input.SecretId, now);
    if (secret.deletionDate !== undefined) throw markedForDeletion();
    const byKey = new Map(secret.tags.map((t) => [t.Key, t]));
    for (const t of added) byKey.set(t.Key, t);
    if (byKey.size > MAX_TAGS)
      throw new ServiceError('LimitExceededException', 'A secret can have at most 50 tags.');
    await tx.put(Kind.SecretsManagerSecret, secret.name, {
      ...secret,
      tags: [...byKey.values()],
      lastChangedAt: now,
    });
  });
  return {};
}

export async function untagResource(
  ctx: SecretsManagerContext,
  input: Wire<UntagResourceRequest>,
): Promise<object> {
  const keys = input.TagKeys ?? [];
  if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string' || k.length < 1 || k.length > 128)) {
    throw invalidParameter('TagKeys must be 1 to 128 characters each.');
  }
  const now = ctx.clock.now();
  await ctx.store.transact(async (tx) => {
    const secret = await findSecret(tx, input.SecretId, now);
    if (secret.deletionDate !== undefined) throw markedForDeletion();
    const tags = secret.tags.filter((t) => !keys.includes(t.Key));
    await tx.put(Kind.SecretsManagerSecret, secret.name, { ...secret, tags, lastChangedAt: now });
  });
  return {};
}
