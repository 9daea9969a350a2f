/** GetLifecyclePolicy: the policy text and when it was last applied. */
import type { GetLifecyclePolicyRequest, GetLifecyclePolicyResponse } from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import { epochSeconds } from '../../core/clock.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind, type Reader } from '../../store/store.ts';
import { lifecycleEvaluatedKey } from '../model/lifecycle-preview.ts';
import type { EcrContext, RepositoryRecord } from '../model/records.ts';
import { getRepository } from '../model/repositories.ts';
import { lifecyclePolicyNotFound } from './lifecycle-errors.ts';

export async function getLifecyclePolicy(
  ctx: EcrContext,
  input: GetLifecyclePolicyRequest,
  _request: RequestContext,
): Promise<Wire<GetLifecyclePolicyResponse>> {
  const { record } = await getRepository(ctx.store, ctx, input.repositoryName!, input.registryId);
  if (record.lifecyclePolicyText === undefined) throw lifecyclePolicyNotFound(record);
  return {
    registryId: record.registryId,
    repositoryName: record.repositoryName,
    lifecyclePolicyText: record.lifecyclePolicyText,
    lastEvaluatedAt: await lastEvaluatedAt(ctx.store, record),
  };
}

/** When the policy was last applied (the lifecycle controller's last run), else when it was set. */
export async function lastEvaluatedAt(reader: Reader, record: RepositoryRecord): Promise<number> {
  const ran = await reader.get<{ at: number }>(Kind.Meta, lifecycleEvaluatedKey(record.repositoryName));
  const set = record.lifecyclePolicyUpdatedAt ?? record.createdAt;
  return ran && epochSeconds(ran.value.at) >= set ? epochSeconds(ran.value.at) : set;
}
