/** The EC2 domain layer other areas use (ECS's awsvpc tasks, the channel, controllers): records, lookups, task ENIs and firewalls. */
export * from './cidr.ts';
export { ensureDefaultVpc } from './default-vpc.ts';
export { Ec2ErrorCode } from './errors.ts';
export { firewallProtocol, normalizeIpProtocol } from './ip-protocols.ts';
export {
  createTaskNetworkInterface,
  deleteNetworkInterface,
  getNetworkInterface,
  listNetworkInterfaces,
  privateDnsName,
} from './network-interfaces.ts';
export type * from './records.ts';
export { defaultSecurityGroupOf, getSecurityGroup, listSecurityGroups } from './security-groups.ts';
export { availableAddressCount, getSubnet, listSubnets } from './subnets.ts';
export { taskEniOf } from './task-eni.ts';
export { taskFirewall, taskFirewalls } from './task-firewall.ts';
export { getVpc, listVpcs } from './vpcs.ts';
export { type AvailabilityZone, availabilityZones } from './zones.ts';
