/** CreateRule: a rule of an ALB listener at a free priority (1..50000), with its conditions and actions. */
import type { CreateRuleInput, CreateRuleOutput } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RequestContext } from '../aws/service.ts';
import type { Wire } from '../core/wire.ts';
import { Kind } from '../store/store.ts';
import { checkedActions, checkUniqueGroups } from './actions.ts';
import { checkedConditions } from './conditions.ts';
import type { Elbv2Context } from './elbv2-service.ts';
import { checkArn, requireListener } from './lookups.ts';
import { newElbId, ruleArn } from './model/arns.ts';
import { listRules } from './model/lookups.ts';
import type { RuleRecord } from './model/records.ts';
import { forwardedGroups } from './model/usage.ts';
import { inRegion } from './region.ts';
import { checkedPriority, checkRuleQuota, priorityInUse, ruleSite } from './rule-checks.ts';
import { ruleShape } from './shapes.ts';
import { checkedTags } from './tags.ts';

export async function createRule(
  ctx: Elbv2Context,
  input: Wire<CreateRuleInput>,
  _request: RequestContext,
): Promise<Wire<CreateRuleOutput>> {
  checkArn(input.ListenerArn ?? '', 'listener');
  const priority = checkedPriority(input.Priority);
  const conditions = checkedConditions(input.Conditions);
  const tags = checkedTags(input.Tags);
  return inRegion(ctx, async (tx) => {
    const listener = await requireListener(tx, input.ListenerArn ?? '');
    const site = await ruleSite(tx, listener);
    const actions = await checkedActions(tx, input.Actions, site);
    if ((await listRules(tx, listener.arn)).some((r) => r.priority === priority))
      throw priorityInUse(priority);
    await checkRuleQuota(tx, site.lb.arn);
    checkUniqueGroups(site.lb.arn, site.usage, forwardedGroups(actions));
    const rule: RuleRecord = {
      arn: ruleArn(listener.arn, newElbId(ctx.rng)),
      listenerArn: listener.arn,
      priority,
      conditions,
      actions,
      tags,
    };
    await tx.put(Kind.Elbv2Rule, rule.arn, rule, 'absent');
    return { Rules: [ruleShape(rule)] };
  });
}
