/** DeleteRule: a listener's rule; its default rule goes only with the listener (OperationNotPermitted). */
import type { DeleteRuleInput } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RequestContext } from '../aws/service.ts';
import type { Wire } from '../core/wire.ts';
import { Kind } from '../store/store.ts';
import type { Elbv2Context } from './elbv2-service.ts';
import { requireRule } from './lookups.ts';
import { operationNotPermitted } from './model/attributes.ts';
import { inRegion } from './region.ts';

export async function deleteRule(
  ctx: Elbv2Context,
  input: Wire<DeleteRuleInput>,
  _request: RequestContext,
): Promise<object> {
  return inRegion(ctx, async (tx) => {
    const found = await requireRule(tx, input.RuleArn ?? '');
    if (found.type === 'default') throw operationNotPermitted('Default rule cannot be deleted');
    await tx.remove(Kind.Elbv2Rule, found.rule.arn);
    return {};
  });
}
