/** DeleteListener: a listener and its rules (the target groups they forward to stay). */
import type { DeleteListenerInput } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RequestContext } from '../aws/service.ts';
import type { Wire } from '../core/wire.ts';
import type { Elbv2Context } from './elbv2-service.ts';
import { requireListener } from './lookups.ts';
import { removeListener } from './model/load-balancers.ts';
import { inRegion } from './region.ts';

export async function deleteListener(
  ctx: Elbv2Context,
  input: Wire<DeleteListenerInput>,
  _request: RequestContext,
): Promise<object> {
  return inRegion(ctx, async (tx) => {
    const listener = await requireListener(tx, input.ListenerArn ?? '');
    await removeListener(tx, listener.arn);
    return {};
  });
}
