/** ModifyTargetGroup: changes a target group's health check (the rest of it is fixed at creation). */
import type {
  ModifyTargetGroupInput,
  ModifyTargetGroupOutput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RequestContext } from '../aws/service.ts';
import type { Wire } from '../core/wire.ts';
import { Kind } from '../store/store.ts';
import type { Elbv2Context } from './elbv2-service.ts';
import { healthCheckFrom } from './health-check.ts';
import { requireTargetGroup } from './lookups.ts';
import type { TargetGroupRecord } from './model/records.ts';
import { targetGroupLoadBalancers } from './model/usage.ts';
import { inRegion } from './region.ts';
import { targetGroupShape } from './shapes.ts';

export async function modifyTargetGroup(
  ctx: Elbv2Context,
  input: Wire<ModifyTargetGroupInput>,
  _request: RequestContext,
): Promise<Wire<ModifyTargetGroupOutput>> {
  return inRegion(ctx, async (tx) => {
    const tg = await requireTargetGroup(tx, input.TargetGroupArn ?? '');
    const updated: TargetGroupRecord = {
      ...tg,
      healthCheck: healthCheckFrom(tg.protocol, input, tg.healthCheck),
    };
    await tx.put(Kind.Elbv2TargetGroup, tg.arn, updated);
    return { TargetGroups: [targetGroupShape(updated, await targetGroupLoadBalancers(tx, tg.arn))] };
  });
}
