/** DescribeListenerAttributes: every attribute of the listener's kind (ALB, NLB TCP), modified or default. */
import type {
  DescribeListenerAttributesInput,
  DescribeListenerAttributesOutput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RequestContext } from '../aws/service.ts';
import type { Wire } from '../core/wire.ts';
import type { Elbv2Context } from './elbv2-service.ts';
import { requireListener, requireLoadBalancer } from './lookups.ts';
import { listenerAttributes } from './model/listener-attributes.ts';
import { inRegion } from './region.ts';

export async function describeListenerAttributes(
  ctx: Elbv2Context,
  input: Wire<DescribeListenerAttributesInput>,
  _request: RequestContext,
): Promise<Wire<DescribeListenerAttributesOutput>> {
  return inRegion(ctx, async (tx) => {
    const listener = await requireListener(tx, input.ListenerArn ?? '');
    const lb = await requireLoadBalancer(tx, listener.loadBalancerArn);
    return { Attributes: listenerAttributes(lb.type, listener).map((a) => ({ Key: a.key, Value: a.value })) };
  });
}
