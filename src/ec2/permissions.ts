/**
 * The rules an Authorize or Revoke call names: its IpPermissions (or the older top-level
 * IpProtocol/FromPort/ToPort/CidrIp/SourceSecurityGroupName form), checked and split into EC2's
 * one-peer-per-rule form. Ports: tcp/udp need both (0..65535, from <= to); icmp takes a type and
 * code (-1 for any); every other protocol has none (-1).
 */
import type { IpPermission } from '@aws-sdk/client-ec2';
import { ServiceError } from '../core/errors.ts';
import type { Reader } from '../store/store.ts';
import { requireGroup } from './lookups.ts';
import { formatCidr, parseCidr } from './model/cidr.ts';
import { Ec2ErrorCode, groupNameNotFound, invalidValue, missingParameter } from './model/errors.ts';
import { normalizeIpProtocol } from './model/ip-protocols.ts';
import type { RulePeer, SecurityGroupRecord, SecurityGroupRuleRecord } from './model/records.ts';
import { securityGroupByName } from './model/security-groups.ts';

/** A rule as asked for: everything but its id. */
export type RuleSpec = Omit<SecurityGroupRuleRecord, 'ruleId'>;

export interface PermissionInput {
  IpPermissions?: IpPermission[];
  IpProtocol?: string;
  FromPort?: number;
  ToPort?: number;
  CidrIp?: string;
  SourceSecurityGroupName?: string;
  SourceSecurityGroupOwnerId?: string;
}

/** The rules `input` names for `group` (group peers resolved in its VPC). */
export async function ruleSpecs(
  reader: Reader,
  group: SecurityGroupRecord,
  input: PermissionInput,
): Promise<RuleSpec[]> {
  const permissions = [...(input.IpPermissions ?? [])];
  if (
    input.IpProtocol !== undefined ||
    input.CidrIp !== undefined ||
    input.SourceSecurityGroupName !== undefined
  ) {
    permissions.push({
      IpProtocol: input.IpProtocol ?? '-1',
      FromPort: input.FromPort,
      ToPort: input.ToPort,
      IpRanges: input.CidrIp !== undefined ? [{ CidrIp: input.CidrIp }] : undefined,
      UserIdGroupPairs:
        input.SourceSecurityGroupName !== undefined
          ? [{ GroupName: input.SourceSecurityGroupName, UserId: input.SourceSecurityGroupOwnerId }]
          : undefined,
    });
  }
  if (permissions.length === 0) throw missingParameter('ipPermissions');
  const specs: RuleSpec[] = [];
  for (const permission of permissions) specs.push(...(await permissionSpecs(reader, group, permission)));
  return specs;
}

async function permissionSpecs(
  reader: Reader,
  group: SecurityGroupRecord,
  p: IpPermission,
): Promise<RuleSpec[]> {
  if (p.IpProtocol === undefined) throw missingParameter('ipProtocol');
  const protocol = normalizeIpProtocol(p.IpProtocol === 'all' ? '-1' : p.IpProtocol);
  if (protocol === undefined)
    throw invalidValue(`Invalid value '${p.IpProtocol}' for IP protocol. Unknown protocol.`);
  const [fromPort, toPort] = ports(protocol, p.FromPort, p.ToPort);
  const peers: { peer: RulePeer; description?: string }[] = [];
  for (const range of p.IpRanges ?? []) {
    const cidr = range.CidrIp === undefined ? undefined : parseCidr(range.CidrIp, false);
    if (!cidr) throw invalidValue(`CIDR block ${range.CidrIp ?? 'null'} is malformed`);
    peers.push({ peer: { type: 'cidr4', cidr: formatCidr(cidr) }, description: range.Description });
  }
  for (const range of p.Ipv6Ranges ?? []) {
    if (!range.CidrIpv6 || !/^[0-9a-fA-F:]+\/\d{1,3}$/.test(range.CidrIpv6)) {
      throw invalidValue(`CIDR block ${range.CidrIpv6 ?? 'null'} is malformed`);
    }
    peers.push({
      peer: { type: 'cidr6', cidr: range.CidrIpv6.toLowerCase() },
      description: range.Description,
    });
  }
  for (const list of p.PrefixListIds ?? []) {
    if (!list.PrefixListId) throw missingParameter('prefixListId');
    peers.push({
      peer: { type: 'prefix-list', prefixListId: list.PrefixListId },
      description: list.Description,
    });
  }
  for (const pair of p.UserIdGroupPairs ?? []) {
    const referenced = await referencedGroup(reader, group, pair.GroupId, pair.GroupName);
    peers.push({
      peer: { type: 'group', groupId: referenced.groupId, userId: referenced.ownerId },
      description: pair.Description,
    });
  }
  if (peers.length === 0) throw missingParameter('ipRanges or userIdGroupPairs or prefixListIds');
  return peers.map(({ peer, description }) => ({
    protocol,
    fromPort,
    toPort,
    peer,
    ...(description === undefined ? {} : { description }),
  }));
}

function ports(protocol: string, from: number | undefined, to: number | undefined): [number, number] {
  if (protocol === 'tcp' || protocol === 'udp') {
    if (from === undefined || to === undefined) {
      throw invalidValue('Invalid value for portRange. Must specify both from and to ports with TCP/UDP.');
    }
    // -1 for both means every port (EC2 accepts it for tcp and udp and shows 0-65535).
    if (from === -1 && to === -1) return [0, 65535];
    if (!inRange(from, 0, 65535) || !inRange(to, 0, 65535) || from > to) {
      throw invalidValue(`Invalid TCP/UDP port range: from port ${from}, to port ${to}.`);
    }
    return [from, to];
  }
  if (protocol === 'icmp' || protocol === 'icmpv6') {
    const type = from ?? -1;
    const code = to ?? -1;
    if (!inRange(type, -1, 255) || !inRange(code, -1, 255)) {
      throw invalidValue(`Invalid value for ICMP type (${type}) or code (${code}).`);
    }
    return [type, code];
  }
  return [-1, -1];
}

const inRange = (n: number, min: number, max: number) => Number.isInteger(n) && n >= min && n <= max;

async function referencedGroup(
  reader: Reader,
  group: SecurityGroupRecord,
  groupId: string | undefined,
  groupName: string | undefined,
): Promise<SecurityGroupRecord> {
  if (groupId !== undefined) {
    const referenced = await requireGroup(reader, groupId);
    if (referenced.vpcId !== group.vpcId) {
      throw new ServiceError(
        Ec2ErrorCode.InvalidGroupNotFound,
        `You have specified two resources that belong to different networks.`,
      );
    }
    return referenced;
  }
  if (groupName === undefined) throw missingParameter('groupId or groupName');
  const referenced = await securityGroupByName(reader, group.vpcId, groupName);
  if (!referenced) throw groupNameNotFound(groupName, group.vpcId, false);
  return referenced;
}

/** Whether two rules allow the same thing (ids and descriptions aside). */
export function sameRule(a: RuleSpec, b: RuleSpec): boolean {
  return (
    a.protocol === b.protocol &&
    a.fromPort === b.fromPort &&
    a.toPort === b.toPort &&
    JSON.stringify(a.peer) === JSON.stringify(b.peer)
  );
}

/** EC2's InvalidPermission.Duplicate: `the specified rule "peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW" already exists`. */
export function duplicateRule(rule: RuleSpec): ServiceError {
  const peer =
    rule.peer.type === 'cidr4' || rule.peer.type === 'cidr6'
      ? rule.peer.cidr
      : rule.peer.type === 'group'
        ? rule.peer.groupId
        : rule.peer.prefixListId;
  const name = rule.protocol === '-1' ? 'ALL' : rule.protocol.toUpperCase();
  const detail =
    rule.protocol === 'tcp' || rule.protocol === 'udp'
      ? `, from port: ${rule.fromPort}, to port: ${rule.toPort}`
      : rule.protocol === 'icmp' || rule.protocol === 'icmpv6'
        ? `, type: ${rule.fromPort}, code: ${rule.toPort}`
        : '';
  return new ServiceError(
    Ec2ErrorCode.InvalidPermissionDuplicate,
    `the specified rule "peer: ${peer}, ${name}${detail}, ALLOW" already exists`,
  );
}
