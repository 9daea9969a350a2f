/**
 * DeleteRule: refused while the rule has targets (EventBridge's ValidationException); a rule that
 * does not exist is deleted already. Managed rules need Force.
 */
import type { DeleteRuleRequest } from '@aws-sdk/client-eventbridge';
import { ServiceError } from '../../core/errors.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import { requireBus } from '../model/buses.ts';
import { EventsErrorCode, validation } from '../model/errors.ts';
import { checkRuleName } from '../model/names.ts';
import { type EventsContext, eventsKeys, type RuleRecord } from '../model/records.ts';

export async function deleteRule(ctx: EventsContext, input: Wire<DeleteRuleRequest>): Promise<object> {
  const name = checkRuleName(input.Name);
  return ctx.store.transact(async (tx) => {
    const bus = await requireBus(tx, ctx, input.EventBusName);
    const key = eventsKeys.rule(bus.name, name);
    const stored = await tx.get<RuleRecord>(Kind.EventRule, key);
    if (!stored) return {};
    if (stored.value.managedBy && !input.Force) {
      throw new ServiceError(
        EventsErrorCode.ManagedRule,
        `Rule ${name} is managed by ${stored.value.managedBy}; use Force to delete it.`,
      );
    }
    if (stored.value.targets.length > 0) throw validation("Rule can't be deleted since it has targets.");
    await tx.remove(Kind.EventRule, key, stored.version);
    await tx.remove(Kind.EventRuleSchedule, key);
    return {};
  });
}
