/**
 * The default VPC every account has in every region: 172.31.0.0/16, one /20 subnet per
 * availability zone (172.31.0.0/20 in the first zone, 172.31.16.0/20 in the second ...), and its
 * `default` security group. Made on first use, in the caller's transaction.
 */
import { Kind, type Tx } from '../../store/store.ts';
import { addressAt, parseCidr } from './cidr.ts';
import { IdPrefix, newEc2Id } from './ids.ts';
import type { Ec2Scope } from './records.ts';
import { createSubnetRecord } from './subnets.ts';
import { createVpcRecord } from './vpcs.ts';
import { availabilityZones } from './zones.ts';

/** Kind.Meta record of the region: present once the default VPC was made. */
export const EC2_META_KEY = 'ec2-region';

export interface Ec2RegionMeta {
  defaultVpcId: string;
  /** The region's DHCP option set, which every VPC made here uses. */
  dhcpOptionsId: string;
}

export const DEFAULT_VPC_CIDR = '172.31.0.0/16';
const DEFAULT_SUBNET_PREFIX = 20;

/**
 * Idempotent: the first call in a region makes the default VPC, its subnets and group; later
 * calls read one record. Two first calls at once conflict on the meta record (one retries).
 * A default VPC the user deleted stays deleted, as in AWS.
 */
export async function ensureDefaultVpc(tx: Tx, scope: Ec2Scope): Promise<void> {
  if (await tx.get(Kind.Meta, EC2_META_KEY)) return;
  await createDefaultVpc(tx, scope);
}

/** The region's meta record (made with the default VPC). */
export async function regionMeta(tx: Tx, scope: Ec2Scope): Promise<Ec2RegionMeta> {
  const stored = await tx.get<Ec2RegionMeta>(Kind.Meta, EC2_META_KEY);
  return stored?.value ?? createDefaultVpc(tx, scope);
}

async function createDefaultVpc(tx: Tx, scope: Ec2Scope): Promise<Ec2RegionMeta> {
  const dhcpOptionsId = newEc2Id(scope.rng, IdPrefix.DhcpOptions);
  const { vpc } = await createVpcRecord(tx, scope, {
    cidrBlock: DEFAULT_VPC_CIDR,
    isDefault: true,
    dhcpOptionsId,
  });
  const range = parseCidr(DEFAULT_VPC_CIDR)!;
  const subnetSize = 2 ** (32 - DEFAULT_SUBNET_PREFIX);
  for (const [i, zone] of availabilityZones(scope.partition.region).entries()) {
    const cidrBlock = `${addressAt(range, i * subnetSize)}/${DEFAULT_SUBNET_PREFIX}`;
    await createSubnetRecord(tx, scope, { vpcId: vpc.vpcId, cidrBlock, zone, defaultForAz: true });
  }
  const meta: Ec2RegionMeta = { defaultVpcId: vpc.vpcId, dhcpOptionsId };
  await tx.put(Kind.Meta, EC2_META_KEY, meta, 'absent');
  return meta;
}
