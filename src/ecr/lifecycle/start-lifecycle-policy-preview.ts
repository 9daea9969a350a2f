/** StartLifecyclePolicyPreview: evaluates a policy (given, or the repository's) over its images without expiring any. */
import type {
  StartLifecyclePolicyPreviewRequest,
  StartLifecyclePolicyPreviewResponse,
} from '@aws-sdk/client-ecr';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import { parseLifecyclePolicy } from '../model/lifecycle-policy.ts';
import { runLifecyclePreview } from '../model/lifecycle-preview.ts';
import type { EcrContext } from '../model/records.ts';
import { checkRepositoryName, getRepository } from '../model/repositories.ts';
import { lifecyclePolicyNotFound } from './lifecycle-errors.ts';

/**
 * The evaluation is quick and runs in the request, so the preview is COMPLETE when this answers
 * (ECR answers IN_PROGRESS and finishes later; GetLifecyclePolicyPreview and the CLI's
 * `lifecycle-policy-preview-complete` waiter see COMPLETE either way).
 */
export async function startLifecyclePolicyPreview(
  ctx: EcrContext,
  input: StartLifecyclePolicyPreviewRequest,
  _request: RequestContext,
): Promise<Wire<StartLifecyclePolicyPreviewResponse>> {
  const name = input.repositoryName!;
  checkRepositoryName(name);
  if (input.lifecyclePolicyText !== undefined) parseLifecyclePolicy(input.lifecyclePolicyText);
  return ctx.store.transact(async (tx) => {
    const { record } = await getRepository(tx, ctx, name, input.registryId);
    const text = input.lifecyclePolicyText ?? record.lifecyclePolicyText;
    if (text === undefined) throw lifecyclePolicyNotFound(record);
    const preview = await runLifecyclePreview(tx, name, text, ctx.clock.now());
    return {
      registryId: record.registryId,
      repositoryName: name,
      lifecyclePolicyText: text,
      status: preview.status,
    };
  });
}
