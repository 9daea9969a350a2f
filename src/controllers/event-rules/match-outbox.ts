/**
 * One matching pass over a bus's outbox: up to MATCH_BATCH events, oldest first (outbox keys sort
 * by acceptance), are matched against the bus's ENABLED event-pattern rules and, in ONE
 * transaction, each matching (rule, target) becomes a delivery record and each event leaves the
 * outbox (removed at the version read, so two passes never both take an event). An event on a
 * bus that no longer exists, or that matches nothing, is simply removed.
 */
import { writeDeliveries } from '../../events/model/deliveries.ts';
import type { OutboxRecord } from '../../events/model/publish-events.ts';
import type { RuleRecord } from '../../events/model/records.ts';
import type { RuleIndex } from '../../events/pattern/rule-index.ts';
import { Kind, type Store } from '../../store/store.ts';

export const MATCH_BATCH = 500;

export interface MatchResult {
  /** Events taken off the outbox. */
  events: number;
  deliveries: number;
  /** Rules matched, per event: for TriggeredRules / MatchedEvents. */
  matched: { rule: RuleRecord; at: number }[];
  /** More events are waiting. */
  more: boolean;
}

export async function matchOutbox(
  store: Store,
  bus: string,
  index: RuleIndex<RuleRecord> | undefined,
): Promise<MatchResult> {
  const all = await store.list<OutboxRecord>(Kind.EventOutbox, { prefix: `${bus}/` });
  const batch = all.filter((s) => s.value.bus === bus).slice(0, MATCH_BATCH);
  const result: MatchResult = { events: 0, deliveries: 0, matched: [], more: all.length > batch.length };
  if (batch.length === 0) return result;
  await store.transact(async (tx) => {
    result.deliveries = 0;
    result.matched = [];
    for (const s of batch) {
      const { event, acceptedAt } = s.value;
      const rules = index ? index.match(event) : [];
      if (rules.length > 0) {
        result.deliveries += await writeDeliveries(tx, event, acceptedAt, rules);
        for (const rule of rules) result.matched.push({ rule, at: acceptedAt });
      }
      await tx.remove(Kind.EventOutbox, s.key, s.version);
    }
  });
  result.events = batch.length;
  return result;
}
