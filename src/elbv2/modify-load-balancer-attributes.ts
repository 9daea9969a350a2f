/** ModifyLoadBalancerAttributes: sets attributes of the load balancer's type (all checked first) and answers every attribute. */
import type {
  ModifyLoadBalancerAttributesInput,
  ModifyLoadBalancerAttributesOutput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RequestContext } from '../aws/service.ts';
import type { Wire } from '../core/wire.ts';
import { Kind } from '../store/store.ts';
import type { Elbv2Context } from './elbv2-service.ts';
import { requireLoadBalancer } from './lookups.ts';
import { loadBalancerAttributes, modifiedLoadBalancerAttributes } from './model/attributes.ts';
import type { LoadBalancerRecord } from './model/records.ts';
import { inRegion } from './region.ts';

export async function modifyLoadBalancerAttributes(
  ctx: Elbv2Context,
  input: Wire<ModifyLoadBalancerAttributesInput>,
  _request: RequestContext,
): Promise<Wire<ModifyLoadBalancerAttributesOutput>> {
  return inRegion(ctx, async (tx) => {
    const lb = await requireLoadBalancer(tx, input.LoadBalancerArn ?? '');
    const attributes = modifiedLoadBalancerAttributes(lb.type, lb.attributes, input.Attributes ?? []);
    await tx.put<LoadBalancerRecord>(Kind.Elbv2LoadBalancer, lb.arn, { ...lb, attributes });
    return {
      Attributes: loadBalancerAttributes(lb.type, attributes).map((a) => ({ Key: a.key, Value: a.value })),
    };
  });
}
