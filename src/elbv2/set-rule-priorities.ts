/** SetRulePriorities: moves rules to new priorities, all at once (priorities are checked after every move). */
import type {
  SetRulePrioritiesInput,
  SetRulePrioritiesOutput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RequestContext } from '../aws/service.ts';
import type { Wire } from '../core/wire.ts';
import { Kind } from '../store/store.ts';
import type { Elbv2Context } from './elbv2-service.ts';
import { checkArn, requireRule } from './lookups.ts';
import { operationNotPermitted } from './model/attributes.ts';
import { validation } from './model/errors.ts';
import { listRules } from './model/lookups.ts';
import type { RuleRecord } from './model/records.ts';
import { inRegion } from './region.ts';
import { checkedPriority, priorityInUse } from './rule-checks.ts';
import { ruleShape } from './shapes.ts';

export async function setRulePriorities(
  ctx: Elbv2Context,
  input: Wire<SetRulePrioritiesInput>,
  _request: RequestContext,
): Promise<Wire<SetRulePrioritiesOutput>> {
  const wanted = (input.RulePriorities ?? []).map((p) => {
    checkArn(p.RuleArn ?? '', 'listener-rule');
    return { arn: p.RuleArn ?? '', priority: checkedPriority(p.Priority) };
  });
  if (wanted.length === 0) throw validation('At least one rule priority must be specified');
  if (new Set(wanted.map((w) => w.arn)).size !== wanted.length) {
    throw validation('A rule can be specified only once');
  }
  return inRegion(ctx, async (tx) => {
    const moved: RuleRecord[] = [];
    for (const w of wanted) {
      const found = await requireRule(tx, w.arn);
      if (found.type === 'default') throw operationNotPermitted('Default rule priority cannot be modified');
      moved.push({ ...found.rule, priority: w.priority });
    }
    // Each listener's priorities after every move: unique, or PriorityInUse.
    for (const listenerArn of new Set(moved.map((r) => r.listenerArn))) {
      const after = new Map<string, number>();
      for (const r of await listRules(tx, listenerArn)) after.set(r.arn, r.priority);
      for (const r of moved) if (r.listenerArn === listenerArn) after.set(r.arn, r.priority);
      const seen = new Set<number>();
      for (const priority of after.values()) {
        if (seen.has(priority)) throw priorityInUse(priority);
        seen.add(priority);
      }
    }
    for (const r of moved) await tx.put(Kind.Elbv2Rule, r.arn, r);
    return { Rules: moved.map(ruleShape) };
  });
}
