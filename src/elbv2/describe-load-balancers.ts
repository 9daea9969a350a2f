/** DescribeLoadBalancers: the region's load balancers, or those named by ARN or by name (all must exist), paged. */
import type {
  DescribeLoadBalancersInput,
  DescribeLoadBalancersOutput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RequestContext } from '../aws/service.ts';
import type { Wire } from '../core/wire.ts';
import type { Elbv2Context } from './elbv2-service.ts';
import { checkArn } from './lookups.ts';
import { loadBalancersNotFound, validation } from './model/errors.ts';
import { listLoadBalancers } from './model/lookups.ts';
import { elbPage, orderKey } from './paging.ts';
import { inRegion } from './region.ts';
import { loadBalancerShape } from './shapes.ts';

/** ELBv2 takes at most 20 ARNs or names per call. */
export const MAX_NAMED = 20;

export async function describeLoadBalancers(
  ctx: Elbv2Context,
  input: Wire<DescribeLoadBalancersInput>,
  _request: RequestContext,
): Promise<Wire<DescribeLoadBalancersOutput>> {
  const arns = input.LoadBalancerArns ?? [];
  const names = input.Names ?? [];
  if (arns.length > 0 && names.length > 0) {
    throw validation('Load balancer names and load balancer ARNs cannot be specified at the same time');
  }
  if (arns.length > MAX_NAMED || names.length > MAX_NAMED) {
    throw validation(`At most ${MAX_NAMED} load balancer ARNs or names can be specified`);
  }
  for (const arn of arns) checkArn(arn, 'loadbalancer');
  return inRegion(ctx, async (tx) => {
    let lbs = await listLoadBalancers(tx);
    if (arns.length > 0) {
      const missing = arns.filter((a) => !lbs.some((lb) => lb.arn === a));
      if (missing.length > 0) throw loadBalancersNotFound(missing);
      lbs = lbs.filter((lb) => arns.includes(lb.arn));
    } else if (names.length > 0) {
      const missing = names.filter((n) => !lbs.some((lb) => lb.name === n));
      if (missing.length > 0) throw loadBalancersNotFound(missing);
      lbs = lbs.filter((lb) => names.includes(lb.name));
    }
    const page = elbPage(lbs, (lb) => orderKey(lb.createdAt, lb.arn), input);
    return { LoadBalancers: page.items.map(loadBalancerShape), NextMarker: page.NextMarker };
  });
}
