/** CreateTags: adds or overwrites tags on VPCs, subnets, security groups and network interfaces, all or none. */
import type { CreateTagsRequest } from '@aws-sdk/client-ec2';
import type { RequestContext } from '../aws/service.ts';
import type { Ec2Context } from './ec2-service.ts';
import { inRegion, refuseDryRun } from './region.ts';
import { updateTags } from './tagged-resources.ts';
import { checkedTags, mergeTags } from './tags.ts';

export async function createTags(
  ctx: Ec2Context,
  input: CreateTagsRequest,
  _request: RequestContext,
): Promise<object> {
  const tags = checkedTags(input.Tags ?? []);
  return inRegion(ctx, async (tx) => {
    for (const id of input.Resources ?? []) await updateTags(tx, id, (current) => mergeTags(current, tags));
    // DryRun after the lookups: the transaction rolls back, so nothing was written.
    refuseDryRun(input);
    return {};
  });
}
