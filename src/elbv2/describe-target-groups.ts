/** DescribeTargetGroups: the region's target groups, those a load balancer uses, or those named by ARN or name, paged. */
import type {
  DescribeTargetGroupsInput,
  DescribeTargetGroupsOutput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RequestContext } from '../aws/service.ts';
import type { Wire } from '../core/wire.ts';
import { MAX_NAMED } from './describe-load-balancers.ts';
import type { Elbv2Context } from './elbv2-service.ts';
import { checkArn, requireLoadBalancer } from './lookups.ts';
import { targetGroupsNotFound, validation } from './model/errors.ts';
import { listTargetGroups } from './model/lookups.ts';
import { targetGroupUsage } from './model/usage.ts';
import { elbPage, orderKey } from './paging.ts';
import { inRegion } from './region.ts';
import { targetGroupShape } from './shapes.ts';

export async function describeTargetGroups(
  ctx: Elbv2Context,
  input: Wire<DescribeTargetGroupsInput>,
  _request: RequestContext,
): Promise<Wire<DescribeTargetGroupsOutput>> {
  const arns = input.TargetGroupArns ?? [];
  const names = input.Names ?? [];
  const given = [input.LoadBalancerArn !== undefined, arns.length > 0, names.length > 0].filter(
    Boolean,
  ).length;
  if (given > 1) {
    throw validation(
      'Only one of load balancer ARN, target group ARNs or target group names can be specified',
    );
  }
  if (arns.length > MAX_NAMED || names.length > MAX_NAMED) {
    throw validation(`At most ${MAX_NAMED} target group ARNs or names can be specified`);
  }
  for (const arn of arns) checkArn(arn, 'targetgroup');
  return inRegion(ctx, async (tx) => {
    let groups = await listTargetGroups(tx);
    const usage = await targetGroupUsage(tx);
    if (input.LoadBalancerArn !== undefined) {
      const lb = await requireLoadBalancer(tx, input.LoadBalancerArn);
      groups = groups.filter((tg) => (usage.get(tg.arn) ?? []).includes(lb.arn));
    } else if (arns.length > 0) {
      const missing = arns.filter((a) => !groups.some((tg) => tg.arn === a));
      if (missing.length > 0) throw targetGroupsNotFound();
      groups = groups.filter((tg) => arns.includes(tg.arn));
    } else if (names.length > 0) {
      const missing = names.filter((n) => !groups.some((tg) => tg.name === n));
      if (missing.length > 0) throw targetGroupsNotFound();
      groups = groups.filter((tg) => names.includes(tg.name));
    }
    const page = elbPage(groups, (tg) => orderKey(tg.createdAt, tg.arn), input);
    return {
      TargetGroups: page.items.map((tg) => targetGroupShape(tg, usage.get(tg.arn) ?? [])),
      NextMarker: page.NextMarker,
    };
  });
}
