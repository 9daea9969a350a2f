/** CreateSecurityGroup: a group in a VPC (the default VPC when none is named), allowing all egress. */
import type { CreateSecurityGroupRequest, CreateSecurityGroupResult } from '@aws-sdk/client-ec2';
import type { RequestContext } from '../aws/service.ts';
import { ServiceError } from '../core/errors.ts';
import { requireVpc } from './lookups.ts';
import { Ec2ErrorCode, invalidValue, missingParameter } from './model/errors.ts';
import { createSecurityGroupRecord, securityGroupByName } from './model/security-groups.ts';
import { defaultVpc } from './model/vpcs.ts';
import type { Ec2Context } from './ec2-service.ts';
import { inRegion, refuseDryRun } from './region.ts';
import { securityGroupArn } from './shapes.ts';
import { TaggableType, tagsFromSpecifications, tagsOut } from './tags.ts';

/** Names and descriptions: up to 255 characters of a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$* */
const TEXT = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/;
const MAX_TEXT = 255;

export async function createSecurityGroup(
  ctx: Ec2Context,
  input: CreateSecurityGroupRequest,
  _request: RequestContext,
): Promise<CreateSecurityGroupResult> {
  const name = input.GroupName!;
  const description = input.Description!;
  if (name === '') throw missingParameter('GroupName');
  if (description === '') throw missingParameter('GroupDescription');
  checkText('GroupName', name);
  checkText('GroupDescription', description);
  if (name.toLowerCase().startsWith('sg-')) {
    throw invalidValue('Group names may not be in the format sg-*.');
  }
  const tags = tagsFromSpecifications(input.TagSpecifications, TaggableType.SecurityGroup);
  return inRegion(ctx, async (tx) => {
    const vpc = input.VpcId !== undefined ? await requireVpc(tx, input.VpcId) : await defaultVpc(tx);
    if (!vpc) throw new ServiceError('VPCIdNotSpecified', 'No default VPC for this user');
    if (name === 'default') {
      throw new ServiceError(
        Ec2ErrorCode.InvalidGroupReserved,
        "The security group name 'default' is reserved",
      );
    }
    if (await securityGroupByName(tx, vpc.vpcId, name)) {
      throw new ServiceError(
        Ec2ErrorCode.InvalidGroupDuplicate,
        `The security group '${name}' already exists for VPC '${vpc.vpcId}'`,
      );
    }
    refuseDryRun(input);
    const group = await createSecurityGroupRecord(tx, ctx, {
      vpcId: vpc.vpcId,
      groupName: name,
      description,
      isDefault: false,
      tags,
    });
    return {
      GroupId: group.groupId,
      Tags: tagsOut(group.tags),
      SecurityGroupArn: securityGroupArn(ctx.partition, group.groupId),
    };
  });
}

function checkText(parameter: string, value: string): void {
  if (value.length > MAX_TEXT || !TEXT.test(value)) {
    throw invalidValue(
      `Value (${value}) for parameter ${parameter} is invalid. Character sets beyond ASCII are not supported.`,
    );
  }
}
