/**
 * Secrets as stored (`Kind.SecretsManagerSecret`, keyed by name in the region's store view): the
 * secret's metadata and its versions, each version's value sealed by the value cipher
 * (`src/crypto/value-cipher.ts`) bound to the secret's ARN and the version id. Lookups take a name,
 * a full ARN or a partial ARN (without the 6-character suffix) and answer Secrets Manager's errors.
 */
import type { Partition } from '../../core/arn.ts';
import type { Clock, Rng } from '../../core/clock.ts';
import { ServiceError } from '../../core/errors.ts';
import type { ValueCipher } from '../../crypto/value-cipher.ts';
import { Kind, type Reader, type Store } from '../../store/store.ts';

/** What Secrets Manager handlers and the model functions work with. */
export interface SecretsManagerContext {
  store: Store;
  clock: Clock;
  rng: Rng;
  partition: Partition;
  /** The cipher of `<dataDir>/keys/secrets.key` (made on first use). */
  cipher: () => ValueCipher;
}

export interface SecretTag {
  Key: string;
  Value: string;
}

export interface SecretVersion {
  id: string;
  stages: string[];
  createdAt: number;
  /** The value, sealed; `binary` tells SecretBinary from SecretString. */
  sealed: string;
  binary: boolean;
  /** Midnight (UTC) of the last day this version's value was read. */
  lastAccessedAt?: number;
}

export interface SecretRecord {
  arn: string;
  name: string;
  description?: string;
  kmsKeyId?: string;
  tags: SecretTag[];
  createdAt: number;
  lastChangedAt: number;
  /** Midnight (UTC) of the last day a value was read, as Secrets Manager reports it. */
  lastAccessedAt?: number;
  /** When DeleteSecret scheduled the deletion, and when it takes effect. */
  deletedAt?: number;
  deletionDate?: number;
  policy?: string;
  /** Oldest first. */
  versions: SecretVersion[];
}

export const AWSCURRENT = 'AWSCURRENT';
export const AWSPREVIOUS = 'AWSPREVIOUS';
export const AWSPENDING = 'AWSPENDING';
/** Versions without a staging label beyond this many are dropped, oldest first. */
export const MAX_VERSIONS = 100;

export const secretNotFound = () =>
  new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");

export const markedForDeletion = () =>
  new ServiceError(
    'InvalidRequestException',
    "You can't perform this operation on the secret because it was marked for deletion.",
  );

export const invalidParameter = (message: string) => new ServiceError('InvalidParameterException', message);

const NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;

export function checkSecretName(name: unknown): string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw invalidParameter(
      'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
    );
  }
  return name;
}

/** Past its deletion date a secret is gone: reads do not see it and a new one may take its name. */
export function isPurged(secret: SecretRecord, now: number): boolean {
  return secret.deletionDate !== undefined && secret.deletionDate <= now;
}

/** The secret a SecretId names (name, full ARN, partial ARN); ResourceNotFoundException otherwise. */
export async function findSecret(reader: Reader, secretId: unknown, now: number): Promise<SecretRecord> {
  const found = await lookupSecret(reader, secretId, now);
  if (!found) throw secretNotFound();
  return found;
}

export async function lookupSecret(
  reader: Reader,
  secretId: unknown,
  now: number,
): Promise<SecretRecord | undefined> {
  if (typeof secretId !== 'string' || secretId.length < 1 || secretId.length > 2048) {
    throw invalidParameter('You must specify a valid SecretId.');
  }
  const candidates: { name: string; exactArn?: string; partialArn?: string }[] = [];
  const marker = secretId.startsWith('arn:') ? secretId.indexOf(':secret:') : -1;
  if (marker >= 0) {
    const rest = secretId.slice(marker + ':secret:'.length);
    candidates.push({ name: rest, partialArn: secretId });
    if (/-[A-Za-z0-9]{6}$/.test(rest)) candidates.push({ name: rest.slice(0, -7), exactArn: secretId });
  } else {
    candidates.push({ name: secretId });
  }
  for (const c of candidates) {
    if (c.name.length === 0) continue;
    const stored = await reader.get<SecretRecord>(Kind.SecretsManagerSecret, c.name);
    if (!stored || isPurged(stored.value, now)) continue;
    const arn = stored.value.arn;
    if (c.exactArn !== undefined && arn !== c.exactArn) continue;
    if (c.partialArn !== undefined && !(arn === c.partialArn || arn.slice(0, -7) === c.partialArn)) continue;
    return stored.value;
  }
  return undefined;
}

export async function listSecretRecords(reader: Reader, now: number): Promise<SecretRecord[]> {
  return (await reader.list<SecretRecord>(Kind.SecretsManagerSecret))
    .map((r) => r.value)
    .filter((s) => !isPurged(s, now));
}

/** The AAD a version's value is sealed with. */
export const valueContext = (arn: string, versionId: string) => `secretsmanager:${arn}:${versionId}`;

export interface SecretValue {
  string?: string;
  binary?: Buffer;
}

export function sealValue(cipher: ValueCipher, arn: string, versionId: string, value: SecretValue): string {
  return cipher.seal(value.binary ?? value.string ?? '', valueContext(arn, versionId));
}

export function openValue(cipher: ValueCipher, arn: string, version: SecretVersion): SecretValue {
  let plain: Buffer;
  try {
    plain = cipher.open(version.sealed, valueContext(arn, version.id));
  } catch {
    throw new ServiceError(
      'DecryptionFailure',
      "Secrets Manager can't decrypt the protected secret text using the provided KMS key.",
    );
  }
  return version.binary ? { binary: plain } : { string: plain.toString('utf8') };
}

/** The version a VersionId and/or VersionStage names (AWSCURRENT when neither). */
export function selectVersion(
  secret: SecretRecord,
  versionId: string | undefined,
  versionStage: string | undefined,
): SecretVersion {
  if (versionId !== undefined) {
    const v = secret.versions.find((x) => x.id === versionId);
    if (!v || (versionStage !== undefined && !v.stages.includes(versionStage))) {
      throw new ServiceError(
        'ResourceNotFoundException',
        `Secrets Manager can't find the specified secret value for VersionId: ${versionId}`,
      );
    }
    return v;
  }
  const stage = versionStage ?? AWSCURRENT;
  const v = secret.versions.find((x) => x.stages.includes(stage));
  if (!v) {
    throw new ServiceError(
      'ResourceNotFoundException',
      `Secrets Manager can't find the specified secret value for staging label: ${stage}`,
    );
  }
  return v;
}

/** Midnight UTC of `now`: Secrets Manager reports LastAccessedDate to the day. */
export const dayOf = (now: number) => Math.floor(now / 86_400_000) * 86_400_000;

/** Drops the oldest versions that carry no staging label while there are more than MAX_VERSIONS. */
export function pruneVersions(versions: SecretVersion[]): SecretVersion[] {
  let excess = versions.length - MAX_VERSIONS;
  if (excess <= 0) return versions;
  return versions.filter((v) => {
    if (excess > 0 && v.stages.length === 0) {
      excess--;
      return false;
    }
    return true;
  });
}

/**
 * Adds a version holding `stages`: each label leaves the version that had it; when AWSCURRENT
 * moves, the version that had it becomes AWSPREVIOUS (which leaves its former holder).
 */
export function addVersion(secret: SecretRecord, version: SecretVersion): SecretVersion[] {
  const movesCurrent = version.stages.includes(AWSCURRENT);
  const oldCurrent = secret.versions.find((v) => v.stages.includes(AWSCURRENT));
  const versions = secret.versions.map((v) => {
    let stages = v.stages.filter((s) => !version.stages.includes(s));
    if (movesCurrent && oldCurrent) {
      stages = stages.filter((s) => s !== AWSPREVIOUS);
      if (v === oldCurrent) stages = [...stages, AWSPREVIOUS];
    }
    return { ...v, stages };
  });
  return pruneVersions([...versions, version]);
}

/** A UUID from the context's randomness (version ids when the caller gives no token). */
export function newUuid(rng: Rng): string {
  const h = rng.hex(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const SUFFIX_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 random characters>`. */
export function newSecretArn(ctx: Pick<SecretsManagerContext, 'partition' | 'rng'>, name: string): string {
  let suffix = '';
  for (let i = 0; i < 6; i++) suffix += SUFFIX_CHARS[Math.floor(ctx.rng.next() * SUFFIX_CHARS.length)];
  const { region, accountId } = ctx.partition;
  return `arn:aws:secretsmanager:${region}:${accountId}:secret:${name}-${suffix}`;
}
