/**
 * Records in the shapes EC2 answers with (Vpc, Subnet, SecurityGroup, SecurityGroupRule,
 * RevokedSecurityGroupRule, NetworkInterface).
 */
import type {
  IpPermission,
  NetworkInterface,
  RevokedSecurityGroupRule,
  SecurityGroup,
  SecurityGroupRule,
  Subnet,
  Vpc,
} from '@aws-sdk/client-ec2';
import { epochSeconds } from '../core/clock.ts';
import type { Partition } from '../core/arn.ts';
import type { Wire } from '../core/wire.ts';
import type {
  NetworkInterfaceRecord,
  SecurityGroupRecord,
  SecurityGroupRuleRecord,
  SubnetRecord,
  VpcRecord,
} from './model/records.ts';
import { availableAddressCount } from './model/subnets.ts';
import { tagsOut } from './tags.ts';

export function vpcShape(vpc: VpcRecord): Wire<Vpc> {
  return {
    OwnerId: vpc.ownerId,
    InstanceTenancy: vpc.instanceTenancy,
    CidrBlockAssociationSet: [
      {
        AssociationId: vpc.cidrBlockAssociationId,
        CidrBlock: vpc.cidrBlock,
        CidrBlockState: { State: 'associated' },
      },
    ],
    IsDefault: vpc.isDefault,
    Tags: tagsOut(vpc.tags),
    BlockPublicAccessStates: { InternetGatewayBlockMode: 'off' },
    VpcId: vpc.vpcId,
    State: vpc.state,
    CidrBlock: vpc.cidrBlock,
    DhcpOptionsId: vpc.dhcpOptionsId,
  };
}

export function subnetShape(subnet: SubnetRecord): Wire<Subnet> {
  return {
    AvailabilityZoneId: subnet.availabilityZoneId,
    MapCustomerOwnedIpOnLaunch: false,
    OwnerId: subnet.ownerId,
    AssignIpv6AddressOnCreation: false,
    Ipv6CidrBlockAssociationSet: [],
    Tags: tagsOut(subnet.tags),
    SubnetArn: subnet.subnetArn,
    EnableDns64: false,
    Ipv6Native: false,
    PrivateDnsNameOptionsOnLaunch: {
      HostnameType: 'ip-name',
      EnableResourceNameDnsARecord: false,
      EnableResourceNameDnsAAAARecord: false,
    },
    BlockPublicAccessStates: { InternetGatewayBlockMode: 'off' },
    SubnetId: subnet.subnetId,
    State: subnet.state,
    VpcId: subnet.vpcId,
    CidrBlock: subnet.cidrBlock,
    AvailableIpAddressCount: availableAddressCount(subnet),
    AvailabilityZone: subnet.availabilityZone,
    DefaultForAz: subnet.defaultForAz,
    MapPublicIpOnLaunch: subnet.mapPublicIpOnLaunch,
  };
}

export function securityGroupArn(p: Partition, groupId: string): string {
  return `arn:aws:ec2:${p.region}:${p.accountId}:security-group/${groupId}`;
}

export function securityGroupShape(p: Partition, group: SecurityGroupRecord): Wire<SecurityGroup> {
  return {
    GroupId: group.groupId,
    IpPermissionsEgress: ipPermissions(group.egress),
    Tags: tagsOut(group.tags),
    VpcId: group.vpcId,
    SecurityGroupArn: securityGroupArn(p, group.groupId),
    OwnerId: group.ownerId,
    GroupName: group.groupName,
    Description: group.description,
    IpPermissions: ipPermissions(group.ingress),
  };
}

/**
 * EC2's grouped form of rules: one IpPermission per protocol and port range, listing every peer
 * (ranges, groups, prefix lists), in the order the rules were added. Protocol `-1` has no ports.
 */
export function ipPermissions(rules: readonly SecurityGroupRuleRecord[]): IpPermission[] {
  const byKey = new Map<
    string,
    Required<Pick<IpPermission, 'IpRanges' | 'Ipv6Ranges' | 'PrefixListIds' | 'UserIdGroupPairs'>> &
      IpPermission
  >();
  for (const rule of rules) {
    const key = `${rule.protocol}:${rule.fromPort}:${rule.toPort}`;
    let permission = byKey.get(key);
    if (!permission) {
      permission = {
        IpProtocol: rule.protocol,
        ...(rule.protocol === '-1' ? {} : { FromPort: rule.fromPort, ToPort: rule.toPort }),
        UserIdGroupPairs: [],
        IpRanges: [],
        Ipv6Ranges: [],
        PrefixListIds: [],
      };
      byKey.set(key, permission);
    }
    const description = rule.description === undefined ? {} : { Description: rule.description };
    const peer = rule.peer;
    if (peer.type === 'cidr4') permission.IpRanges.push({ CidrIp: peer.cidr, ...description });
    else if (peer.type === 'cidr6') permission.Ipv6Ranges.push({ CidrIpv6: peer.cidr, ...description });
    else if (peer.type === 'prefix-list')
      permission.PrefixListIds.push({ PrefixListId: peer.prefixListId, ...description });
    else permission.UserIdGroupPairs.push({ UserId: peer.userId, GroupId: peer.groupId, ...description });
  }
  return [...byKey.values()];
}

/**
 * The members a SecurityGroupRule and a RevokedSecurityGroupRule share. A group peer is not among
 * them: the first names it as ReferencedGroupInfo (group and account), the second as
 * ReferencedGroupId.
 */
function ruleMembers(group: SecurityGroupRecord, rule: SecurityGroupRuleRecord, isEgress: boolean) {
  const peer = rule.peer;
  return {
    SecurityGroupRuleId: rule.ruleId,
    GroupId: group.groupId,
    IsEgress: isEgress,
    IpProtocol: rule.protocol,
    FromPort: rule.fromPort,
    ToPort: rule.toPort,
    ...(peer.type === 'cidr4' ? { CidrIpv4: peer.cidr } : {}),
    ...(peer.type === 'cidr6' ? { CidrIpv6: peer.cidr } : {}),
    ...(peer.type === 'prefix-list' ? { PrefixListId: peer.prefixListId } : {}),
    ...(rule.description === undefined ? {} : { Description: rule.description }),
  };
}

export function securityGroupRuleShape(
  p: Partition,
  group: SecurityGroupRecord,
  rule: SecurityGroupRuleRecord,
  isEgress: boolean,
): SecurityGroupRule {
  const peer = rule.peer;
  return {
    ...ruleMembers(group, rule, isEgress),
    GroupOwnerId: group.ownerId,
    ...(peer.type === 'group' ? { ReferencedGroupInfo: { GroupId: peer.groupId, UserId: peer.userId } } : {}),
    Tags: tagsOut(rule.tags ?? []) ?? [],
    SecurityGroupRuleArn: `arn:aws:ec2:${p.region}:${p.accountId}:security-group-rule/${rule.ruleId}`,
  };
}

/** A rule as RevokeSecurityGroupIngress/Egress answer it removed (no owner, tags or ARN). */
export function revokedSecurityGroupRuleShape(
  group: SecurityGroupRecord,
  rule: SecurityGroupRuleRecord,
  isEgress: boolean,
): RevokedSecurityGroupRule {
  const peer = rule.peer;
  return {
    ...ruleMembers(group, rule, isEgress),
    ...(peer.type === 'group' ? { ReferencedGroupId: peer.groupId } : {}),
  };
}

export function networkInterfaceShape(
  eni: NetworkInterfaceRecord,
  groupNames: ReadonlyMap<string, string>,
): Wire<NetworkInterface> {
  const attachment = eni.attachment;
  return {
    ...(attachment
      ? {
          Attachment: {
            AttachTime: epochSeconds(attachment.attachTime),
            AttachmentId: attachment.attachmentId,
            DeleteOnTermination: attachment.deleteOnTermination,
            DeviceIndex: attachment.deviceIndex,
            NetworkCardIndex: attachment.networkCardIndex,
            InstanceOwnerId: attachment.instanceOwnerId,
            Status: attachment.status,
          },
        }
      : {}),
    AvailabilityZone: eni.availabilityZone,
    AvailabilityZoneId: eni.availabilityZoneId,
    Description: eni.description,
    Groups: eni.groupIds.map((id) => ({ GroupId: id, GroupName: groupNames.get(id) })),
    InterfaceType: eni.interfaceType,
    Ipv6Addresses: [],
    MacAddress: eni.macAddress,
    NetworkInterfaceId: eni.networkInterfaceId,
    OwnerId: eni.ownerId,
    PrivateDnsName: eni.privateDnsName,
    PrivateIpAddress: eni.privateIpAddress,
    PrivateIpAddresses: [
      { Primary: true, PrivateDnsName: eni.privateDnsName, PrivateIpAddress: eni.privateIpAddress },
    ],
    ...(eni.requesterId === undefined ? {} : { RequesterId: eni.requesterId }),
    RequesterManaged: eni.requesterManaged,
    SourceDestCheck: eni.sourceDestCheck,
    Status: eni.status,
    SubnetId: eni.subnetId,
    TagSet: eni.tags.map((t) => ({ Key: t.key, Value: t.value })),
    VpcId: eni.vpcId,
  };
}
