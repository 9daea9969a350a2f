/** CreateLoadBalancer: an ALB or NLB in subnets of one VPC, active at once; the same call again answers the same load balancer. */
import type {
  CreateLoadBalancerInput,
  CreateLoadBalancerOutput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RequestContext } from '../aws/service.ts';
import { ServiceError } from '../core/errors.ts';
import type { Wire } from '../core/wire.ts';
import { Kind } from '../store/store.ts';
import type { Elbv2Context } from './elbv2-service.ts';
import { loadBalancerArn, newElbId } from './model/arns.ts';
import { Elbv2ErrorCode, validation } from './model/errors.ts';
import { ACCOUNT_LIMITS } from './model/limits.ts';
import { canonicalHostedZoneId, dnsName } from './model/load-balancers.ts';
import { listLoadBalancers } from './model/lookups.ts';
import type { LoadBalancerRecord, LoadBalancerScheme, LoadBalancerType } from './model/records.ts';
import { checkName } from './names.ts';
import { checkedPlacement, checkedSecurityGroups, subnetIdsOf } from './placement.ts';
import { inRegion } from './region.ts';
import { loadBalancerShape } from './shapes.ts';
import { checkedTags } from './tags.ts';

export async function createLoadBalancer(
  ctx: Elbv2Context,
  input: Wire<CreateLoadBalancerInput>,
  _request: RequestContext,
): Promise<Wire<CreateLoadBalancerOutput>> {
  const name = checkName('Load balancer', input.Name ?? '');
  const type = loadBalancerType(input.Type);
  const scheme = input.Scheme ?? 'internet-facing';
  if (scheme !== 'internet-facing' && scheme !== 'internal') {
    throw validation(`Scheme '${scheme}' must be one of 'internet-facing, internal'`);
  }
  checkIpAddressType(input.IpAddressType);
  if (input.CustomerOwnedIpv4Pool !== undefined) {
    throw validation('Longshore does not support customer-owned IPv4 pools (AWS Outposts)');
  }
  const tags = checkedTags(input.Tags);
  const subnetIds = subnetIdsOf(input);
  return inRegion(ctx, async (tx) => {
    const placement = await checkedPlacement(tx, type, subnetIds);
    const groups = await checkedSecurityGroups(tx, type, placement.vpcId, input.SecurityGroups);
    const all = await listLoadBalancers(tx);
    const same = all.find((lb) => lb.name === name);
    if (same) {
      // ELBv2 answers a repeated call with the same settings with the load balancer it made.
      if (
        sameSettings(
          same,
          type,
          scheme,
          placement.zones.map((z) => z.subnetId),
          groups,
        )
      ) {
        return { LoadBalancers: [loadBalancerShape(same)] };
      }
      throw new ServiceError(
        Elbv2ErrorCode.DuplicateLoadBalancerName,
        `A load balancer with the same name '${name}' exists, but with different settings`,
      );
    }
    const max =
      type === 'application'
        ? ACCOUNT_LIMITS['application-load-balancers']
        : ACCOUNT_LIMITS['network-load-balancers'];
    if (all.filter((lb) => lb.type === type).length >= max) {
      throw new ServiceError(
        Elbv2ErrorCode.TooManyLoadBalancers,
        `The maximum number of ${type} load balancers (${max}) has been reached`,
      );
    }
    const arn = loadBalancerArn(ctx.partition, type, name, newElbId(ctx.rng));
    const lb: LoadBalancerRecord = {
      arn,
      name,
      type,
      scheme: scheme as LoadBalancerScheme,
      ipAddressType: 'ipv4',
      vpcId: placement.vpcId,
      zones: placement.zones,
      securityGroups: groups,
      dnsName: dnsName(ctx, { name, type, scheme: scheme as LoadBalancerScheme }),
      canonicalHostedZoneId: canonicalHostedZoneId(ctx.partition.region, type),
      state: 'active',
      attributes: {},
      tags,
      createdAt: ctx.clock.now(),
    };
    await tx.put(Kind.Elbv2LoadBalancer, arn, lb, 'absent');
    return { LoadBalancers: [loadBalancerShape(lb)] };
  });
}

function loadBalancerType(type: string | undefined): LoadBalancerType {
  if (type === undefined || type === 'application') return 'application';
  if (type === 'network') return 'network';
  if (type === 'gateway') throw validation('Longshore does not support gateway load balancers');
  throw validation(`Load balancer type '${type}' must be one of 'application, network, gateway'`);
}

/** Longshore's subnets have no IPv6 ranges, so only `ipv4` load balancers can be made. */
export function checkIpAddressType(type: string | undefined): void {
  if (type === undefined || type === 'ipv4') return;
  if (type === 'dualstack' || type === 'dualstack-without-public-ipv4') {
    throw validation(
      `IP address type '${type}' needs subnets with IPv6 CIDR blocks, which Longshore's subnets do not have`,
    );
  }
  throw validation(
    `IP address type '${type}' must be one of 'ipv4, dualstack, dualstack-without-public-ipv4'`,
  );
}

function sameSettings(
  lb: LoadBalancerRecord,
  type: LoadBalancerType,
  scheme: string,
  subnetIds: readonly string[],
  groups: readonly string[],
): boolean {
  const same = (a: readonly string[], b: readonly string[]) =>
    a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);
  return (
    lb.type === type &&
    lb.scheme === scheme &&
    same(
      lb.zones.map((z) => z.subnetId),
      subnetIds,
    ) &&
    same(lb.securityGroups, groups)
  );
}
