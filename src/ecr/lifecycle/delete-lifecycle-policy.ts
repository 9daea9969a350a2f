/** DeleteLifecyclePolicy: removes the policy and answers it. */
import type { DeleteLifecyclePolicyRequest, DeleteLifecyclePolicyResponse } from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import { type EcrContext, ecrKeys } from '../model/records.ts';
import { getRepository } from '../model/repositories.ts';
import { lastEvaluatedAt } from './get-lifecycle-policy.ts';
import { lifecyclePolicyNotFound } from './lifecycle-errors.ts';

export async function deleteLifecyclePolicy(
  ctx: EcrContext,
  input: DeleteLifecyclePolicyRequest,
  _request: RequestContext,
): Promise<Wire<DeleteLifecyclePolicyResponse>> {
  const name = input.repositoryName!;
  return ctx.store.transact(async (tx) => {
    const { record, version } = await getRepository(tx, ctx, name, input.registryId);
    if (record.lifecyclePolicyText === undefined) throw lifecyclePolicyNotFound(record);
    const evaluated = await lastEvaluatedAt(tx, record);
    const { lifecyclePolicyText, lifecyclePolicyUpdatedAt: _at, ...rest } = record;
    await tx.put(Kind.EcrRepository, ecrKeys.repository(name), rest, version);
    return {
      registryId: record.registryId,
      repositoryName: name,
      lifecyclePolicyText,
      lastEvaluatedAt: evaluated,
    };
  });
}
