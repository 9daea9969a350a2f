/** ECR's errors for missing lifecycle policies and previews. */
import { ServiceError } from '../../core/errors.ts';
import type { RepositoryRecord } from '../model/records.ts';
import { EcrErrorCode } from '../model/repositories.ts';

export function lifecyclePolicyNotFound(r: RepositoryRecord): ServiceError {
  return new ServiceError(
    EcrErrorCode.LifecyclePolicyNotFound,
    `Lifecycle policy does not exist for the repository with name '${r.repositoryName}' in the registry with id '${r.registryId}'`,
  );
}

export function lifecyclePreviewNotFound(r: RepositoryRecord): ServiceError {
  return new ServiceError(
    EcrErrorCode.LifecyclePolicyPreviewNotFound,
    `Lifecycle policy preview does not exist for the repository with name '${r.repositoryName}' in the registry with id '${r.registryId}'`,
  );
}
