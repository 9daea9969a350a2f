/** The agent's view of an awsvpc task's ENI: address, MAC, subnet and VPC ranges, gateway. */
import type { TaskEni } from '../../core/agent-protocol.ts';
import type { Reader } from '../../store/store.ts';
import { addressAt, parseCidr } from './cidr.ts';
import { subnetNotFound, vpcNotFound } from './errors.ts';
import type { NetworkInterfaceRecord } from './records.ts';
import { getSubnet } from './subnets.ts';
import { getVpc } from './vpcs.ts';

/**
 * The agent-facing form of `eni` (ECS adds its attachment id). The gateway is the subnet's router,
 * its first address plus one (172.31.16.1 for 172.31.16.0/20). Throws the EC2 not-found errors
 * when the subnet or VPC is gone, which deletion rules prevent while the ENI exists.
 */
export async function taskEniOf(
  reader: Reader,
  eni: NetworkInterfaceRecord,
): Promise<Omit<TaskEni, 'attachmentId'>> {
  const subnet = await getSubnet(reader, eni.subnetId);
  const subnetCidr = subnet && parseCidr(subnet.cidrBlock);
  if (!subnet || !subnetCidr) throw subnetNotFound(eni.subnetId);
  const vpc = await getVpc(reader, eni.vpcId);
  if (!vpc) throw vpcNotFound(eni.vpcId);
  return {
    networkInterfaceId: eni.networkInterfaceId,
    subnetId: eni.subnetId,
    vpcId: eni.vpcId,
    macAddress: eni.macAddress,
    privateIpv4Address: eni.privateIpAddress,
    privateDnsName: eni.privateDnsName,
    subnetCidr: subnet.cidrBlock,
    subnetGatewayIpv4Address: addressAt(subnetCidr, 1),
    vpcCidr: vpc.cidrBlock,
    vpcCidrs: [vpc.cidrBlock],
    assignPublicIp: eni.assignPublicIp,
  };
}
