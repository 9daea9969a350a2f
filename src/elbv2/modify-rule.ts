/** ModifyRule: replaces a rule's conditions and/or actions; the default rule takes actions only (its listener's default actions). */
import type { ModifyRuleInput, ModifyRuleOutput } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RequestContext } from '../aws/service.ts';
import type { Wire } from '../core/wire.ts';
import { Kind } from '../store/store.ts';
import { checkedActions, checkUniqueGroups } from './actions.ts';
import { checkedConditions } from './conditions.ts';
import type { Elbv2Context } from './elbv2-service.ts';
import { requireListener, requireRule } from './lookups.ts';
import { operationNotPermitted } from './model/attributes.ts';
import type { ListenerRecord, RuleRecord } from './model/records.ts';
import { forwardedGroups } from './model/usage.ts';
import { inRegion } from './region.ts';
import { actionSite, ruleSite } from './rule-checks.ts';
import { defaultRuleShape, ruleShape } from './shapes.ts';

export async function modifyRule(
  ctx: Elbv2Context,
  input: Wire<ModifyRuleInput>,
  _request: RequestContext,
): Promise<Wire<ModifyRuleOutput>> {
  const conditions = input.Conditions !== undefined ? checkedConditions(input.Conditions) : undefined;
  return inRegion(ctx, async (tx) => {
    const found = await requireRule(tx, input.RuleArn ?? '');
    if (found.type === 'default') {
      if (conditions) throw operationNotPermitted('The conditions of a default rule cannot be modified');
      const listener = found.listener;
      if (input.Actions === undefined) return { Rules: [defaultRuleShape(listener)] };
      const site = await actionSite(tx, listener);
      const actions = await checkedActions(tx, input.Actions, site);
      if (site.lb.type === 'application')
        checkUniqueGroups(site.lb.arn, site.usage, forwardedGroups(actions));
      const updated: ListenerRecord = { ...listener, defaultActions: actions };
      await tx.put(Kind.Elbv2Listener, listener.arn, updated);
      return { Rules: [defaultRuleShape(updated)] };
    }
    const rule = found.rule;
    const listener = await requireListener(tx, rule.listenerArn);
    const site = await ruleSite(tx, listener);
    const actions =
      input.Actions !== undefined ? await checkedActions(tx, input.Actions, site) : rule.actions;
    checkUniqueGroups(site.lb.arn, site.usage, forwardedGroups(actions));
    const updated: RuleRecord = { ...rule, conditions: conditions ?? rule.conditions, actions };
    await tx.put(Kind.Elbv2Rule, rule.arn, updated);
    return { Rules: [ruleShape(updated)] };
  });
}
