/**
 * What the agent-side work calls, without HTTP, to put a Secrets Manager secret into a container's
 * environment: `valueFrom` as ECS container definitions write it, a secret name or ARN, optionally
 * with `:json-key:version-stage:version-id` after the ARN (each may be empty). Failures carry the
 * texts ECS puts in a stopped task's reason; they never contain a value.
 */
import type { Reader } from '../../store/store.ts';
import type { Clock } from '../../core/clock.ts';
import type { ValueCipher } from '../../crypto/value-cipher.ts';
import { ServiceError } from '../../core/errors.ts';
import { findSecret, markedForDeletion, openValue, selectVersion } from './records.ts';

export interface SecretReference {
  /** The SecretId to look up: the secret's ARN (without the suffix) or its name. */
  secretId: string;
  jsonKey?: string;
  versionStage?: string;
  versionId?: string;
  /** The region an ARN names (the caller picks that region's store). */
  region?: string;
}

/** ECS's prefix for a secret it could not fetch while starting a task. */
export const SECRETS_RESOLUTION_PREFIX =
  'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed';

export class SecretResolutionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretResolutionError';
  }
}

/** Splits `valueFrom`: an ARN has 7 colon-separated parts, then json-key, version-stage, version-id. */
export function parseSecretReference(valueFrom: string): SecretReference {
  if (!valueFrom.startsWith('arn:')) return { secretId: valueFrom };
  const parts = valueFrom.split(':');
  if (parts.length < 7 || parts[2] !== 'secretsmanager' || parts[5] !== 'secret') {
    throw new SecretResolutionError(
      `${SECRETS_RESOLUTION_PREFIX}: unable to retrieve secret from asm: invalid secret ARN ${valueFrom}`,
    );
  }
  const [jsonKey, versionStage, versionId] = parts.slice(7);
  return {
    secretId: parts.slice(0, 7).join(':'),
    region: parts[3],
    ...(jsonKey ? { jsonKey } : {}),
    ...(versionStage ? { versionStage } : {}),
    ...(versionId ? { versionId } : {}),
  };
}

export interface ResolveContext {
  store: Reader;
  clock: Clock;
  cipher: () => ValueCipher;
}

/** The plaintext `valueFrom` names (a JSON key's value when one is given). */
export async function resolveSecretValue(ctx: ResolveContext, valueFrom: string): Promise<string> {
  const ref = parseSecretReference(valueFrom);
  const fail = (why: string) =>
    new SecretResolutionError(
      `${SECRETS_RESOLUTION_PREFIX}: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret ${ref.secretId} from secrets manager: ${why}`,
    );
  let value: { string?: string; binary?: Buffer };
  try {
    const secret = await findSecret(ctx.store, ref.secretId, ctx.clock.now());
    if (secret.deletionDate !== undefined) throw markedForDeletion();
    value = openValue(ctx.cipher(), secret.arn, selectVersion(secret, ref.versionId, ref.versionStage));
  } catch (error) {
    if (error instanceof ServiceError) throw fail(`${error.code}: ${error.message}`);
    throw error;
  }
  if (value.string === undefined) {
    throw fail('InvalidRequestException: the secret has a binary value, not a SecretString');
  }
  if (ref.jsonKey === undefined) return value.string;
  let doc: unknown;
  try {
    doc = JSON.parse(value.string);
  } catch {
    doc = undefined;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new SecretResolutionError(
      `${SECRETS_RESOLUTION_PREFIX}: unable to retrieve secret from asm: failed to unmarshal secret value of secret ${ref.secretId} as JSON`,
    );
  }
  const field = (doc as Record<string, unknown>)[ref.jsonKey];
  if (field === undefined) {
    throw new SecretResolutionError(
      `${SECRETS_RESOLUTION_PREFIX}: unable to retrieve secret from asm: service call has been retried 1 time(s): retrieved secret from Secrets Manager did not contain json key ${ref.jsonKey}`,
    );
  }
  return typeof field === 'string' ? field : JSON.stringify(field);
}
