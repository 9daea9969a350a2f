/** DeleteSecurityGroup: a group no interface uses and no other group's rule names; never a VPC's default group. */
import type { DeleteSecurityGroupRequest, DeleteSecurityGroupResult } from '@aws-sdk/client-ec2';
import type { RequestContext } from '../aws/service.ts';
import { ServiceError } from '../core/errors.ts';
import { Kind } from '../store/store.ts';
import { requireGroupByIdOrName } from './lookups.ts';
import { Ec2ErrorCode } from './model/errors.ts';
import { listNetworkInterfaces } from './model/network-interfaces.ts';
import { listSecurityGroups } from './model/security-groups.ts';
import type { Ec2Context } from './ec2-service.ts';
import { inRegion, refuseDryRun } from './region.ts';

export async function deleteSecurityGroup(
  ctx: Ec2Context,
  input: DeleteSecurityGroupRequest,
  _request: RequestContext,
): Promise<DeleteSecurityGroupResult> {
  return inRegion(ctx, async (tx) => {
    const group = await requireGroupByIdOrName(tx, input);
    if (group.isDefault) {
      throw new ServiceError(
        Ec2ErrorCode.CannotDelete,
        `the specified group: "${group.groupId}" name: "${group.groupName}" cannot be deleted by a user`,
      );
    }
    refuseDryRun(input);
    const usedByInterface = (await listNetworkInterfaces(tx)).some((e) => e.groupIds.includes(group.groupId));
    // A rule of another group naming this one is a dependency; the group's own rules are not.
    const namedByOther = (await listSecurityGroups(tx)).some(
      (g) =>
        g.groupId !== group.groupId &&
        [...g.ingress, ...g.egress].some((r) => r.peer.type === 'group' && r.peer.groupId === group.groupId),
    );
    if (usedByInterface || namedByOther) {
      throw new ServiceError(
        Ec2ErrorCode.DependencyViolation,
        `resource ${group.groupId} has a dependent object`,
      );
    }
    await tx.remove(Kind.SecurityGroup, group.groupId);
    return { Return: true, GroupId: group.groupId };
  });
}
