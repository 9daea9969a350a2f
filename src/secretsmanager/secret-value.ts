/**
 * GetSecretValue, BatchGetSecretValue and PutSecretValue: values are opened only to answer the
 * caller and sealed as soon as they arrive. A secret scheduled for deletion refuses both. Reading
 * records the day (LastAccessedDate), one write a day at most.
 */
import type {
  APIErrorType,
  BatchGetSecretValueRequest,
  BatchGetSecretValueResponse,
  GetSecretValueRequest,
  GetSecretValueResponse,
  PutSecretValueRequest,
  PutSecretValueResponse,
  SecretValueEntry,
} from '@aws-sdk/client-secrets-manager';
import { ServiceError } from '../core/errors.ts';
import type { Wire } from '../core/wire.ts';
import { Kind, type Tx } from '../store/store.ts';
import { checkFilters, matchesFilters, pageStart, nextToken } from './list-secrets.ts';
import {
  AWSCURRENT,
  type SecretRecord,
  type SecretVersion,
  type SecretsManagerContext,
  addVersion,
  dayOf,
  findSecret,
  invalidParameter,
  listSecretRecords,
  markedForDeletion,
  openValue,
  sealValue,
  selectVersion,
} from './model/records.ts';
import { checkStages, sameValue, inputValue, versionIdOf } from './secret-input.ts';

const seconds = (ms: number) => ms / 1000;

function valueEntry(ctx: SecretsManagerContext, secret: SecretRecord, v: SecretVersion) {
  const value = openValue(ctx.cipher(), secret.arn, v);
  return {
    ARN: secret.arn,
    Name: secret.name,
    VersionId: v.id,
    ...(value.binary ? { SecretBinary: value.binary.toString('base64') as never } : {}),
    ...(value.string !== undefined ? { SecretString: value.string } : {}),
    VersionStages: [...v.stages],
    CreatedDate: seconds(v.createdAt) as never,
  };
}

/** Records the day a version was read (LastAccessedDate of the secret and of the version). */
async function touch(tx: Tx, secret: SecretRecord, version: SecretVersion, now: number): Promise<void> {
  const day = dayOf(now);
  if (secret.lastAccessedAt === day && version.lastAccessedAt === day) return;
  const versions = secret.versions.map((v) => (v.id === version.id ? { ...v, lastAccessedAt: day } : v));
  await tx.put(Kind.SecretsManagerSecret, secret.name, { ...secret, versions, lastAccessedAt: day });
}

export async function getSecretValue(
  ctx: SecretsManagerContext,
  input: Wire<GetSecretValueRequest>,
): Promise<Wire<GetSecretValueResponse>> {
  const now = ctx.clock.now();
  return ctx.store.transact(async (tx) => {
    const secret = await findSecret(tx, input.SecretId, now);
    if (secret.deletionDate !== undefined) throw markedForDeletion();
    const version = selectVersion(secret, input.VersionId, input.VersionStage);
    const entry = valueEntry(ctx, secret, version);
    await touch(tx, secret, version, now);
    return entry;
  });
}

export async function batchGetSecretValue(
  ctx: SecretsManagerContext,
  input: Wire<BatchGetSecretValueRequest>,
): Promise<Wire<BatchGetSecretValueResponse>> {
  const ids = input.SecretIdList;
  const hasIds = ids !== undefined && ids.length > 0;
  const hasFilters = input.Filters !== undefined && input.Filters.length > 0;
  if (hasIds === hasFilters) {
    throw invalidParameter('Either SecretIdList or Filters must be provided, but not both.');
  }
  if (hasIds && ids.length > 20) throw invalidParameter('SecretIdList can name at most 20 secrets.');
  const max = input.MaxResults ?? 20;
  if (!Number.isInteger(max) || max < 1 || max > 20) {
    throw invalidParameter('MaxResults must be between 1 and 20.');
  }
  if (hasIds && input.MaxResults !== undefined) {
    throw invalidParameter('MaxResults can only be used with Filters.');
  }
  const filters = hasFilters ? checkFilters(input.Filters) : [];
  const now = ctx.clock.now();
  return ctx.store.transact(async (tx) => {
    const values: Wire<SecretValueEntry>[] = [];
    const errors: Wire<APIErrorType>[] = [];
    if (hasIds) {
      for (const id of ids) {
        try {
          const secret = await findSecret(tx, id, now);
          if (secret.deletionDate !== undefined) throw markedForDeletion();
          const current = selectVersion(secret, undefined, AWSCURRENT);
          values.push(valueEntry(ctx, secret, current));
          await touch(tx, secret, current, now);
        } catch (error) {
          if (!(error instanceof ServiceError)) throw error;
          errors.push({ SecretId: id, ErrorCode: error.code, Message: error.message });
        }
      }
      return { SecretValues: values, Errors: errors };
    }
    const all = (await listSecretRecords(tx, now))
      .filter((s) => s.deletionDate === undefined && matchesFilters(s, filters))
      .sort((a, b) => a.createdAt - b.createdAt || (a.name < b.name ? -1 : 1));
    const start = pageStart(input.NextToken);
    for (const secret of all.slice(start, start + max)) {
      const current = secret.versions.find((v) => v.stages.includes(AWSCURRENT));
      if (!current) continue;
      values.push(valueEntry(ctx, secret, current));
      await touch(tx, secret, current, now);
    }
    const next = nextToken(start, max, all.length);
    return { SecretValues: values, Errors: errors, ...(next ? { NextToken: next } : {}) };
  });
}

export async function putSecretValue(
  ctx: SecretsManagerContext,
  input: Wire<PutSecretValueRequest>,
): Promise<Wire<PutSecretValueResponse>> {
  const value = inputValue(input, false) as NonNullable<ReturnType<typeof inputValue>>;
  const versionId = versionIdOf(ctx, input.ClientRequestToken);
  const stages = checkStages(input.VersionStages) ?? [AWSCURRENT];
  if (input.RotationToken !== undefined) {
    throw new ServiceError(
      'InvalidRequestException',
      'Longshore does not rotate secrets: RotationToken is not used.',
    );
  }
  const now = ctx.clock.now();
  return ctx.store.transact(async (tx) => {
    const secret = await findSecret(tx, input.SecretId, now);
    if (secret.deletionDate !== undefined) throw markedForDeletion();
    const existing = secret.versions.find((v) => v.id === versionId);
    if (existing) {
      if (!sameValue(openValue(ctx.cipher(), secret.arn, existing), value)) {
        throw new ServiceError(
          'ResourceExistsException',
          `A version with ClientRequestToken ${versionId} already exists with a different value; a version cannot be changed.`,
        );
      }
      return { ARN: secret.arn, Name: secret.name, VersionId: existing.id, VersionStages: existing.stages };
    }
    const version: SecretVersion = {
      id: versionId,
      stages,
      createdAt: now,
      sealed: sealValue(ctx.cipher(), secret.arn, versionId, value),
      binary: value.binary !== undefined,
    };
    const next: SecretRecord = { ...secret, versions: addVersion(secret, version), lastChangedAt: now };
    await tx.put(Kind.SecretsManagerSecret, secret.name, next);
    return { ARN: secret.arn, Name: secret.name, VersionId: versionId, VersionStages: stages };
  });
}
