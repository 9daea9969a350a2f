/** DescribeRule, ListRules (name prefix, pages of up to 100) and ListRuleNamesByTarget. */
import type {
  DescribeRuleRequest,
  DescribeRuleResponse,
  ListRuleNamesByTargetRequest,
  ListRuleNamesByTargetResponse,
  ListRulesRequest,
  ListRulesResponse,
  Rule,
} from '@aws-sdk/client-eventbridge';
import type { Wire } from '../../core/wire.ts';
import { requireBus } from '../model/buses.ts';
import { checkRuleName } from '../model/names.ts';
import type { EventsContext, RuleRecord } from '../model/records.ts';
import { requireRule, rulesOfBus } from '../model/rules.ts';
import { page } from './paging.ts';

export async function describeRule(
  ctx: EventsContext,
  input: Wire<DescribeRuleRequest>,
): Promise<Wire<DescribeRuleResponse>> {
  const name = checkRuleName(input.Name);
  const bus = await requireBus(ctx.store, ctx, input.EventBusName);
  const rule = (await requireRule(ctx.store, bus.name, name)).value;
  return { ...ruleShape(rule), CreatedBy: rule.createdBy };
}

export async function listRules(
  ctx: EventsContext,
  input: Wire<ListRulesRequest>,
): Promise<Wire<ListRulesResponse>> {
  const bus = await requireBus(ctx.store, ctx, input.EventBusName);
  const rules = (await rulesOfBus(ctx.store, bus.name)).filter((r) =>
    r.name.startsWith(input.NamePrefix ?? ''),
  );
  const p = page(rules, (r) => r.name, input);
  return { Rules: p.items.map(ruleShape), NextToken: p.nextToken };
}

export async function listRuleNamesByTarget(
  ctx: EventsContext,
  input: Wire<ListRuleNamesByTargetRequest>,
): Promise<Wire<ListRuleNamesByTargetResponse>> {
  const bus = await requireBus(ctx.store, ctx, input.EventBusName);
  const rules = (await rulesOfBus(ctx.store, bus.name)).filter((r) =>
    r.targets.some((t) => t.Arn === input.TargetArn),
  );
  const p = page(rules, (r) => r.name, input);
  return { RuleNames: p.items.map((r) => r.name), NextToken: p.nextToken };
}

function ruleShape(rule: RuleRecord): Wire<Rule> {
  return {
    Name: rule.name,
    Arn: rule.arn,
    EventPattern: rule.eventPattern,
    State: rule.state,
    Description: rule.description,
    ScheduleExpression: rule.scheduleExpression,
    RoleArn: rule.roleArn,
    ManagedBy: rule.managedBy,
    EventBusName: rule.bus,
  };
}
