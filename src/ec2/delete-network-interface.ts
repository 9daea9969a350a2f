/**
 * DeleteNetworkInterface. Every interface Longshore holds is an awsvpc task's: requester-managed
 * and attached, so EC2 refuses to delete it (ECS deletes it when the task stops).
 */
import type { DeleteNetworkInterfaceRequest } from '@aws-sdk/client-ec2';
import type { RequestContext } from '../aws/service.ts';
import { requireNetworkInterface } from './lookups.ts';
import { invalidValue } from './model/errors.ts';
import { deleteNetworkInterface as removeInterface } from './model/network-interfaces.ts';
import type { Ec2Context } from './ec2-service.ts';
import { inRegion, refuseDryRun } from './region.ts';

export async function deleteNetworkInterface(
  ctx: Ec2Context,
  input: DeleteNetworkInterfaceRequest,
  _request: RequestContext,
): Promise<object> {
  return inRegion(ctx, async (tx) => {
    const eni = await requireNetworkInterface(tx, input.NetworkInterfaceId!);
    if (eni.status === 'in-use' || eni.requesterManaged) {
      throw invalidValue(`Network interface '${eni.networkInterfaceId}' is currently in use.`);
    }
    refuseDryRun(input);
    await removeInterface(tx, eni.networkInterfaceId);
    return {};
  });
}
