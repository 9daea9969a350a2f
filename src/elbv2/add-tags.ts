/** AddTags: adds or overwrites tags on load balancers, target groups, listeners and rules, all or none. */
import type { AddTagsInput } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RequestContext } from '../aws/service.ts';
import type { Wire } from '../core/wire.ts';
import type { Elbv2Context } from './elbv2-service.ts';
import { validation } from './model/errors.ts';
import { inRegion } from './region.ts';
import { checkResourceArns, updateTags } from './tagged-resources.ts';
import { checkedTags, mergeTags } from './tags.ts';

export async function addTags(
  ctx: Elbv2Context,
  input: Wire<AddTagsInput>,
  _request: RequestContext,
): Promise<object> {
  const arns = checkResourceArns(input.ResourceArns);
  if (!input.Tags || input.Tags.length === 0) throw validation('At least one tag must be specified');
  const tags = checkedTags(input.Tags);
  return inRegion(ctx, async (tx) => {
    for (const arn of new Set(arns)) await updateTags(tx, arn, (current) => mergeTags(current, tags));
    return {};
  });
}
