/** What several Secrets Manager calls check the same way: values, tokens, tags, descriptions, KMS key ids. */
import { ServiceError } from '../core/errors.ts';
import {
  type SecretTag,
  type SecretValue,
  type SecretsManagerContext,
  invalidParameter,
  newUuid,
} from './model/records.ts';

const MAX_VALUE = 65_536;

/** SecretString or SecretBinary (base64 text on the wire), exactly one; `optional` lets neither through. */
export function inputValue(
  input: { SecretString?: unknown; SecretBinary?: unknown },
  optional: boolean,
): SecretValue | undefined {
  const hasString = input.SecretString !== undefined;
  const hasBinary = input.SecretBinary !== undefined;
  if (hasString && hasBinary) {
    throw invalidParameter(
      "You can't specify both a binary secret value and a string secret value in the same secret.",
    );
  }
  if (!hasString && !hasBinary) {
    if (optional) return undefined;
    throw invalidParameter('You must provide either SecretString or SecretBinary.');
  }
  if (hasString) {
    if (typeof input.SecretString !== 'string') throw invalidParameter('SecretString must be a string.');
    if (input.SecretString.length > MAX_VALUE) {
      throw invalidParameter('SecretString must be at most 65536 characters.');
    }
    return { string: input.SecretString };
  }
  const b = input.SecretBinary;
  const bytes =
    typeof b === 'string' ? Buffer.from(b, 'base64') : b instanceof Uint8Array ? Buffer.from(b) : undefined;
  if (!bytes) throw invalidParameter('SecretBinary must be a blob.');
  if (bytes.length > MAX_VALUE) throw invalidParameter('SecretBinary must be at most 65536 bytes.');
  return { binary: bytes };
}

export function sameValue(a: SecretValue, b: SecretValue): boolean {
  if (a.binary || b.binary) return !!a.binary && !!b.binary && a.binary.equals(b.binary);
  return a.string === b.string;
}

/** ClientRequestToken: 32 to 64 characters; a new UUID when the caller gives none. */
export function versionIdOf(ctx: SecretsManagerContext, token: unknown): string {
  if (token === undefined) return newUuid(ctx.rng);
  if (typeof token !== 'string' || token.length < 32 || token.length > 64) {
    throw invalidParameter('ClientRequestToken must be 32 to 64 characters long.');
  }
  return token;
}

export function checkDescription(description: unknown): string | undefined {
  if (description === undefined) return undefined;
  if (typeof description !== 'string' || description.length > 2048) {
    throw invalidParameter('Description must be at most 2048 characters.');
  }
  return description;
}

export function checkKmsKeyId(keyId: unknown): string | undefined {
  if (keyId === undefined) return undefined;
  if (typeof keyId !== 'string' || keyId.length < 1 || keyId.length > 2048) {
    throw invalidParameter('KmsKeyId must be 1 to 2048 characters.');
  }
  return keyId;
}

export const MAX_TAGS = 50;

export function checkTags(tags: unknown): SecretTag[] {
  if (tags === undefined) return [];
  if (!Array.isArray(tags)) throw invalidParameter('Tags must be a list.');
  const out: SecretTag[] = [];
  for (const t of tags as { Key?: unknown; Value?: unknown }[]) {
    if (typeof t?.Key !== 'string' || t.Key.length < 1 || t.Key.length > 128) {
      throw invalidParameter('Tag keys must be 1 to 128 characters.');
    }
    if (t.Key.toLowerCase().startsWith('aws:')) {
      throw invalidParameter('Invalid tag key: tag keys starting with aws: are reserved.');
    }
    const value = t.Value ?? '';
    if (typeof value !== 'string' || value.length > 256) {
      throw invalidParameter('Tag values must be at most 256 characters.');
    }
    out.push({ Key: t.Key, Value: value });
  }
  const byKey = new Map(out.map((t) => [t.Key, t]));
  if (byKey.size > MAX_TAGS) {
    throw new ServiceError('LimitExceededException', 'A secret can have at most 50 tags.');
  }
  return [...byKey.values()];
}

/** Version stages: 1 to 256 characters each, at most 20 on a version. */
export function checkStages(stages: unknown): string[] | undefined {
  if (stages === undefined) return undefined;
  if (!Array.isArray(stages) || stages.length < 1 || stages.length > 20) {
    throw invalidParameter('VersionStages must list 1 to 20 staging labels.');
  }
  for (const s of stages) {
    if (typeof s !== 'string' || s.length < 1 || s.length > 256) {
      throw invalidParameter('Staging labels must be 1 to 256 characters.');
    }
  }
  return [...new Set(stages as string[])];
}
