/**
 * A mount target's network interface in EC2: an address of its subnet (the one asked for, or the
 * lowest free one) held by a requester-managed ENI, in the same transaction as the mount target,
 * as EFS makes them. The subnet is rewritten at the version read, so two allocations conflict
 * rather than share an address.
 */
import type { Partition } from '../../core/arn.ts';
import type { Clock, Rng } from '../../core/clock.ts';
import {
  addressAt,
  defaultSecurityGroupOf,
  getSecurityGroup,
  lowestFreeOffset,
  offsetOf,
  parseCidr,
  privateDnsName,
  RESERVED_AT_START,
  sizeOf,
  withOffset,
} from '../../ec2/model/index.ts';
import type { NetworkInterfaceRecord, SubnetRecord } from '../../ec2/model/records.ts';
import { IdPrefix, newEc2Id } from '../../ec2/model/ids.ts';
import { findZone } from '../../ec2/model/zones.ts';
import { Kind, type Tx } from '../../store/store.ts';
import { badRequest, EfsErrorCode, efsError } from './errors.ts';

/** EFS's account, as RequesterId on the ENIs it makes. */
const EFS_REQUESTER_ID = '054099128318';

export interface EniScope {
  partition: Partition;
  clock: Clock;
  rng: Rng;
}

export async function createMountTargetEni(
  tx: Tx,
  scope: EniScope,
  input: {
    subnet: SubnetRecord;
    subnetVersion: number;
    ipAddress?: string;
    groups?: string[];
    description: string;
  },
): Promise<NetworkInterfaceRecord> {
  const { subnet } = input;
  const cidr = parseCidr(subnet.cidrBlock);
  if (!cidr) throw badRequest(`Subnet ${subnet.subnetId} has no IPv4 range.`);
  let offset: number | undefined;
  if (input.ipAddress) {
    offset = offsetOf(cidr, input.ipAddress);
    // The first four addresses and the last are the VPC's (network, router, DNS, reserved, broadcast).
    if (offset === undefined || offset < RESERVED_AT_START || offset >= sizeOf(cidr) - 1)
      throw badRequest(`IP address ${input.ipAddress} is not within the subnet's range ${subnet.cidrBlock}.`);
    if (subnet.allocated.includes(offset))
      throw efsError(EfsErrorCode.IpAddressInUse, `Address ${input.ipAddress} is in use.`);
  } else {
    offset = lowestFreeOffset(cidr, subnet.allocated);
    if (offset === undefined)
      throw efsError(EfsErrorCode.NoFreeAddressesInSubnet, `No free addresses in subnet ${subnet.subnetId}.`);
  }
  const groups = await checkedGroups(tx, subnet, input.groups);
  await tx.put<SubnetRecord>(
    Kind.Subnet,
    subnet.subnetId,
    { ...subnet, allocated: withOffset(subnet.allocated, offset) },
    input.subnetVersion,
  );
  const address = addressAt(cidr, offset);
  const zone = findZone(scope.partition.region, subnet.availabilityZone);
  const eni: NetworkInterfaceRecord = {
    networkInterfaceId: newEc2Id(scope.rng, IdPrefix.NetworkInterface),
    subnetId: subnet.subnetId,
    vpcId: subnet.vpcId,
    availabilityZone: subnet.availabilityZone,
    availabilityZoneId: zone?.zoneId ?? subnet.availabilityZoneId,
    description: input.description,
    groupIds: groups,
    interfaceType: 'interface',
    status: 'in-use',
    macAddress: `0a:${scope.rng.hex(5).replace(/(..)(?!$)/g, '$1:')}`,
    privateIpAddress: address,
    privateDnsName: privateDnsName(address, scope.partition.region),
    requesterManaged: true,
    requesterId: EFS_REQUESTER_ID,
    assignPublicIp: false,
    sourceDestCheck: true,
    ownerId: scope.partition.accountId,
    tags: [],
    createdAt: scope.clock.now(),
  };
  await tx.put(Kind.NetworkInterface, eni.networkInterfaceId, eni, 'absent');
  return eni;
}

async function checkedGroups(tx: Tx, subnet: SubnetRecord, groups: string[] | undefined): Promise<string[]> {
  if (!groups?.length) {
    const group = await defaultSecurityGroupOf(tx, subnet.vpcId);
    return group ? [group.groupId] : [];
  }
  for (const id of groups) {
    const group = await getSecurityGroup(tx, id);
    if (!group) throw efsError(EfsErrorCode.SecurityGroupNotFound, `Security group ${id} does not exist.`);
    if (group.vpcId !== subnet.vpcId)
      throw efsError(
        EfsErrorCode.SecurityGroupNotFound,
        `Security group ${id} is not in the VPC of subnet ${subnet.subnetId}.`,
      );
  }
  return groups;
}
