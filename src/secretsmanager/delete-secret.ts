/**
 * DeleteSecret and RestoreSecret. A deletion is scheduled RecoveryWindowInDays (7 to 30, default
 * 30) ahead; until then the secret is described and listed (IncludePlannedDeletion) but refuses
 * reads and writes, and RestoreSecret cancels it. Past the date it is gone: lookups skip it and a
 * new secret may take its name (the record is replaced then, or removed by the next delete).
 * ForceDeleteWithoutRecovery removes it at once.
 */
import type {
  DeleteSecretRequest,
  DeleteSecretResponse,
  RestoreSecretRequest,
  RestoreSecretResponse,
} from '@aws-sdk/client-secrets-manager';
import { ServiceError } from '../core/errors.ts';
import type { Wire } from '../core/wire.ts';
import { Kind } from '../store/store.ts';
import {
  type SecretRecord,
  type SecretsManagerContext,
  findSecret,
  invalidParameter,
} from './model/records.ts';

const DAY_MS = 86_400_000;

export async function deleteSecret(
  ctx: SecretsManagerContext,
  input: Wire<DeleteSecretRequest>,
): Promise<Wire<DeleteSecretResponse>> {
  const force = input.ForceDeleteWithoutRecovery === true;
  const window = input.RecoveryWindowInDays;
  if (force && window !== undefined) {
    throw invalidParameter(
      "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
    );
  }
  if (window !== undefined && (!Number.isInteger(window) || window < 7 || window > 30)) {
    throw invalidParameter('The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).');
  }
  const now = ctx.clock.now();
  return ctx.store.transact(async (tx) => {
    const secret = await findSecret(tx, input.SecretId, now);
    if (force) {
      await tx.remove(Kind.SecretsManagerSecret, secret.name);
      return { ARN: secret.arn, Name: secret.name, DeletionDate: (now / 1000) as never };
    }
    if (secret.deletionDate !== undefined) {
      throw new ServiceError(
        'InvalidRequestException',
        "You tried to perform the operation on a secret that's currently marked deleted.",
      );
    }
    const deletionDate = now + (window ?? 30) * DAY_MS;
    const next: SecretRecord = { ...secret, deletedAt: now, deletionDate };
    await tx.put(Kind.SecretsManagerSecret, secret.name, next);
    return { ARN: secret.arn, Name: secret.name, DeletionDate: (deletionDate / 1000) as never };
  });
}

export async function restoreSecret(
  ctx: SecretsManagerContext,
  input: Wire<RestoreSecretRequest>,
): Promise<Wire<RestoreSecretResponse>> {
  const now = ctx.clock.now();
  return ctx.store.transact(async (tx) => {
    const secret = await findSecret(tx, input.SecretId, now);
    if (secret.deletionDate !== undefined) {
      const { deletedAt: _d, deletionDate: _dd, ...rest } = secret;
      await tx.put(Kind.SecretsManagerSecret, secret.name, { ...rest, lastChangedAt: now });
    }
    return { ARN: secret.arn, Name: secret.name };
  });
}
