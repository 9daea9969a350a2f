/** The table of implemented EC2 operations. docs/api-coverage-ec2.md is generated from it. */
import type { Handler } from '../aws/handler-table.ts';
import { authorizeSecurityGroupEgress } from './authorize-security-group-egress.ts';
import { authorizeSecurityGroupIngress } from './authorize-security-group-ingress.ts';
import { createSecurityGroup } from './create-security-group.ts';
import { createSubnet } from './create-subnet.ts';
import { createTags } from './create-tags.ts';
import { createVpc } from './create-vpc.ts';
import { deleteNetworkInterface } from './delete-network-interface.ts';
import { deleteSecurityGroup } from './delete-security-group.ts';
import { deleteSubnet } from './delete-subnet.ts';
import { deleteTags } from './delete-tags.ts';
import { deleteVpc } from './delete-vpc.ts';
import { describeAvailabilityZones } from './describe-availability-zones.ts';
import { describeNetworkInterfaces } from './describe-network-interfaces.ts';
import { describeSecurityGroupRules } from './describe-security-group-rules.ts';
import { describeSecurityGroups } from './describe-security-groups.ts';
import { describeSubnets } from './describe-subnets.ts';
import { describeTags } from './describe-tags.ts';
import { describeVpcs } from './describe-vpcs.ts';
import type { Ec2Context } from './ec2-service.ts';
import { revokeSecurityGroupEgress } from './revoke-security-group-egress.ts';
import { revokeSecurityGroupIngress } from './revoke-security-group-ingress.ts';

export const handlers: Readonly<Record<string, Handler<Ec2Context>>> = {
  AuthorizeSecurityGroupEgress: { category: 'mutate', handle: authorizeSecurityGroupEgress },
  AuthorizeSecurityGroupIngress: { category: 'mutate', handle: authorizeSecurityGroupIngress },
  CreateSecurityGroup: { category: 'mutate', handle: createSecurityGroup },
  CreateSubnet: { category: 'mutate', handle: createSubnet },
  CreateTags: { category: 'tags', handle: createTags },
  CreateVpc: { category: 'mutate', handle: createVpc },
  DeleteNetworkInterface: { category: 'mutate', handle: deleteNetworkInterface },
  DeleteSecurityGroup: { category: 'mutate', handle: deleteSecurityGroup },
  DeleteSubnet: { category: 'mutate', handle: deleteSubnet },
  DeleteTags: { category: 'tags', handle: deleteTags },
  DeleteVpc: { category: 'mutate', handle: deleteVpc },
  DescribeAvailabilityZones: { category: 'describe', handle: describeAvailabilityZones },
  DescribeNetworkInterfaces: { category: 'describe', handle: describeNetworkInterfaces },
  DescribeSecurityGroupRules: { category: 'describe', handle: describeSecurityGroupRules },
  DescribeSecurityGroups: { category: 'describe', handle: describeSecurityGroups },
  DescribeSubnets: { category: 'describe', handle: describeSubnets },
  DescribeTags: { category: 'describe', handle: describeTags },
  DescribeVpcs: { category: 'describe', handle: describeVpcs },
  RevokeSecurityGroupEgress: { category: 'mutate', handle: revokeSecurityGroupEgress },
  RevokeSecurityGroupIngress: { category: 'mutate', handle: revokeSecurityGroupIngress },
};
