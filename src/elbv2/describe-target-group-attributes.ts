/** DescribeTargetGroupAttributes: every attribute of the group's kind (ALB or NLB group), modified or default. */
import type {
  DescribeTargetGroupAttributesInput,
  DescribeTargetGroupAttributesOutput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RequestContext } from '../aws/service.ts';
import type { Wire } from '../core/wire.ts';
import type { Elbv2Context } from './elbv2-service.ts';
import { requireTargetGroup } from './lookups.ts';
import { targetGroupAttributes } from './model/attributes.ts';
import { inRegion } from './region.ts';

export async function describeTargetGroupAttributes(
  ctx: Elbv2Context,
  input: Wire<DescribeTargetGroupAttributesInput>,
  _request: RequestContext,
): Promise<Wire<DescribeTargetGroupAttributesOutput>> {
  return inRegion(ctx, async (tx) => {
    const tg = await requireTargetGroup(tx, input.TargetGroupArn ?? '');
    return { Attributes: targetGroupAttributes(tg).map((a) => ({ Key: a.key, Value: a.value })) };
  });
}
