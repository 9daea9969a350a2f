/** DeleteRepositoryPolicy: removes the policy and answers its text. */
import type { DeleteRepositoryPolicyRequest, DeleteRepositoryPolicyResponse } from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import { type EcrContext, ecrKeys } from '../model/records.ts';
import { getRepository } from '../model/repositories.ts';
import { repositoryPolicyNotFound } from './get-repository-policy.ts';

export async function deleteRepositoryPolicy(
  ctx: EcrContext,
  input: DeleteRepositoryPolicyRequest,
  _request: RequestContext,
): Promise<Wire<DeleteRepositoryPolicyResponse>> {
  const name = input.repositoryName!;
  return ctx.store.transact(async (tx) => {
    const { record, version } = await getRepository(tx, ctx, name, input.registryId);
    if (record.policyText === undefined) throw repositoryPolicyNotFound(record);
    const { policyText, ...rest } = record;
    await tx.put(Kind.EcrRepository, ecrKeys.repository(name), rest, version);
    return { registryId: record.registryId, repositoryName: name, policyText };
  });
}
