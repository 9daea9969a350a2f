/**
 * Network interfaces: the ones ECS makes for awsvpc tasks (requester-managed, attached), with
 * their address allocated from the subnet in the same transaction that stores them.
 */
import { type Reader, Kind, type Tx } from '../../store/store.ts';
import { addressAt, lowestFreeOffset, offsetOf, parseCidr, withOffset } from './cidr.ts';
import { Ec2ErrorCode, groupNotFound, insufficientAddresses, subnetNotFound } from './errors.ts';
import { ServiceError } from '../../core/errors.ts';
import { IdPrefix, newEc2Id } from './ids.ts';
import type { Ec2Scope, NetworkInterfaceRecord, SubnetRecord } from './records.ts';
import { defaultSecurityGroupOf, getSecurityGroup } from './security-groups.ts';
import { findZone } from './zones.ts';

/**
 * What an ENI that ECS made for a task shows as RequesterId (the ECS service's account), and as
 * its attachment's InstanceOwnerId.
 */
export const ECS_REQUESTER_ID = '578734482556';
export const AMAZON_AWS_OWNER = 'amazon-aws';

export async function getNetworkInterface(
  reader: Reader,
  eniId: string,
): Promise<NetworkInterfaceRecord | undefined> {
  return (await reader.get<NetworkInterfaceRecord>(Kind.NetworkInterface, eniId))?.value;
}

export async function listNetworkInterfaces(reader: Reader): Promise<NetworkInterfaceRecord[]> {
  return (await reader.list<NetworkInterfaceRecord>(Kind.NetworkInterface)).map((r) => r.value);
}

/**
 * Allocates the lowest free address of the subnet (never one of the five reserved) and stores an
 * ENI for an awsvpc task. The subnet is rewritten at the version read, so two allocations at once
 * conflict (one retries) rather than share an address. No groups: the VPC's default group, as EC2.
 */
export async function createTaskNetworkInterface(
  tx: Tx,
  scope: Ec2Scope,
  input: { subnetId: string; groupIds: string[]; description: string; assignPublicIp: boolean },
): Promise<NetworkInterfaceRecord> {
  const stored = await tx.get<SubnetRecord>(Kind.Subnet, input.subnetId);
  if (!stored) throw subnetNotFound(input.subnetId);
  const subnet = stored.value;
  const groupIds = await checkedGroups(tx, subnet, input.groupIds);
  const cidr = parseCidr(subnet.cidrBlock);
  const offset = cidr && lowestFreeOffset(cidr, subnet.allocated);
  if (!cidr || offset === undefined) throw insufficientAddresses(subnet.subnetId);
  await tx.put<SubnetRecord>(
    Kind.Subnet,
    subnet.subnetId,
    { ...subnet, allocated: withOffset(subnet.allocated, offset) },
    stored.version,
  );
  const address = addressAt(cidr, offset);
  const now = scope.clock.now();
  const zone = findZone(scope.partition.region, subnet.availabilityZone);
  const eni: NetworkInterfaceRecord = {
    networkInterfaceId: newEc2Id(scope.rng, IdPrefix.NetworkInterface),
    subnetId: subnet.subnetId,
    vpcId: subnet.vpcId,
    availabilityZone: subnet.availabilityZone,
    availabilityZoneId: zone?.zoneId ?? subnet.availabilityZoneId,
    description: input.description,
    groupIds,
    interfaceType: 'interface',
    status: 'in-use',
    macAddress: `0a:${scope.rng.hex(5).replace(/(..)(?!$)/g, '$1:')}`,
    privateIpAddress: address,
    privateDnsName: privateDnsName(address, scope.partition.region),
    requesterManaged: true,
    requesterId: ECS_REQUESTER_ID,
    assignPublicIp: input.assignPublicIp,
    sourceDestCheck: true,
    ownerId: scope.partition.accountId,
    attachment: {
      attachmentId: newEc2Id(scope.rng, IdPrefix.Attachment),
      status: 'attached',
      instanceOwnerId: AMAZON_AWS_OWNER,
      deviceIndex: 1,
      networkCardIndex: 0,
      deleteOnTermination: false,
      attachTime: now,
    },
    tags: [],
    createdAt: now,
  };
  await tx.put(Kind.NetworkInterface, eni.networkInterfaceId, eni, 'absent');
  return eni;
}

/** Removes the ENI and frees its address; false when it was already gone (a repeat is harmless). */
export async function deleteNetworkInterface(tx: Tx, eniId: string): Promise<boolean> {
  const eni = await getNetworkInterface(tx, eniId);
  if (!eni) return false;
  const stored = await tx.get<SubnetRecord>(Kind.Subnet, eni.subnetId);
  const cidr = stored && parseCidr(stored.value.cidrBlock);
  const offset = cidr && offsetOf(cidr, eni.privateIpAddress);
  if (stored && offset !== undefined) {
    const allocated = stored.value.allocated.filter((o) => o !== offset);
    await tx.put<SubnetRecord>(Kind.Subnet, eni.subnetId, { ...stored.value, allocated }, stored.version);
  }
  await tx.remove(Kind.NetworkInterface, eniId);
  return true;
}

/** `ip-172-31-16-5.ec2.internal` in us-east-1, `ip-172-31-16-5.eu-west-1.compute.internal` elsewhere. */
export function privateDnsName(address: string, region: string): string {
  const host = `ip-${address.replaceAll('.', '-')}`;
  return region === 'us-east-1' ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}

/** The groups exist and are of the subnet's VPC; none given: the VPC's default group. */
async function checkedGroups(tx: Tx, subnet: SubnetRecord, groupIds: string[]): Promise<string[]> {
  if (groupIds.length === 0) {
    const group = await defaultSecurityGroupOf(tx, subnet.vpcId);
    return group ? [group.groupId] : [];
  }
  const unique = [...new Set(groupIds)];
  for (const id of unique) {
    const group = await getSecurityGroup(tx, id);
    if (!group) throw groupNotFound(id);
    if (group.vpcId !== subnet.vpcId) {
      throw new ServiceError(
        Ec2ErrorCode.InvalidParameter,
        `Security group ${id} and subnet ${subnet.subnetId} belong to different networks.`,
      );
    }
  }
  return unique;
}
