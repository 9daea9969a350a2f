/** DeregisterTargets: removes targets from a group, draining them while a load balancer uses it. */
import type { DeregisterTargetsInput } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RequestContext } from '../aws/service.ts';
import type { Wire } from '../core/wire.ts';
import type { Elbv2Context } from './elbv2-service.ts';
import { checkArn } from './lookups.ts';
import { deregisterTargets as deregister } from './model/targets.ts';
import { targetInputs } from './register-targets.ts';
import { inRegion } from './region.ts';

export async function deregisterTargets(
  ctx: Elbv2Context,
  input: Wire<DeregisterTargetsInput>,
  _request: RequestContext,
): Promise<object> {
  const arn = input.TargetGroupArn ?? '';
  checkArn(arn, 'targetgroup');
  const targets = targetInputs(input.Targets);
  return inRegion(ctx, async (tx) => {
    await deregister(tx, ctx, arn, targets);
    return {};
  });
}
