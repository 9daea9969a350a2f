/** ListTargetsByRule: the rule's targets as PutTargets stored them, in Id order, pages of up to 100. */
import type { ListTargetsByRuleRequest, ListTargetsByRuleResponse } from '@aws-sdk/client-eventbridge';
import type { Wire } from '../../core/wire.ts';
import { requireBus } from '../model/buses.ts';
import { checkRuleName } from '../model/names.ts';
import type { EventsContext } from '../model/records.ts';
import { requireRule } from '../model/rules.ts';
import { page } from './paging.ts';

export async function listTargetsByRule(
  ctx: EventsContext,
  input: Wire<ListTargetsByRuleRequest>,
): Promise<Wire<ListTargetsByRuleResponse>> {
  const name = checkRuleName(input.Rule, 'rule');
  const bus = await requireBus(ctx.store, ctx, input.EventBusName);
  const rule = (await requireRule(ctx.store, bus.name, name)).value;
  const targets = [...rule.targets].sort((a, b) => (a.Id! < b.Id! ? -1 : a.Id! > b.Id! ? 1 : 0));
  const p = page(targets, (t) => t.Id!, input);
  return { Targets: p.items, NextToken: p.nextToken };
}
