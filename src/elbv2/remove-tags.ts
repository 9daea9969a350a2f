/** RemoveTags: removes tag keys from load balancers, target groups, listeners and rules (absent keys are no error). */
import type { RemoveTagsInput } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RequestContext } from '../aws/service.ts';
import type { Wire } from '../core/wire.ts';
import type { Elbv2Context } from './elbv2-service.ts';
import { validation } from './model/errors.ts';
import { inRegion } from './region.ts';
import { checkResourceArns, updateTags } from './tagged-resources.ts';

export async function removeTags(
  ctx: Elbv2Context,
  input: Wire<RemoveTagsInput>,
  _request: RequestContext,
): Promise<object> {
  const arns = checkResourceArns(input.ResourceArns);
  const keys = input.TagKeys ?? [];
  if (keys.length === 0) throw validation('At least one tag key must be specified');
  return inRegion(ctx, async (tx) => {
    for (const arn of new Set(arns))
      await updateTags(tx, arn, (current) => current.filter((t) => !keys.includes(t.key)));
    return {};
  });
}
