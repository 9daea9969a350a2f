/** DescribeTags: the tags of up to 20 load balancers, target groups, listeners and rules (all must exist). */
import type { DescribeTagsInput, DescribeTagsOutput } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RequestContext } from '../aws/service.ts';
import type { Wire } from '../core/wire.ts';
import type { Elbv2Context } from './elbv2-service.ts';
import { inRegion } from './region.ts';
import { checkResourceArns, tagsOf } from './tagged-resources.ts';
import { tagsOut } from './tags.ts';

export async function describeTags(
  ctx: Elbv2Context,
  input: Wire<DescribeTagsInput>,
  _request: RequestContext,
): Promise<Wire<DescribeTagsOutput>> {
  const arns = checkResourceArns(input.ResourceArns);
  return inRegion(ctx, async (tx) => {
    const out = [];
    for (const arn of arns) out.push({ ResourceArn: arn, Tags: tagsOut(await tagsOf(tx, arn)) });
    return { TagDescriptions: out };
  });
}
