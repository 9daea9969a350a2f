/** Security group records: lookups, and the groups EC2 makes (a VPC's `default` group, a new group's egress rule). */
import { type Reader, Kind, type Tx } from '../../store/store.ts';
import { IdPrefix, newEc2Id } from './ids.ts';
import type { Ec2Scope, Ec2Tag, SecurityGroupRecord, SecurityGroupRuleRecord } from './records.ts';

export const DEFAULT_GROUP_NAME = 'default';
export const DEFAULT_GROUP_DESCRIPTION = 'default VPC security group';

export async function getSecurityGroup(
  reader: Reader,
  groupId: string,
): Promise<SecurityGroupRecord | undefined> {
  return (await reader.get<SecurityGroupRecord>(Kind.SecurityGroup, groupId))?.value;
}

export async function listSecurityGroups(reader: Reader): Promise<SecurityGroupRecord[]> {
  return (await reader.list<SecurityGroupRecord>(Kind.SecurityGroup)).map((r) => r.value);
}

/** The `default` group of a VPC (every VPC has one from its creation). */
export async function defaultSecurityGroupOf(
  reader: Reader,
  vpcId: string,
): Promise<SecurityGroupRecord | undefined> {
  return (await listSecurityGroups(reader)).find((g) => g.vpcId === vpcId && g.isDefault);
}

/** The group named `name` in `vpcId` (names are unique per VPC). */
export async function securityGroupByName(
  reader: Reader,
  vpcId: string,
  name: string,
): Promise<SecurityGroupRecord | undefined> {
  return (await listSecurityGroups(reader)).find((g) => g.vpcId === vpcId && g.groupName === name);
}

/** EC2's "all traffic" rule to or from `peer`. */
export function allTrafficRule(
  scope: Ec2Scope,
  peer: SecurityGroupRuleRecord['peer'],
): SecurityGroupRuleRecord {
  return {
    ruleId: newEc2Id(scope.rng, IdPrefix.SecurityGroupRule),
    protocol: '-1',
    fromPort: -1,
    toPort: -1,
    peer,
  };
}

/**
 * Makes and stores a group. Every group EC2 makes starts with one egress rule, all traffic to
 * 0.0.0.0/0; a VPC's default group also lets in all traffic from its own members.
 */
export async function createSecurityGroupRecord(
  tx: Tx,
  scope: Ec2Scope,
  input: { vpcId: string; groupName: string; description: string; isDefault: boolean; tags?: Ec2Tag[] },
): Promise<SecurityGroupRecord> {
  const groupId = newEc2Id(scope.rng, IdPrefix.SecurityGroup);
  const ownerId = scope.partition.accountId;
  const group: SecurityGroupRecord = {
    groupId,
    groupName: input.groupName,
    description: input.description,
    vpcId: input.vpcId,
    ownerId,
    isDefault: input.isDefault,
    ingress: input.isDefault ? [allTrafficRule(scope, { type: 'group', groupId, userId: ownerId })] : [],
    egress: [allTrafficRule(scope, { type: 'cidr4', cidr: '0.0.0.0/0' })],
    tags: input.tags ?? [],
    createdAt: scope.clock.now(),
  };
  await tx.put(Kind.SecurityGroup, groupId, group, 'absent');
  return group;
}
