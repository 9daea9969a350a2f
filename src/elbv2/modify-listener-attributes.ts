/** ModifyListenerAttributes: sets attributes of the listener's kind (all checked first) and answers every attribute. */
import type {
  ModifyListenerAttributesInput,
  ModifyListenerAttributesOutput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RequestContext } from '../aws/service.ts';
import type { Wire } from '../core/wire.ts';
import { Kind } from '../store/store.ts';
import type { Elbv2Context } from './elbv2-service.ts';
import { requireListener, requireLoadBalancer } from './lookups.ts';
import { listenerAttributes, modifiedListenerAttributes } from './model/listener-attributes.ts';
import type { ListenerRecord } from './model/records.ts';
import { inRegion } from './region.ts';

export async function modifyListenerAttributes(
  ctx: Elbv2Context,
  input: Wire<ModifyListenerAttributesInput>,
  _request: RequestContext,
): Promise<Wire<ModifyListenerAttributesOutput>> {
  return inRegion(ctx, async (tx) => {
    const listener = await requireListener(tx, input.ListenerArn ?? '');
    const lb = await requireLoadBalancer(tx, listener.loadBalancerArn);
    const updated: ListenerRecord = {
      ...listener,
      attributes: modifiedListenerAttributes(lb.type, listener, input.Attributes ?? []),
    };
    await tx.put(Kind.Elbv2Listener, listener.arn, updated);
    return { Attributes: listenerAttributes(lb.type, updated).map((a) => ({ Key: a.key, Value: a.value })) };
  });
}
