/** SetRepositoryPolicy: stores the repository's policy text, as given, once it is a valid policy. */
import type { SetRepositoryPolicyRequest, SetRepositoryPolicyResponse } from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import { type EcrContext, ecrKeys } from '../model/records.ts';
import { checkRepositoryName, getRepository } from '../model/repositories.ts';
import { checkRepositoryPolicy } from './policy-document.ts';

/**
 * `force` skips ECR's check that the policy does not lock the caller out; every caller here holds the
 * account's root keys, so there is nothing to lock out and it changes nothing. The policy is
 * recorded; it is enforced once Longshore has IAM (docs/ecr.md).
 */
export async function setRepositoryPolicy(
  ctx: EcrContext,
  input: SetRepositoryPolicyRequest,
  _request: RequestContext,
): Promise<Wire<SetRepositoryPolicyResponse>> {
  const name = input.repositoryName!;
  checkRepositoryName(name);
  const text = input.policyText!;
  return ctx.store.transact(async (tx) => {
    const { record, version } = await getRepository(tx, ctx, name, input.registryId);
    checkRepositoryPolicy(text);
    await tx.put(Kind.EcrRepository, ecrKeys.repository(name), { ...record, policyText: text }, version);
    return { registryId: record.registryId, repositoryName: name, policyText: text };
  });
}
