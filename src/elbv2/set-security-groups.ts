/** SetSecurityGroups: replaces a load balancer's security groups (groups of its VPC; an NLB made without groups takes none). */
import type {
  SetSecurityGroupsInput,
  SetSecurityGroupsOutput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RequestContext } from '../aws/service.ts';
import type { Wire } from '../core/wire.ts';
import { Kind } from '../store/store.ts';
import type { Elbv2Context } from './elbv2-service.ts';
import { requireLoadBalancer } from './lookups.ts';
import { invalidConfiguration, validation } from './model/errors.ts';
import type { LoadBalancerRecord } from './model/records.ts';
import { checkedSecurityGroups } from './placement.ts';
import { inRegion } from './region.ts';

export async function setSecurityGroups(
  ctx: Elbv2Context,
  input: Wire<SetSecurityGroupsInput>,
  _request: RequestContext,
): Promise<Wire<SetSecurityGroupsOutput>> {
  const ids = input.SecurityGroups ?? [];
  const enforce = input.EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic;
  if (enforce !== undefined && enforce !== 'on' && enforce !== 'off') {
    throw validation(`'${enforce}' must be one of 'on, off'`);
  }
  return inRegion(ctx, async (tx) => {
    const lb = await requireLoadBalancer(tx, input.LoadBalancerArn ?? '');
    if (lb.type === 'application' && ids.length === 0) {
      throw validation('At least one security group must be specified for an application load balancer');
    }
    if (lb.type === 'network' && lb.securityGroups.length === 0 && ids.length > 0) {
      throw invalidConfiguration(
        'You cannot set security groups on a Network Load Balancer which was created without any security groups',
      );
    }
    if (lb.type === 'network' && enforce === undefined && ids.length === 0) {
      throw validation('At least one security group must be specified');
    }
    const groups = await checkedSecurityGroups(tx, lb.type, lb.vpcId, ids);
    await tx.put<LoadBalancerRecord>(Kind.Elbv2LoadBalancer, lb.arn, { ...lb, securityGroups: groups });
    return {
      SecurityGroupIds: groups,
      ...(lb.type === 'network'
        ? { EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic: enforce ?? 'on' }
        : {}),
    };
  });
}
