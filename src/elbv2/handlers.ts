/** The table of implemented ELBv2 operations. docs/api-coverage-elbv2.md is generated from it. */
import type { Handler } from '../aws/handler-table.ts';
import { addListenerCertificates } from './add-listener-certificates.ts';
import { addTags } from './add-tags.ts';
import { createListener } from './create-listener.ts';
import { createLoadBalancer } from './create-load-balancer.ts';
import { createRule } from './create-rule.ts';
import { createTargetGroup } from './create-target-group.ts';
import { deleteListener } from './delete-listener.ts';
import { deleteLoadBalancer } from './delete-load-balancer.ts';
import { deleteRule } from './delete-rule.ts';
import { deleteTargetGroup } from './delete-target-group.ts';
import { deregisterTargets } from './deregister-targets.ts';
import { describeAccountLimits } from './describe-account-limits.ts';
import { describeListenerAttributes } from './describe-listener-attributes.ts';
import { describeListenerCertificates } from './describe-listener-certificates.ts';
import { describeListeners } from './describe-listeners.ts';
import { describeLoadBalancerAttributes } from './describe-load-balancer-attributes.ts';
import { describeLoadBalancers } from './describe-load-balancers.ts';
import { describeRules } from './describe-rules.ts';
import { describeTags } from './describe-tags.ts';
import { describeTargetGroupAttributes } from './describe-target-group-attributes.ts';
import { describeTargetGroups } from './describe-target-groups.ts';
import { describeTargetHealth } from './describe-target-health.ts';
import type { Elbv2Context } from './elbv2-service.ts';
import { modifyListener } from './modify-listener.ts';
import { modifyListenerAttributes } from './modify-listener-attributes.ts';
import { modifyLoadBalancerAttributes } from './modify-load-balancer-attributes.ts';
import { modifyRule } from './modify-rule.ts';
import { modifyTargetGroup } from './modify-target-group.ts';
import { modifyTargetGroupAttributes } from './modify-target-group-attributes.ts';
import { registerTargets } from './register-targets.ts';
import { removeListenerCertificates } from './remove-listener-certificates.ts';
import { removeTags } from './remove-tags.ts';
import { setIpAddressType } from './set-ip-address-type.ts';
import { setRulePriorities } from './set-rule-priorities.ts';
import { setSecurityGroups } from './set-security-groups.ts';
import { setSubnets } from './set-subnets.ts';

export const handlers: Readonly<Record<string, Handler<Elbv2Context>>> = {
  AddListenerCertificates: { category: 'mutate', handle: addListenerCertificates },
  AddTags: { category: 'mutate', handle: addTags },
  CreateListener: { category: 'mutate', handle: createListener },
  CreateLoadBalancer: { category: 'mutate', handle: createLoadBalancer },
  CreateRule: { category: 'mutate', handle: createRule },
  CreateTargetGroup: { category: 'mutate', handle: createTargetGroup },
  DeleteListener: { category: 'mutate', handle: deleteListener },
  DeleteLoadBalancer: { category: 'mutate', handle: deleteLoadBalancer },
  DeleteRule: { category: 'mutate', handle: deleteRule },
  DeleteTargetGroup: { category: 'mutate', handle: deleteTargetGroup },
  DeregisterTargets: { category: 'targets', handle: deregisterTargets },
  DescribeAccountLimits: { category: 'describe', handle: describeAccountLimits },
  DescribeListenerAttributes: { category: 'describe', handle: describeListenerAttributes },
  DescribeListenerCertificates: { category: 'describe', handle: describeListenerCertificates },
  DescribeListeners: { category: 'describe', handle: describeListeners },
  DescribeLoadBalancerAttributes: { category: 'describe', handle: describeLoadBalancerAttributes },
  DescribeLoadBalancers: { category: 'describe', handle: describeLoadBalancers },
  DescribeRules: { category: 'describe', handle: describeRules },
  DescribeTags: { category: 'describe', handle: describeTags },
  DescribeTargetGroupAttributes: { category: 'describe', handle: describeTargetGroupAttributes },
  DescribeTargetGroups: { category: 'describe', handle: describeTargetGroups },
  DescribeTargetHealth: { category: 'describe', handle: describeTargetHealth },
  ModifyListener: { category: 'mutate', handle: modifyListener },
  ModifyListenerAttributes: { category: 'mutate', handle: modifyListenerAttributes },
  ModifyLoadBalancerAttributes: { category: 'mutate', handle: modifyLoadBalancerAttributes },
  ModifyRule: { category: 'mutate', handle: modifyRule },
  ModifyTargetGroup: { category: 'mutate', handle: modifyTargetGroup },
  ModifyTargetGroupAttributes: { category: 'mutate', handle: modifyTargetGroupAttributes },
  RegisterTargets: { category: 'targets', handle: registerTargets },
  RemoveListenerCertificates: { category: 'mutate', handle: removeListenerCertificates },
  RemoveTags: { category: 'mutate', handle: removeTags },
  SetIpAddressType: { category: 'mutate', handle: setIpAddressType },
  SetRulePriorities: { category: 'mutate', handle: setRulePriorities },
  SetSecurityGroups: { category: 'mutate', handle: setSecurityGroups },
  SetSubnets: { category: 'mutate', handle: setSubnets },
};
