/** EnableRule and DisableRule: a disabled rule matches no event and fires no schedule. */
import type { DisableRuleRequest, EnableRuleRequest } from '@aws-sdk/client-eventbridge';
import { ServiceError } from '../../core/errors.ts';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import { requireBus } from '../model/buses.ts';
import { EventsErrorCode } from '../model/errors.ts';
import { checkRuleName } from '../model/names.ts';
import type { EventsContext, RuleRecord } from '../model/records.ts';
import { RuleState } from '../model/records.ts';
import { requireRule } from '../model/rules.ts';

export function enableRule(ctx: EventsContext, input: Wire<EnableRuleRequest>): Promise<object> {
  return setState(ctx, input, RuleState.Enabled);
}

export function disableRule(ctx: EventsContext, input: Wire<DisableRuleRequest>): Promise<object> {
  return setState(ctx, input, RuleState.Disabled);
}

async function setState(
  ctx: EventsContext,
  input: { Name?: string; EventBusName?: string },
  state: RuleState,
): Promise<object> {
  const name = checkRuleName(input.Name);
  return ctx.store.transact(async (tx) => {
    const bus = await requireBus(tx, ctx, input.EventBusName);
    const stored = await requireRule(tx, bus.name, name);
    if (stored.value.managedBy) {
      throw new ServiceError(
        EventsErrorCode.ManagedRule,
        `Rule ${name} is managed by ${stored.value.managedBy} and cannot be changed.`,
      );
    }
    // ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS stays as it is when enabled again.
    if (state === RuleState.Enabled && stored.value.state !== RuleState.Disabled) return {};
    if (stored.value.state === state) return {};
    const next: RuleRecord = { ...stored.value, state };
    await tx.put(Kind.EventRule, stored.key, next, stored.version);
    return {};
  });
}
