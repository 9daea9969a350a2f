/** DeleteLoadBalancer: the load balancer with its listeners and rules (its target groups stay); refused under deletion protection. */
import type { DeleteLoadBalancerInput } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RequestContext } from '../aws/service.ts';
import type { Wire } from '../core/wire.ts';
import type { Elbv2Context } from './elbv2-service.ts';
import { checkArn } from './lookups.ts';
import { deletionProtected, operationNotPermitted } from './model/attributes.ts';
import { removeLoadBalancer } from './model/load-balancers.ts';
import { getLoadBalancer } from './model/lookups.ts';
import { inRegion } from './region.ts';

export async function deleteLoadBalancer(
  ctx: Elbv2Context,
  input: Wire<DeleteLoadBalancerInput>,
  _request: RequestContext,
): Promise<object> {
  const arn = input.LoadBalancerArn ?? '';
  checkArn(arn, 'loadbalancer');
  return inRegion(ctx, async (tx) => {
    // ELBv2 answers success for a load balancer that is already gone.
    const lb = await getLoadBalancer(tx, arn);
    if (!lb) return {};
    if (deletionProtected(lb.type, lb.attributes)) {
      throw operationNotPermitted(
        `Load balancer '${arn}' cannot be deleted because deletion protection is enabled`,
      );
    }
    await removeLoadBalancer(tx, lb);
    return {};
  });
}
