/** Finding the resource a request names, with EC2's malformed and not-found errors. */
import {
  Ec2ErrorCode,
  groupNameNotFound,
  groupNotFound,
  malformedId,
  networkInterfaceNotFound,
  subnetNotFound,
  vpcNotFound,
} from './model/errors.ts';
import { IdPrefix, isEc2Id } from './model/ids.ts';
import { getNetworkInterface } from './model/network-interfaces.ts';
import type {
  NetworkInterfaceRecord,
  SecurityGroupRecord,
  SubnetRecord,
  VpcRecord,
} from './model/records.ts';
import { getSecurityGroup, securityGroupByName } from './model/security-groups.ts';
import { getSubnet } from './model/subnets.ts';
import { defaultVpc, getVpc } from './model/vpcs.ts';
import type { Reader } from '../store/store.ts';
import { ServiceError } from '../core/errors.ts';

export async function requireVpc(reader: Reader, vpcId: string): Promise<VpcRecord> {
  if (!isEc2Id(vpcId, IdPrefix.Vpc)) {
    throw new ServiceError(Ec2ErrorCode.InvalidVpcIdMalformed, `The vpc ID '${vpcId}' is malformed`);
  }
  const vpc = await getVpc(reader, vpcId);
  if (!vpc) throw vpcNotFound(vpcId);
  return vpc;
}

export async function requireSubnet(reader: Reader, subnetId: string): Promise<SubnetRecord> {
  if (!isEc2Id(subnetId, IdPrefix.Subnet)) {
    throw malformedId(Ec2ErrorCode.InvalidSubnetIdMalformed, subnetId, IdPrefix.Subnet);
  }
  const subnet = await getSubnet(reader, subnetId);
  if (!subnet) throw subnetNotFound(subnetId);
  return subnet;
}

export async function requireGroup(reader: Reader, groupId: string): Promise<SecurityGroupRecord> {
  if (!isEc2Id(groupId, IdPrefix.SecurityGroup)) {
    throw malformedId(Ec2ErrorCode.InvalidGroupIdMalformed, groupId, IdPrefix.SecurityGroup);
  }
  const group = await getSecurityGroup(reader, groupId);
  if (!group) throw groupNotFound(groupId);
  return group;
}

/**
 * The group a request names by id, or by name in the default VPC (what a bare GroupName means
 * to EC2); neither is MissingParameter.
 */
export async function requireGroupByIdOrName(
  reader: Reader,
  input: { GroupId?: string; GroupName?: string },
): Promise<SecurityGroupRecord> {
  if (input.GroupId !== undefined) return requireGroup(reader, input.GroupId);
  if (input.GroupName === undefined) {
    throw new ServiceError(
      Ec2ErrorCode.MissingParameter,
      'The request must contain the parameter groupName or groupId',
    );
  }
  const vpc = await defaultVpc(reader);
  const group = vpc && (await securityGroupByName(reader, vpc.vpcId, input.GroupName));
  if (!group) {
    throw vpc ? groupNameNotFound(input.GroupName, vpc.vpcId, true) : groupNotFound(input.GroupName);
  }
  return group;
}

export async function requireNetworkInterface(
  reader: Reader,
  eniId: string,
): Promise<NetworkInterfaceRecord> {
  if (!isEc2Id(eniId, IdPrefix.NetworkInterface)) {
    throw malformedId(Ec2ErrorCode.InvalidNetworkInterfaceIdMalformed, eniId, IdPrefix.NetworkInterface);
  }
  const eni = await getNetworkInterface(reader, eniId);
  if (!eni) throw networkInterfaceNotFound(eniId);
  return eni;
}
