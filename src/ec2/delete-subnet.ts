/** DeleteSubnet: a subnet no network interface uses. */
import type { DeleteSubnetRequest } from '@aws-sdk/client-ec2';
import type { RequestContext } from '../aws/service.ts';
import { ServiceError } from '../core/errors.ts';
import { Kind } from '../store/store.ts';
import { requireSubnet } from './lookups.ts';
import { Ec2ErrorCode } from './model/errors.ts';
import type { Ec2Context } from './ec2-service.ts';
import { inRegion, refuseDryRun } from './region.ts';

export async function deleteSubnet(
  ctx: Ec2Context,
  input: DeleteSubnetRequest,
  _request: RequestContext,
): Promise<object> {
  return inRegion(ctx, async (tx) => {
    const subnet = await requireSubnet(tx, input.SubnetId!);
    refuseDryRun(input);
    // Every interface holds an address of its subnet, so `allocated` counts them.
    if (subnet.allocated.length > 0) {
      throw new ServiceError(
        Ec2ErrorCode.DependencyViolation,
        `The subnet '${subnet.subnetId}' has dependencies and cannot be deleted.`,
      );
    }
    await tx.remove(Kind.Subnet, subnet.subnetId);
    return {};
  });
}
