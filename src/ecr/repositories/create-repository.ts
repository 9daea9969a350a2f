/** CreateRepository: a repository with its tag mutability, scanning and encryption settings and tags. */
import type { CreateRepositoryRequest, CreateRepositoryResponse } from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import { epochSeconds } from '../../core/clock.ts';
import { ServiceError } from '../../core/errors.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import { type EcrContext, ecrKeys, type RepositoryRecord } from '../model/records.ts';
import {
  checkRepositoryName,
  checkTagMutability,
  EcrErrorCode,
  invalidEnum,
  invalidParameter,
  registryIdOf,
  repositoryArn,
  repositoryUri,
} from '../model/repositories.ts';
import { checkTags, mergeTags } from '../tags/resource-tags.ts';
import { repositoryShape } from './shape.ts';

/** ECR's default quota: 100,000 repositories a region (a hard stop here against runaway scripts). */
export const MAX_REPOSITORIES = 100_000;

const ENCRYPTION_TYPES = ['AES256', 'KMS', 'KMS_DSSE'] as const;

export async function createRepository(
  ctx: EcrContext,
  input: CreateRepositoryRequest,
  _request: RequestContext,
): Promise<Wire<CreateRepositoryResponse>> {
  const registryId = registryIdOf(ctx, input.registryId);
  const name = input.repositoryName!;
  checkRepositoryName(name);
  if (registryId !== ctx.partition.accountId) {
    throw invalidParameter('registryId', "Repositories can only be created in the caller's registry");
  }
  const mutability = checkTagMutability(
    input.imageTagMutability ?? 'MUTABLE',
    input.imageTagMutabilityExclusionFilters as { filterType: string; filter: string }[] | undefined,
  );
  const encryption = encryptionOf(ctx, input.encryptionConfiguration);
  const tags = mergeTags([], checkTags(input.tags ?? []));
  return ctx.store.transact(async (tx) => {
    if (await tx.get(Kind.EcrRepository, ecrKeys.repository(name))) {
      throw new ServiceError(
        EcrErrorCode.RepositoryAlreadyExists,
        `The repository with name '${name}' already exists in the registry with id '${registryId}'`,
      );
    }
    const count = (await tx.list(Kind.EcrRepository)).length;
    if (count >= MAX_REPOSITORIES) {
      throw new ServiceError(
        EcrErrorCode.LimitExceeded,
        `The operation did not succeed because it would have exceeded a service limit for your account. Repositories per region: ${MAX_REPOSITORIES}.`,
      );
    }
    const record: RepositoryRecord = {
      repositoryName: name,
      repositoryArn: repositoryArn(ctx, name),
      registryId,
      repositoryUri: repositoryUri(ctx, name),
      createdAt: epochSeconds(ctx.clock.now()),
      ...mutability,
      imageScanningConfiguration: { scanOnPush: input.imageScanningConfiguration?.scanOnPush ?? false },
      encryptionConfiguration: encryption,
      tags,
    };
    await tx.put(Kind.EcrRepository, ecrKeys.repository(name), record, 'absent');
    return { repository: repositoryShape(record) };
  });
}

/**
 * AES256 unless asked otherwise. KMS without a key records the account's AWS-managed key for ECR
 * (`arn:aws:kms:<region>:<account>:alias/aws/ecr`), as ECR reports it; the key is recorded, not used: the registry's blobs are
 * stored as they are (docs/ecr.md).
 */
function encryptionOf(
  ctx: EcrContext,
  config: CreateRepositoryRequest['encryptionConfiguration'],
): RepositoryRecord['encryptionConfiguration'] {
  if (!config) return { encryptionType: 'AES256' };
  const type = config.encryptionType ?? '';
  if (!(ENCRYPTION_TYPES as readonly string[]).includes(type)) {
    throw invalidEnum('encryptionType', type, ENCRYPTION_TYPES);
  }
  if (type === 'AES256') {
    if (config.kmsKey !== undefined) {
      throw invalidParameter(
        'encryptionConfiguration',
        'KMS key should not be specified for AES256 encryption type',
      );
    }
    return { encryptionType: 'AES256' };
  }
  const key = config.kmsKey;
  if (key !== undefined && (key.length < 1 || key.length > 2048)) {
    throw invalidParameter('kmsKey', 'Member must have length between 1 and 2048');
  }
  return {
    encryptionType: type,
    kmsKey: key ?? `arn:aws:kms:${ctx.partition.region}:${ctx.partition.accountId}:alias/aws/ecr`,
  };
}
