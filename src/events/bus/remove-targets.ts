/** RemoveTargets: removes targets by Id; an Id the rule does not have is not an error, as in EventBridge. */
import type { RemoveTargetsRequest, RemoveTargetsResponse } from '@aws-sdk/client-eventbridge';
import { ServiceError } from '../../core/errors.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import { requireBus } from '../model/buses.ts';
import { constraintFailed, EventsErrorCode } from '../model/errors.ts';
import { checkRuleName } from '../model/names.ts';
import type { EventsContext, RuleRecord } from '../model/records.ts';
import { requireRule } from '../model/rules.ts';

export async function removeTargets(
  ctx: EventsContext,
  input: Wire<RemoveTargetsRequest>,
): Promise<Wire<RemoveTargetsResponse>> {
  const name = checkRuleName(input.Rule, 'rule');
  const ids = input.Ids ?? [];
  if (ids.length < 1)
    throw constraintFailed('ids', '[]', 'Member must have length greater than or equal to 1');
  return ctx.store.transact(async (tx) => {
    const bus = await requireBus(tx, ctx, input.EventBusName);
    const stored = await requireRule(tx, bus.name, name);
    if (stored.value.managedBy && !input.Force) {
      throw new ServiceError(
        EventsErrorCode.ManagedRule,
        `Rule ${name} is managed by ${stored.value.managedBy}; use Force to change it.`,
      );
    }
    const remove = new Set(ids);
    const kept = stored.value.targets.filter((t) => !remove.has(t.Id!));
    if (kept.length !== stored.value.targets.length) {
      const record: RuleRecord = { ...stored.value, targets: kept };
      await tx.put(Kind.EventRule, stored.key, record, stored.version);
    }
    return { FailedEntryCount: 0, FailedEntries: [] };
  });
}
