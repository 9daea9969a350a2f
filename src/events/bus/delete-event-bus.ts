/** DeleteEventBus: a custom bus with no rules left; deleting a bus that does not exist succeeds, as in EventBridge. */
import type { DeleteEventBusRequest } from '@aws-sdk/client-eventbridge';
import type { Wire } from '../../core/wire.ts';
import { Kind } from '../../store/store.ts';
import { validation } from '../model/errors.ts';
import { checkBusName } from '../model/names.ts';
import { DEFAULT_BUS, type EventsContext, eventsKeys } from '../model/records.ts';

export async function deleteEventBus(
  ctx: EventsContext,
  input: Wire<DeleteEventBusRequest>,
): Promise<object> {
  const name = checkBusName(input.Name);
  if (name === DEFAULT_BUS) throw validation('Cannot delete event bus default.');
  return ctx.store.transact(async (tx) => {
    const stored = await tx.get(Kind.EventBus, name);
    if (!stored) return {};
    const rules = await tx.list(Kind.EventRule, { prefix: eventsKeys.rulesOf(name) });
    if (rules.length > 0) throw validation(`Event bus ${name} still has rules; delete them first.`);
    await tx.remove(Kind.EventBus, name, stored.version);
    return {};
  });
}
