/** DescribeRules: a listener's rules by priority with its default rule last, or rules named by ARN, paged. */
import type {
  DescribeRulesInput,
  DescribeRulesOutput,
  Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RequestContext } from '../aws/service.ts';
import type { Wire } from '../core/wire.ts';
import type { Elbv2Context } from './elbv2-service.ts';
import { checkArn, requireListener, requireRule } from './lookups.ts';
import { validation } from './model/errors.ts';
import { listRules } from './model/lookups.ts';
import { elbPage, orderKey } from './paging.ts';
import { inRegion } from './region.ts';
import { defaultRuleShape, ruleShape } from './shapes.ts';

/** The default rule sorts after every priority. */
const DEFAULT_ORDER = Number.MAX_SAFE_INTEGER;

export async function describeRules(
  ctx: Elbv2Context,
  input: Wire<DescribeRulesInput>,
  _request: RequestContext,
): Promise<Wire<DescribeRulesOutput>> {
  const arns = input.RuleArns ?? [];
  if ((input.ListenerArn === undefined) === (arns.length === 0)) {
    throw validation('You must specify either listener ARN or rule ARNs, but not both');
  }
  for (const arn of arns) checkArn(arn, 'listener-rule');
  return inRegion(ctx, async (tx) => {
    const rules: { key: string; shape: Wire<Rule> }[] = [];
    if (input.ListenerArn !== undefined) {
      const listener = await requireListener(tx, input.ListenerArn);
      for (const rule of await listRules(tx, listener.arn)) {
        rules.push({ key: orderKey(rule.priority, rule.arn), shape: ruleShape(rule) });
      }
      rules.push({
        key: orderKey(DEFAULT_ORDER, listener.defaultRuleArn),
        shape: defaultRuleShape(listener),
      });
    } else {
      for (const arn of new Set(arns)) {
        const found = await requireRule(tx, arn);
        rules.push(
          found.type === 'rule'
            ? { key: orderKey(found.rule.priority, arn), shape: ruleShape(found.rule) }
            : { key: orderKey(DEFAULT_ORDER, arn), shape: defaultRuleShape(found.listener) },
        );
      }
    }
    const page = elbPage(rules, (r) => r.key, input);
    return { Rules: page.items.map((r) => r.shape), NextMarker: page.NextMarker };
  });
}
