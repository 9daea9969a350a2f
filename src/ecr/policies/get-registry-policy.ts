/** GetRegistryPolicy: the region's registry policy, or RegistryPolicyNotFoundException. */
import type { GetRegistryPolicyRequest, GetRegistryPolicyResponse } from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import { ServiceError } from '../../core/errors.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import type { EcrContext } from '../model/records.ts';
import { type RegistryPolicyRecord, registryKeys } from '../model/registry-settings.ts';

export function registryPolicyNotFound(ctx: EcrContext): ServiceError {
  return new ServiceError(
    'RegistryPolicyNotFoundException',
    `Registry policy does not exist in the registry with id '${ctx.partition.accountId}'`,
  );
}

export async function getRegistryPolicy(
  ctx: EcrContext,
  _input: GetRegistryPolicyRequest,
  _request: RequestContext,
): Promise<Wire<GetRegistryPolicyResponse>> {
  const stored = await ctx.store.get<RegistryPolicyRecord>(Kind.Meta, registryKeys.policy);
  if (!stored) throw registryPolicyNotFound(ctx);
  return { registryId: ctx.partition.accountId, policyText: stored.value.policyText };
}
