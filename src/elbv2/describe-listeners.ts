/** DescribeListeners: a load balancer's listeners, or those named by ARN (all must exist), by port, paged. */
import type {
  DescribeListenersInput,
  DescribeListenersOutput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RequestContext } from '../aws/service.ts';
import type { Wire } from '../core/wire.ts';
import type { Elbv2Context } from './elbv2-service.ts';
import { checkArn, requireLoadBalancer } from './lookups.ts';
import { listenersNotFound, validation } from './model/errors.ts';
import { getListener, listListeners } from './model/lookups.ts';
import type { ListenerRecord } from './model/records.ts';
import { elbPage, orderKey } from './paging.ts';
import { inRegion } from './region.ts';
import { listenerShape } from './shapes.ts';

export async function describeListeners(
  ctx: Elbv2Context,
  input: Wire<DescribeListenersInput>,
  _request: RequestContext,
): Promise<Wire<DescribeListenersOutput>> {
  const arns = input.ListenerArns ?? [];
  if ((input.LoadBalancerArn === undefined) === (arns.length === 0)) {
    throw validation('You must specify either listener ARNs or a load balancer ARN, but not both');
  }
  for (const arn of arns) checkArn(arn, 'listener');
  return inRegion(ctx, async (tx) => {
    let listeners: ListenerRecord[];
    if (input.LoadBalancerArn !== undefined) {
      const lb = await requireLoadBalancer(tx, input.LoadBalancerArn);
      listeners = await listListeners(tx, lb.arn);
    } else {
      listeners = [];
      for (const arn of new Set(arns)) {
        const listener = await getListener(tx, arn);
        if (!listener) throw listenersNotFound();
        listeners.push(listener);
      }
    }
    const page = elbPage(listeners, (l) => orderKey(l.port, l.arn), input);
    return { Listeners: page.items.map(listenerShape), NextMarker: page.NextMarker };
  });
}
