/** DeleteTargetGroup: a group no listener or rule forwards to (ResourceInUse otherwise), with its targets. */
import type { DeleteTargetGroupInput } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RequestContext } from '../aws/service.ts';
import { ServiceError } from '../core/errors.ts';
import type { Wire } from '../core/wire.ts';
import { Kind } from '../store/store.ts';
import type { Elbv2Context } from './elbv2-service.ts';
import { checkArn } from './lookups.ts';
import { Elbv2ErrorCode } from './model/errors.ts';
import { getTargetGroup } from './model/lookups.ts';
import { removeAllTargets } from './model/target-records.ts';
import { targetGroupLoadBalancers } from './model/usage.ts';
import { inRegion } from './region.ts';

export async function deleteTargetGroup(
  ctx: Elbv2Context,
  input: Wire<DeleteTargetGroupInput>,
  _request: RequestContext,
): Promise<object> {
  const arn = input.TargetGroupArn ?? '';
  checkArn(arn, 'targetgroup');
  return inRegion(ctx, async (tx) => {
    // ELBv2 answers success for a group that is already gone.
    if (!(await getTargetGroup(tx, arn))) return {};
    const lbs = await targetGroupLoadBalancers(tx, arn);
    if (lbs.length > 0) {
      throw new ServiceError(
        Elbv2ErrorCode.ResourceInUse,
        `Target group '${arn}' is currently in use by a listener or a rule`,
      );
    }
    await removeAllTargets(tx, arn);
    await tx.remove(Kind.Elbv2TargetGroup, arn);
    return {};
  });
}
