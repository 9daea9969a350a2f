/** A repository record as ECR answers it (`Repository`). */
import type { Repository } from '@aws-sdk/client-ecr';
import type { Wire } from '../../core/wire.ts';
import type { RepositoryRecord } from '../model/records.ts';

export function repositoryShape(r: RepositoryRecord): Wire<Repository> {
  return {
    repositoryArn: r.repositoryArn,
    registryId: r.registryId,
    repositoryName: r.repositoryName,
    repositoryUri: r.repositoryUri,
    createdAt: r.createdAt,
    imageTagMutability: r.imageTagMutability,
    ...(r.imageTagMutabilityExclusionFilters
      ? { imageTagMutabilityExclusionFilters: r.imageTagMutabilityExclusionFilters }
      : {}),
    imageScanningConfiguration: { scanOnPush: r.imageScanningConfiguration.scanOnPush },
    encryptionConfiguration: { ...r.encryptionConfiguration },
  } as Wire<Repository>;
}
