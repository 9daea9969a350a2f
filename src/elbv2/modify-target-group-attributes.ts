/** ModifyTargetGroupAttributes: sets attributes of the group's kind (all checked first) and answers every attribute. */
import type {
  ModifyTargetGroupAttributesInput,
  ModifyTargetGroupAttributesOutput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RequestContext } from '../aws/service.ts';
import type { Wire } from '../core/wire.ts';
import { Kind } from '../store/store.ts';
import type { Elbv2Context } from './elbv2-service.ts';
import { requireTargetGroup } from './lookups.ts';
import { modifiedTargetGroupAttributes, targetGroupAttributes } from './model/attributes.ts';
import type { TargetGroupRecord } from './model/records.ts';
import { inRegion } from './region.ts';

export async function modifyTargetGroupAttributes(
  ctx: Elbv2Context,
  input: Wire<ModifyTargetGroupAttributesInput>,
  _request: RequestContext,
): Promise<Wire<ModifyTargetGroupAttributesOutput>> {
  return inRegion(ctx, async (tx) => {
    const tg = await requireTargetGroup(tx, input.TargetGroupArn ?? '');
    const updated: TargetGroupRecord = {
      ...tg,
      attributes: modifiedTargetGroupAttributes(tg, input.Attributes ?? []),
    };
    await tx.put(Kind.Elbv2TargetGroup, tg.arn, updated);
    return { Attributes: targetGroupAttributes(updated).map((a) => ({ Key: a.key, Value: a.value })) };
  });
}
