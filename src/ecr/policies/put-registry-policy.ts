/** PutRegistryPolicy: stores the region's registry policy, as given, once it is a valid policy. */
import type { PutRegistryPolicyRequest, PutRegistryPolicyResponse } from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import type { EcrContext } from '../model/records.ts';
import {
  accountSetting,
  type RegistryPolicyRecord,
  registryKeys,
  V1_REGISTRY_POLICY_ACTIONS,
} from '../model/registry-settings.ts';
import { checkPolicyDocument } from './policy-document.ts';

/**
 * Checked as SetRepositoryPolicy checks a repository policy (`policy-document.ts`), worded "Invalid
 * registry policy provided"; under the account setting REGISTRY_POLICY_SCOPE V1 only the actions
 * that scope covers are accepted. Recorded per region; enforced once Longshore has IAM (docs/ecr.md).
 */
export async function putRegistryPolicy(
  ctx: EcrContext,
  input: PutRegistryPolicyRequest,
  _request: RequestContext,
): Promise<Wire<PutRegistryPolicyResponse>> {
  const text = input.policyText!;
  return ctx.store.transact(async (tx) => {
    const v1 = (await accountSetting(tx, 'REGISTRY_POLICY_SCOPE')) === 'V1';
    checkPolicyDocument(text, 'registry', v1 ? (a) => V1_REGISTRY_POLICY_ACTIONS.includes(a) : undefined);
    const current = await tx.get(Kind.Meta, registryKeys.policy);
    const record: RegistryPolicyRecord = { policyText: text };
    await tx.put(Kind.Meta, registryKeys.policy, record, current?.version ?? 'absent');
    return { registryId: ctx.partition.accountId, policyText: text };
  });
}
