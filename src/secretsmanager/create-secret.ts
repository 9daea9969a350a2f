/**
 * CreateSecret: a new secret, with a first version (AWSCURRENT) when a value is given. The
 * ClientRequestToken is the version id: repeating the call with the same token and the same value
 * answers the same; the same token with another value is refused (a version never changes). A name
 * whose secret is scheduled for deletion cannot be reused until the secret is gone.
 */
import type { CreateSecretRequest, CreateSecretResponse } from '@aws-sdk/client-secrets-manager';
import { ServiceError } from '../core/errors.ts';
import type { Wire } from '../core/wire.ts';
import { Kind } from '../store/store.ts';
import {
  AWSCURRENT,
  type SecretRecord,
  type SecretsManagerContext,
  checkSecretName,
  isPurged,
  newSecretArn,
  openValue,
  sealValue,
} from './model/records.ts';
import {
  checkDescription,
  checkKmsKeyId,
  checkTags,
  sameValue,
  inputValue,
  versionIdOf,
} from './secret-input.ts';

export async function createSecret(
  ctx: SecretsManagerContext,
  input: Wire<CreateSecretRequest>,
): Promise<Wire<CreateSecretResponse>> {
  const name = checkSecretName(input.Name);
  const value = inputValue(input, true);
  const versionId = versionIdOf(ctx, input.ClientRequestToken);
  const description = checkDescription(input.Description);
  const kmsKeyId = checkKmsKeyId(input.KmsKeyId);
  const tags = checkTags(input.Tags);
  if (input.AddReplicaRegions !== undefined && input.AddReplicaRegions.length > 0) {
    throw new ServiceError(
      'InvalidRequestException',
      'Longshore does not replicate secrets to other regions.',
    );
  }
  const now = ctx.clock.now();
  return ctx.store.transact(async (tx) => {
    const stored = await tx.get<SecretRecord>(Kind.SecretsManagerSecret, name);
    const existing = stored && !isPurged(stored.value, now) ? stored.value : undefined;
    if (existing) {
      if (existing.deletionDate !== undefined) {
        throw new ServiceError(
          'InvalidRequestException',
          "You can't create this secret because a secret with this name is already scheduled for deletion.",
        );
      }
      const same = existing.versions.find((v) => v.id === versionId);
      if (same && value && input.ClientRequestToken !== undefined) {
        if (!sameValue(openValue(ctx.cipher(), existing.arn, same), value)) {
          throw new ServiceError(
            'ResourceExistsException',
            `A version with ClientRequestToken ${versionId} already exists with a different value; a version cannot be changed.`,
          );
        }
        return { ARN: existing.arn, Name: existing.name, VersionId: same.id };
      }
      throw new ServiceError(
        'ResourceExistsException',
        `The operation failed because the secret ${name} already exists.`,
      );
    }
    const arn = newSecretArn(ctx, name);
    const record: SecretRecord = {
      arn,
      name,
      ...(description !== undefined ? { description } : {}),
      ...(kmsKeyId !== undefined ? { kmsKeyId } : {}),
      tags,
      createdAt: now,
      lastChangedAt: now,
      versions: value
        ? [
            {
              id: versionId,
              stages: [AWSCURRENT],
              createdAt: now,
              sealed: sealValue(ctx.cipher(), arn, versionId, value),
              binary: value.binary !== undefined,
            },
          ]
        : [],
    };
    await tx.put(Kind.SecretsManagerSecret, name, record, stored ? stored.version : 'absent');
    return { ARN: arn, Name: name, ...(value ? { VersionId: versionId } : {}) };
  });
}
