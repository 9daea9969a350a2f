/** GetRepositoryPolicy: the repository's policy text, or RepositoryPolicyNotFoundException. */
import type { GetRepositoryPolicyRequest, GetRepositoryPolicyResponse } from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import { ServiceError } from '../../core/errors.ts';
import type { Wire } from '../../core/wire.ts';
import type { EcrContext, RepositoryRecord } from '../model/records.ts';
import { EcrErrorCode, getRepository } from '../model/repositories.ts';

export function repositoryPolicyNotFound(record: RepositoryRecord): ServiceError {
  return new ServiceError(
    EcrErrorCode.RepositoryPolicyNotFound,
    `Repository policy does not exist for the repository with name '${record.repositoryName}' in the registry with id '${record.registryId}'`,
  );
}

export async function getRepositoryPolicy(
  ctx: EcrContext,
  input: GetRepositoryPolicyRequest,
  _request: RequestContext,
): Promise<Wire<GetRepositoryPolicyResponse>> {
  const { record } = await getRepository(ctx.store, ctx, input.repositoryName!, input.registryId);
  if (record.policyText === undefined) throw repositoryPolicyNotFound(record);
  return {
    registryId: record.registryId,
    repositoryName: record.repositoryName,
    policyText: record.policyText,
  };
}
