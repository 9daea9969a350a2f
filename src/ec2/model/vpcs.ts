/** VPC records: lookups, and creating a VPC with its default security group. */
import { type Reader, Kind, type Tx } from '../../store/store.ts';
import { IdPrefix, newEc2Id } from './ids.ts';
import type { Ec2Scope, Ec2Tag, SecurityGroupRecord, VpcRecord } from './records.ts';
import {
  createSecurityGroupRecord,
  DEFAULT_GROUP_DESCRIPTION,
  DEFAULT_GROUP_NAME,
} from './security-groups.ts';

export async function getVpc(reader: Reader, vpcId: string): Promise<VpcRecord | undefined> {
  return (await reader.get<VpcRecord>(Kind.Vpc, vpcId))?.value;
}

export async function listVpcs(reader: Reader): Promise<VpcRecord[]> {
  return (await reader.list<VpcRecord>(Kind.Vpc)).map((r) => r.value);
}

/** The region's default VPC, if it has one (ensureDefaultVpc makes it). */
export async function defaultVpc(reader: Reader): Promise<VpcRecord | undefined> {
  return (await listVpcs(reader)).find((v) => v.isDefault);
}

/** Stores a VPC (its range already checked) and its `default` security group. */
export async function createVpcRecord(
  tx: Tx,
  scope: Ec2Scope,
  input: {
    cidrBlock: string;
    isDefault: boolean;
    dhcpOptionsId: string;
    instanceTenancy?: VpcRecord['instanceTenancy'];
    tags?: Ec2Tag[];
  },
): Promise<{ vpc: VpcRecord; group: SecurityGroupRecord }> {
  const vpc: VpcRecord = {
    vpcId: newEc2Id(scope.rng, IdPrefix.Vpc),
    cidrBlock: input.cidrBlock,
    cidrBlockAssociationId: newEc2Id(scope.rng, IdPrefix.CidrAssociation),
    isDefault: input.isDefault,
    state: 'available',
    dhcpOptionsId: input.dhcpOptionsId,
    instanceTenancy: input.instanceTenancy ?? 'default',
    ownerId: scope.partition.accountId,
    tags: input.tags ?? [],
    createdAt: scope.clock.now(),
  };
  await tx.put(Kind.Vpc, vpc.vpcId, vpc, 'absent');
  const group = await createSecurityGroupRecord(tx, scope, {
    vpcId: vpc.vpcId,
    groupName: DEFAULT_GROUP_NAME,
    description: DEFAULT_GROUP_DESCRIPTION,
    isDefault: true,
  });
  return { vpc, group };
}
