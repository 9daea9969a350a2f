/**
 * Elastic Load Balancing v2 (prefix `elasticloadbalancing`): actions on a load balancer, target
 * group, listener or rule take that ARN from the input; Describe* actions have no resource-level
 * permissions (`*`), and neither do the Create* actions here (the new ARN is not known yet).
 */
import type { ResourceRule, ServiceActions } from './types.ts';
import { str, strings } from './types.ts';

const arnOf =
  (...members: string[]): ResourceRule =>
  (input) => {
    for (const m of members) {
      const arn = str(input[m]);
      if (arn) return [arn];
    }
    return ['*'];
  };

export const elbv2Actions: ServiceActions = {
  prefix: 'elasticloadbalancing',
  operations: {
    AddListenerCertificates: arnOf('ListenerArn'),
    RemoveListenerCertificates: arnOf('ListenerArn'),
    CreateListener: arnOf('LoadBalancerArn'),
    CreateRule: arnOf('ListenerArn'),
    DeleteListener: arnOf('ListenerArn'),
    DeleteLoadBalancer: arnOf('LoadBalancerArn'),
    DeleteRule: arnOf('RuleArn'),
    DeleteTargetGroup: arnOf('TargetGroupArn'),
    DeregisterTargets: arnOf('TargetGroupArn'),
    RegisterTargets: arnOf('TargetGroupArn'),
    ModifyListener: arnOf('ListenerArn'),
    ModifyListenerAttributes: arnOf('ListenerArn'),
    ModifyLoadBalancerAttributes: arnOf('LoadBalancerArn'),
    ModifyRule: arnOf('RuleArn'),
    ModifyTargetGroup: arnOf('TargetGroupArn'),
    ModifyTargetGroupAttributes: arnOf('TargetGroupArn'),
    SetIpAddressType: arnOf('LoadBalancerArn'),
    SetSecurityGroups: arnOf('LoadBalancerArn'),
    SetSubnets: arnOf('LoadBalancerArn'),
    SetRulePriorities: (input) => {
      const rules = (Array.isArray(input.RulePriorities) ? input.RulePriorities : [])
        .map((r) => str((r as Record<string, unknown>)?.RuleArn))
        .filter((a): a is string => a !== undefined);
      return rules.length > 0 ? rules : ['*'];
    },
    AddTags: (input) => strings(input.ResourceArns),
    RemoveTags: (input) => strings(input.ResourceArns),
  },
};
