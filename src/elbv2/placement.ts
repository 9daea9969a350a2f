/**
 * Where a load balancer sits: the subnets (Subnets or SubnetMappings) and security groups a
 * request names, checked against EC2's records: every subnet exists, all in one VPC, one per
 * zone, two zones at least for an ALB; groups exist in that VPC (an ALB without groups gets the
 * VPC's default one).
 */
import type { SubnetMapping } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ServiceError } from '../core/errors.ts';
import type { Wire } from '../core/wire.ts';
import { defaultSecurityGroupOf, getSecurityGroup, getSubnet } from '../ec2/model/index.ts';
import type { Reader } from '../store/store.ts';
import { Elbv2ErrorCode, invalidConfiguration, validation } from './model/errors.ts';
import type { LoadBalancerType, LoadBalancerZone } from './model/records.ts';

export interface Placement {
  vpcId: string;
  zones: LoadBalancerZone[];
}

/** The subnet ids of Subnets or SubnetMappings (not both; Longshore takes no addresses in mappings). */
export function subnetIdsOf(input: { Subnets?: string[]; SubnetMappings?: Wire<SubnetMapping>[] }): string[] {
  const ids = input.Subnets ?? [];
  const mappings = input.SubnetMappings ?? [];
  if (ids.length > 0 && mappings.length > 0) {
    throw validation('You can specify subnets or subnet mappings, not both');
  }
  for (const m of mappings) {
    if (m.AllocationId !== undefined || m.PrivateIPv4Address !== undefined || m.IPv6Address !== undefined) {
      throw validation(
        'Longshore does not support Elastic IP, private IPv4 or IPv6 addresses in subnet mappings',
      );
    }
    if (m.SubnetId === undefined) throw validation('A subnet mapping must name a subnet');
  }
  return ids.length > 0 ? ids : mappings.map((m) => m.SubnetId ?? '');
}

export async function checkedPlacement(
  reader: Reader,
  type: LoadBalancerType,
  subnetIds: readonly string[],
): Promise<Placement> {
  if (subnetIds.length === 0) throw validation('At least one subnet must be specified');
  const zones: LoadBalancerZone[] = [];
  let vpcId: string | undefined;
  for (const id of subnetIds) {
    if (!/^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/.test(id)) {
      throw new ServiceError(Elbv2ErrorCode.InvalidSubnet, `The subnet ID '${id}' is not valid`);
    }
    const subnet = await getSubnet(reader, id);
    if (!subnet)
      throw new ServiceError(Elbv2ErrorCode.SubnetNotFound, `The subnet ID '${id}' does not exist`);
    if (vpcId !== undefined && subnet.vpcId !== vpcId) {
      throw new ServiceError(Elbv2ErrorCode.InvalidSubnet, 'All subnets must belong to the same VPC');
    }
    vpcId = subnet.vpcId;
    if (zones.some((z) => z.subnetId === id)) continue;
    if (zones.some((z) => z.zoneName === subnet.availabilityZone)) {
      throw invalidConfiguration(
        'A load balancer cannot be attached to multiple subnets in the same Availability Zone',
      );
    }
    zones.push({ subnetId: id, zoneName: subnet.availabilityZone, zoneId: subnet.availabilityZoneId });
  }
  if (type === 'application' && zones.length < 2) {
    throw validation('At least two subnets in two different Availability Zones must be specified');
  }
  return { vpcId: vpcId ?? '', zones };
}

/** The groups named, checked; none named: an ALB gets the VPC's default group, an NLB none. */
export async function checkedSecurityGroups(
  reader: Reader,
  type: LoadBalancerType,
  vpcId: string,
  groupIds: readonly string[] | undefined,
): Promise<string[]> {
  if (groupIds === undefined || (groupIds.length === 0 && type === 'application')) {
    if (type === 'network') return [];
    const group = await defaultSecurityGroupOf(reader, vpcId);
    return group ? [group.groupId] : [];
  }
  const out: string[] = [];
  for (const id of groupIds) {
    const group = /^sg-([0-9a-f]{8}|[0-9a-f]{17})$/.test(id) ? await getSecurityGroup(reader, id) : undefined;
    if (!group)
      throw new ServiceError(Elbv2ErrorCode.InvalidSecurityGroup, `Security group '${id}' does not exist`);
    if (group.vpcId !== vpcId) {
      throw new ServiceError(
        Elbv2ErrorCode.InvalidSecurityGroup,
        `Security group '${id}' does not belong to VPC '${vpcId}'`,
      );
    }
    if (!out.includes(id)) out.push(id);
  }
  return out;
}
