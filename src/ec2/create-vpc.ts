/** CreateVpc: a VPC with an IPv4 range of /16 to /28, and its `default` security group. */
import type { CreateVpcRequest, CreateVpcResult } from '@aws-sdk/client-ec2';
import type { RequestContext } from '../aws/service.ts';
import type { Wire } from '../core/wire.ts';
import { parseCidr } from './model/cidr.ts';
import { regionMeta } from './model/default-vpc.ts';
import { Ec2ErrorCode, invalidValue } from './model/errors.ts';
import { createVpcRecord } from './model/vpcs.ts';
import { ServiceError } from '../core/errors.ts';
import type { Ec2Context } from './ec2-service.ts';
import { inRegion, refuseDryRun } from './region.ts';
import { shapeCheckedCidr } from './ranges.ts';
import { TaggableType, tagsFromSpecifications } from './tags.ts';
import { vpcShape } from './shapes.ts';

/** A VPC's range is /16 (65,536 addresses) to /28 (16), as in AWS. */
export const VPC_PREFIX = { min: 16, max: 28 } as const;

export async function createVpc(
  ctx: Ec2Context,
  input: CreateVpcRequest,
  _request: RequestContext,
): Promise<Wire<CreateVpcResult>> {
  if (input.CidrBlock === undefined) {
    throw new ServiceError(
      Ec2ErrorCode.MissingParameter,
      "Either 'cidrBlock' or 'ipv4IpamPoolId' should be provided.",
    );
  }
  const cidr = shapeCheckedCidr(input.CidrBlock, 'cidrBlock');
  if (!parseCidr(input.CidrBlock) || cidr.prefix < VPC_PREFIX.min || cidr.prefix > VPC_PREFIX.max) {
    throw new ServiceError(Ec2ErrorCode.InvalidVpcRange, `The CIDR '${input.CidrBlock}' is invalid.`);
  }
  if (input.InstanceTenancy !== undefined && !['default', 'dedicated'].includes(input.InstanceTenancy)) {
    throw invalidValue(`Value (${input.InstanceTenancy}) for parameter instanceTenancy is invalid.`);
  }
  const tags = tagsFromSpecifications(input.TagSpecifications, TaggableType.Vpc);
  refuseDryRun(input);
  return inRegion(ctx, async (tx) => {
    const meta = await regionMeta(tx, ctx);
    const { vpc } = await createVpcRecord(tx, ctx, {
      cidrBlock: input.CidrBlock!,
      isDefault: false,
      dhcpOptionsId: meta.dhcpOptionsId,
      instanceTenancy: input.InstanceTenancy as 'default' | 'dedicated' | undefined,
      tags,
    });
    // A new VPC is `pending` for a moment in AWS; Longshore's is ready at once.
    return { Vpc: vpcShape(vpc) };
  });
}
