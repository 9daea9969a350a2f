/**
 * UpdateSecret (description, KMS key id, and a new AWSCURRENT version when a value is given) and
 * UpdateSecretVersionStage: a label moves to MoveToVersionId and leaves RemoveFromVersionId, which
 * must name the version that has it; moving AWSCURRENT gives AWSPREVIOUS to the version it left.
 */
import type {
  UpdateSecretRequest,
  UpdateSecretResponse,
  UpdateSecretVersionStageRequest,
  UpdateSecretVersionStageResponse,
} from '@aws-sdk/client-secrets-manager';
import { ServiceError } from '../core/errors.ts';
import type { Wire } from '../core/wire.ts';
import { Kind } from '../store/store.ts';
import {
  AWSCURRENT,
  AWSPREVIOUS,
  type SecretRecord,
  type SecretsManagerContext,
  addVersion,
  findSecret,
  invalidParameter,
  markedForDeletion,
  openValue,
  pruneVersions,
  sealValue,
} from './model/records.ts';
import { checkDescription, checkKmsKeyId, sameValue, inputValue, versionIdOf } from './secret-input.ts';

export async function updateSecret(
  ctx: SecretsManagerContext,
  input: Wire<UpdateSecretRequest>,
): Promise<Wire<UpdateSecretResponse>> {
  const value = inputValue(input, true);
  const versionId = versionIdOf(ctx, input.ClientRequestToken);
  const description = checkDescription(input.Description);
  const kmsKeyId = checkKmsKeyId(input.KmsKeyId);
  const now = ctx.clock.now();
  return ctx.store.transact(async (tx) => {
    const secret = await findSecret(tx, input.SecretId, now);
    if (secret.deletionDate !== undefined) throw markedForDeletion();
    let next: SecretRecord = {
      ...secret,
      ...(description !== undefined ? { description } : {}),
      ...(kmsKeyId !== undefined ? { kmsKeyId } : {}),
      lastChangedAt: now,
    };
    if (value) {
      const existing = secret.versions.find((v) => v.id === versionId);
      if (existing) {
        if (!sameValue(openValue(ctx.cipher(), secret.arn, existing), value)) {
          throw new ServiceError(
            'ResourceExistsException',
            `A version with ClientRequestToken ${versionId} already exists with a different value; a version cannot be changed.`,
          );
        }
        return { ARN: secret.arn, Name: secret.name, VersionId: existing.id };
      }
      next = {
        ...next,
        versions: addVersion(secret, {
          id: versionId,
          stages: [AWSCURRENT],
          createdAt: now,
          sealed: sealValue(ctx.cipher(), secret.arn, versionId, value),
          binary: value.binary !== undefined,
        }),
      };
    }
    await tx.put(Kind.SecretsManagerSecret, secret.name, next);
    return { ARN: secret.arn, Name: secret.name, ...(value ? { VersionId: versionId } : {}) };
  });
}

export async function updateSecretVersionStage(
  ctx: SecretsManagerContext,
  input: Wire<UpdateSecretVersionStageRequest>,
): Promise<Wire<UpdateSecretVersionStageResponse>> {
  const stage = input.VersionStage;
  if (typeof stage !== 'string' || stage.length < 1 || stage.length > 256) {
    throw invalidParameter('VersionStage must be 1 to 256 characters.');
  }
  const { RemoveFromVersionId: removeFrom, MoveToVersionId: moveTo } = input;
  if (removeFrom === undefined && moveTo === undefined) {
    throw invalidParameter('You must specify RemoveFromVersionId, MoveToVersionId, or both.');
  }
  const now = ctx.clock.now();
  return ctx.store.transact(async (tx) => {
    const secret = await findSecret(tx, input.SecretId, now);
    if (secret.deletionDate !== undefined) throw markedForDeletion();
    const byId = (id: string) => {
      const v = secret.versions.find((x) => x.id === id);
      if (!v) {
        throw new ServiceError(
          'ResourceNotFoundException',
          `Secrets Manager can't find the specified secret version: ${id}`,
        );
      }
      return v;
    };
    const target = moveTo !== undefined ? byId(moveTo) : undefined;
    const source = removeFrom !== undefined ? byId(removeFrom) : undefined;
    const holder = secret.versions.find((v) => v.stages.includes(stage));
    if (source && !source.stages.includes(stage)) {
      throw invalidParameter(`The staging label ${stage} is not attached to version ${source.id}.`);
    }
    if (holder && holder !== target && holder !== source) {
      throw invalidParameter(
        `The parameter RemoveFromVersionId can't be empty. Staging label ${stage} is currently attached to version ${holder.id}, so you must explicitly reference that version in RemoveFromVersionId.`,
      );
    }
    if (stage === AWSCURRENT && !target) {
      throw invalidParameter(
        `You can't remove the staging label ${AWSCURRENT} from a version without moving it to another version (MoveToVersionId).`,
      );
    }
    if (target && !target.stages.includes(stage) && target.stages.length >= 20) {
      throw new ServiceError('LimitExceededException', 'A version can have at most 20 staging labels.');
    }
    const movesCurrent = stage === AWSCURRENT && target && holder && holder !== target;
    const versions = secret.versions.map((v) => {
      let stages = v.stages.filter((s) => s !== stage);
      if (v === target) stages = [...stages, stage];
      if (movesCurrent) {
        stages = stages.filter((s) => s !== AWSPREVIOUS);
        if (v === holder) stages = [...stages, AWSPREVIOUS];
      }
      return { ...v, stages };
    });
    await tx.put(Kind.SecretsManagerSecret, secret.name, {
      ...secret,
      versions: pruneVersions(versions),
      lastChangedAt: now,
    });
    return { ARN: secret.arn, Name: secret.name };
  });
}
