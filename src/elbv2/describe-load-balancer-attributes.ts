/** DescribeLoadBalancerAttributes: every attribute of the load balancer's type, modified or default. */
import type {
  DescribeLoadBalancerAttributesInput,
  DescribeLoadBalancerAttributesOutput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RequestContext } from '../aws/service.ts';
import type { Wire } from '../core/wire.ts';
import type { Elbv2Context } from './elbv2-service.ts';
import { requireLoadBalancer } from './lookups.ts';
import { loadBalancerAttributes } from './model/attributes.ts';
import { inRegion } from './region.ts';

export async function describeLoadBalancerAttributes(
  ctx: Elbv2Context,
  input: Wire<DescribeLoadBalancerAttributesInput>,
  _request: RequestContext,
): Promise<Wire<DescribeLoadBalancerAttributesOutput>> {
  return inRegion(ctx, async (tx) => {
    const lb = await requireLoadBalancer(tx, input.LoadBalancerArn ?? '');
    return {
      Attributes: loadBalancerAttributes(lb.type, lb.attributes).map((a) => ({ Key: a.key, Value: a.value })),
    };
  });
}
