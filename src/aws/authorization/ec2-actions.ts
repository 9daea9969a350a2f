/**
 * Amazon EC2 (prefix `ec2`), the VPC subset Longshore serves: actions on one VPC, subnet,
 * security group or network interface take its ARN (`<type>/<id>`); Describe* and Create* are
 * on `*`; CreateTags / DeleteTags on each tagged resource, its type read from the id's prefix.
 */
import { arnIn, type ResourceRule, type Scope, type ServiceActions, str, strings } from './types.ts';

const TYPES: Record<string, string> = {
  vpc: 'vpc',
  subnet: 'subnet',
  sg: 'security-group',
  eni: 'network-interface',
  sgr: 'security-group-rule',
};

export function ec2Arn(scope: Scope, id: string): string {
  const type = TYPES[id.slice(0, id.indexOf('-'))];
  return type ? arnIn(scope, 'ec2', `${type}/${id}`) : '*';
}

const byId =
  (member: string): ResourceRule =>
  (input, scope) => {
    const id = str(input[member]);
    return [id ? ec2Arn(scope, id) : '*'];
  };

export const ec2Actions: ServiceActions = {
  prefix: 'ec2',
  operations: {
    AuthorizeSecurityGroupEgress: byId('GroupId'),
    AuthorizeSecurityGroupIngress: byId('GroupId'),
    RevokeSecurityGroupEgress: byId('GroupId'),
    RevokeSecurityGroupIngress: byId('GroupId'),
    DeleteSecurityGroup: byId('GroupId'),
    DeleteSubnet: byId('SubnetId'),
    DeleteVpc: byId('VpcId'),
    DeleteNetworkInterface: byId('NetworkInterfaceId'),
    CreateTags: (input, scope) => strings(input.Resources).map((id) => ec2Arn(scope, id)),
    DeleteTags: (input, scope) => strings(input.Resources).map((id) => ec2Arn(scope, id)),
  },
};
