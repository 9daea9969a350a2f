/**
 * One matching pass over a bus's outbox: the outbox is listed once and up to MATCH_PASS events,
 * oldest first (outbox keys sort by acceptance), are matched against the bus's ENABLED
 * event-pattern rules in batches of MATCH_BATCH. Each batch is ONE transaction: each matching
 * (rule, target) becomes a delivery record and each event leaves the outbox (removed at the
 * version read, so two passes never both take an event). An event on a bus that no longer exists,
 * or that matches nothing, is simply removed.
 */
import { writeDeliveries } from '../../events/model/deliveries.ts';
import type { OutboxRecord } from '../../events/model/publish-events.ts';
import type { RuleRecord } from '../../events/model/records.ts';
import type { RuleIndex } from '../../events/pattern/rule-index.ts';
import { Kind, type Store, VersionConflict } from '../../store/store.ts';

/** Events per transaction. */
export const MATCH_BATCH = 1_000;
/** Events per pass (one listing of the outbox); the rest wait for the next pass. */
export const MATCH_PASS = 20_000;

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
  const taken = Math.min(all.length, MATCH_PASS);
  const result: MatchResult = { events: 0, deliveries: 0, matched: [], more: all.length > taken };
  for (let from = 0; from < taken; from += MATCH_BATCH) {
    const batch = all.slice(from, Math.min(taken, from + MATCH_BATCH));
    let done: { deliveries: number; matched: MatchResult['matched'] };
    try {
      done = await store.transact(async (tx) => {
        let deliveries = 0;
        const matched: MatchResult['matched'] = [];
        for (const s of batch) {
          const { event, acceptedAt } = s.value;
          const rules = index ? index.match(event) : [];
          if (rules.length > 0) {
            deliveries += await writeDeliveries(tx, event, acceptedAt, rules);
            for (const rule of rules) matched.push({ rule, at: acceptedAt });
          }
          await tx.remove(Kind.EventOutbox, s.key, s.version);
        }
        return { deliveries, matched };
      });
    } catch (error) {
      // Another pass took one of these events: what committed so far stands, the rest next pass.
      if (!(error instanceof VersionConflict)) throw error;
      result.more = true;
      break;
    }
    result.events += batch.length;
    result.deliveries += done.deliveries;
    result.matched.push(...done.matched);
  }
  return result;
}
