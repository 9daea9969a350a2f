/** DeleteVpc: a VPC with no subnets and no security groups but its default one, which goes with it. */
import type { DeleteVpcRequest } from '@aws-sdk/client-ec2';
import type { RequestContext } from '../aws/service.ts';
import { ServiceError } from '../core/errors.ts';
import { Kind } from '../store/store.ts';
import { requireVpc } from './lookups.ts';
import { Ec2ErrorCode } from './model/errors.ts';
import { listSecurityGroups } from './model/security-groups.ts';
import { listSubnets } from './model/subnets.ts';
import type { Ec2Context } from './ec2-service.ts';
import { inRegion, refuseDryRun } from './region.ts';

export async function deleteVpc(
  ctx: Ec2Context,
  input: DeleteVpcRequest,
  _request: RequestContext,
): Promise<object> {
  return inRegion(ctx, async (tx) => {
    const vpc = await requireVpc(tx, input.VpcId!);
    refuseDryRun(input);
    const groups = (await listSecurityGroups(tx)).filter((g) => g.vpcId === vpc.vpcId);
    const hasSubnets = (await listSubnets(tx)).some((s) => s.vpcId === vpc.vpcId);
    if (hasSubnets || groups.some((g) => !g.isDefault)) {
      throw new ServiceError(
        Ec2ErrorCode.DependencyViolation,
        `The vpc '${vpc.vpcId}' has dependencies and cannot be deleted.`,
      );
    }
    for (const group of groups) await tx.remove(Kind.SecurityGroup, group.groupId);
    await tx.remove(Kind.Vpc, vpc.vpcId);
    return {};
  });
}
