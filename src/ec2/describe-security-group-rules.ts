/** DescribeSecurityGroupRules: every rule of every group (one peer each), by rule id and filters, paged. */
import type {
  DescribeSecurityGroupRulesRequest,
  DescribeSecurityGroupRulesResult,
  SecurityGroupRule,
} from '@aws-sdk/client-ec2';
import type { RequestContext } from '../aws/service.ts';
import { ServiceError } from '../core/errors.ts';
import { applyFilters, type FilterTable } from './filters.ts';
import { Ec2ErrorCode } from './model/errors.ts';
import { listSecurityGroups } from './model/security-groups.ts';
import type { Ec2Context } from './ec2-service.ts';
import { ec2Page } from './paging.ts';
import { inRegion, refuseDryRun } from './region.ts';
import { securityGroupRuleShape } from './shapes.ts';

const RULE_FILTERS: FilterTable<SecurityGroupRule> = {
  'group-id': (r) => r.GroupId,
  'security-group-rule-id': (r) => r.SecurityGroupRuleId,
};

export async function describeSecurityGroupRules(
  ctx: Ec2Context,
  input: DescribeSecurityGroupRulesRequest,
  _request: RequestContext,
): Promise<DescribeSecurityGroupRulesResult> {
  refuseDryRun(input);
  return inRegion(ctx, async (tx) => {
    let rules = (await listSecurityGroups(tx)).flatMap((g) => [
      ...g.ingress.map((r) => securityGroupRuleShape(ctx.partition, g, r, false)),
      ...g.egress.map((r) => securityGroupRuleShape(ctx.partition, g, r, true)),
    ]);
    const ids = input.SecurityGroupRuleIds ?? [];
    if (ids.length > 0) {
      const missing = ids.find((id) => !rules.some((r) => r.SecurityGroupRuleId === id));
      if (missing !== undefined) {
        throw new ServiceError(
          Ec2ErrorCode.InvalidSecurityGroupRuleIdNotFound,
          `The security group rule ID '${missing}' does not exist`,
        );
      }
      rules = rules.filter((r) => ids.includes(r.SecurityGroupRuleId!));
    }
    const matching = applyFilters(rules, input.Filters, RULE_FILTERS, (r) =>
      (r.Tags ?? []).map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' })),
    );
    const page = ec2Page(
      matching,
      (r) => r.SecurityGroupRuleId!,
      input,
      ids.length > 0 ? 'securityGroupRuleIds' : undefined,
    );
    return { SecurityGroupRules: page.items, NextToken: page.NextToken };
  });
}
