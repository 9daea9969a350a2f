/**
 * EC2's error codes and messages, worded as EC2 words them (the codes are the `<Code>` of EC2's
 * `<Response><Errors>` answers; the SDK shows them as `error.name`). The model has no error shapes,
 * so the gateway answers each with HTTP 400.
 */
import { ServiceError } from '../../core/errors.ts';

export const Ec2ErrorCode = {
  CannotDelete: 'CannotDelete',
  DependencyViolation: 'DependencyViolation',
  DryRunOperation: 'DryRunOperation',
  InsufficientFreeAddressesInSubnet: 'InsufficientFreeAddressesInSubnet',
  InvalidGroupDuplicate: 'InvalidGroup.Duplicate',
  InvalidGroupIdMalformed: 'InvalidGroupId.Malformed',
  InvalidGroupNotFound: 'InvalidGroup.NotFound',
  InvalidGroupReserved: 'InvalidGroup.Reserved',
  InvalidID: 'InvalidID',
  InvalidNetworkInterfaceIdMalformed: 'InvalidNetworkInterfaceID.Malformed',
  InvalidNetworkInterfaceIdNotFound: 'InvalidNetworkInterfaceID.NotFound',
  InvalidNextToken: 'InvalidNextToken',
  InvalidParameter: 'InvalidParameter',
  InvalidParameterCombination: 'InvalidParameterCombination',
  InvalidParameterValue: 'InvalidParameterValue',
  InvalidPermissionDuplicate: 'InvalidPermission.Duplicate',
  InvalidPermissionNotFound: 'InvalidPermission.NotFound',
  InvalidSecurityGroupRuleIdNotFound: 'InvalidSecurityGroupRuleId.NotFound',
  InvalidSubnetConflict: 'InvalidSubnet.Conflict',
  InvalidSubnetIdMalformed: 'InvalidSubnetID.Malformed',
  InvalidSubnetIdNotFound: 'InvalidSubnetID.NotFound',
  InvalidSubnetRange: 'InvalidSubnet.Range',
  // Not InvalidVpcID: EC2 spells the malformed code with `Id` (CreateSecurityGroup,
  // AttachInternetGateway, CreateVpcEndpoint ... answer it so), though NotFound keeps `ID`.
  InvalidVpcIdMalformed: 'InvalidVpcId.Malformed',
  InvalidVpcIdNotFound: 'InvalidVpcID.NotFound',
  InvalidVpcRange: 'InvalidVpc.Range',
  MissingParameter: 'MissingParameter',
} as const;
export type Ec2ErrorCode = (typeof Ec2ErrorCode)[keyof typeof Ec2ErrorCode];

const error = (code: Ec2ErrorCode, message: string) => new ServiceError(code, message);

export const vpcNotFound = (id: string) =>
  error(Ec2ErrorCode.InvalidVpcIdNotFound, `The vpc ID '${id}' does not exist`);
export const subnetNotFound = (id: string) =>
  error(Ec2ErrorCode.InvalidSubnetIdNotFound, `The subnet ID '${id}' does not exist`);
export const groupNotFound = (id: string) =>
  error(Ec2ErrorCode.InvalidGroupNotFound, `The security group '${id}' does not exist`);
export const groupNameNotFound = (name: string, vpcId: string, isDefaultVpc: boolean) =>
  error(
    Ec2ErrorCode.InvalidGroupNotFound,
    `The security group '${name}' does not exist in ${isDefaultVpc ? 'default ' : ''}VPC '${vpcId}'`,
  );
export const networkInterfaceNotFound = (id: string) =>
  error(Ec2ErrorCode.InvalidNetworkInterfaceIdNotFound, `The networkInterface ID '${id}' does not exist`);

/** EC2's wording for an id of the wrong shape: `Invalid id: "web" (expecting "sg-...")`. */
export const malformedId = (code: Ec2ErrorCode, id: string, prefix: string) =>
  error(code, `Invalid id: "${id}" (expecting "${prefix}-...")`);

export const missingParameter = (name: string) =>
  error(Ec2ErrorCode.MissingParameter, `The request must contain the parameter ${name}`);

export const invalidValue = (message: string) => error(Ec2ErrorCode.InvalidParameterValue, message);

export const dryRun = () =>
  error(Ec2ErrorCode.DryRunOperation, 'Request would have succeeded, but DryRun flag is set.');

export const insufficientAddresses = (subnetId: string) =>
  error(
    Ec2ErrorCode.InsufficientFreeAddressesInSubnet,
    `There are not enough free addresses in subnet '${subnetId}' to satisfy the requested number of instances.`,
  );
