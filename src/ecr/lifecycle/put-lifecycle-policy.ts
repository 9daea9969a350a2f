/** PutLifecyclePolicy: checks the policy as ECR does and stores its text; the lifecycle controller applies it. */
import type { PutLifecyclePolicyRequest, PutLifecyclePolicyResponse } from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import { epochSeconds } from '../../core/clock.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import { parseLifecyclePolicy } from '../model/lifecycle-policy.ts';
import { type EcrContext, ecrKeys } from '../model/records.ts';
import { checkRepositoryName, getRepository } from '../model/repositories.ts';

export async function putLifecyclePolicy(
  ctx: EcrContext,
  input: PutLifecyclePolicyRequest,
  _request: RequestContext,
): Promise<Wire<PutLifecyclePolicyResponse>> {
  const name = input.repositoryName!;
  checkRepositoryName(name);
  const text = input.lifecyclePolicyText!;
  return ctx.store.transact(async (tx) => {
    const { record, version } = await getRepository(tx, ctx, name, input.registryId);
    parseLifecyclePolicy(text);
    await tx.put(
      Kind.EcrRepository,
      ecrKeys.repository(name),
      { ...record, lifecyclePolicyText: text, lifecyclePolicyUpdatedAt: epochSeconds(ctx.clock.now()) },
      version,
    );
    return { registryId: record.registryId, repositoryName: name, lifecyclePolicyText: text };
  });
}
