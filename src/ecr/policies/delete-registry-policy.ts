/** DeleteRegistryPolicy: removes the region's registry policy and answers its text. */
import type { DeleteRegistryPolicyRequest, DeleteRegistryPolicyResponse } from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import type { EcrContext } from '../model/records.ts';
import { type RegistryPolicyRecord, registryKeys } from '../model/registry-settings.ts';
import { registryPolicyNotFound } from './get-registry-policy.ts';

export async function deleteRegistryPolicy(
  ctx: EcrContext,
  _input: DeleteRegistryPolicyRequest,
  _request: RequestContext,
): Promise<Wire<DeleteRegistryPolicyResponse>> {
  return ctx.store.transact(async (tx) => {
    const stored = await tx.get<RegistryPolicyRecord>(Kind.Meta, registryKeys.policy);
    if (!stored) throw registryPolicyNotFound(ctx);
    await tx.remove(Kind.Meta, registryKeys.policy, stored.version);
    return { registryId: ctx.partition.accountId, policyText: stored.value.policyText };
  });
}
