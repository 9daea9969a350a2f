/** Subnet records: lookups, free-address counts, and creating a subnet. */
import { type Reader, Kind, type Tx } from '../../store/store.ts';
import { parseCidr, usableCount } from './cidr.ts';
import { IdPrefix, newEc2Id } from './ids.ts';
import type { Ec2Scope, Ec2Tag, SubnetRecord } from './records.ts';
import type { AvailabilityZone } from './zones.ts';

export async function getSubnet(reader: Reader, subnetId: string): Promise<SubnetRecord | undefined> {
  return (await reader.get<SubnetRecord>(Kind.Subnet, subnetId))?.value;
}

export async function listSubnets(reader: Reader): Promise<SubnetRecord[]> {
  return (await reader.list<SubnetRecord>(Kind.Subnet)).map((r) => r.value);
}

/** EC2's AvailableIpAddressCount: the range less the five reserved addresses and those in use (a /20: 4091 when empty). */
export function availableAddressCount(subnet: SubnetRecord): number {
  const cidr = parseCidr(subnet.cidrBlock);
  return cidr ? usableCount(cidr) - subnet.allocated.length : 0;
}

/** Stores a subnet whose range was already checked against its VPC and siblings. */
export async function createSubnetRecord(
  tx: Tx,
  scope: Ec2Scope,
  input: { vpcId: string; cidrBlock: string; zone: AvailabilityZone; defaultForAz: boolean; tags?: Ec2Tag[] },
): Promise<SubnetRecord> {
  const subnetId = newEc2Id(scope.rng, IdPrefix.Subnet);
  const { region, accountId } = scope.partition;
  const subnet: SubnetRecord = {
    subnetId,
    subnetArn: `arn:aws:ec2:${region}:${accountId}:subnet/${subnetId}`,
    vpcId: input.vpcId,
    cidrBlock: input.cidrBlock,
    availabilityZone: input.zone.zoneName,
    availabilityZoneId: input.zone.zoneId,
    // Default subnets give instances (and tasks asking for it) a public address; others do not.
    defaultForAz: input.defaultForAz,
    mapPublicIpOnLaunch: input.defaultForAz,
    state: 'available',
    ownerId: accountId,
    tags: input.tags ?? [],
    allocated: [],
    createdAt: scope.clock.now(),
  };
  await tx.put(Kind.Subnet, subnetId, subnet, 'absent');
  return subnet;
}
