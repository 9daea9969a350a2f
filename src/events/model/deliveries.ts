/**
 * Deliveries: one record per (event, rule, target) that matched, written in the transaction that
 * removes the event from its bus's outbox (or, for a scheduled rule, the one that records the
 * occurrence as fired). The delivery worker invokes the target and removes the record once the
 * target took it, or once the retry policy gives up, so a delivery survives any restart and a
 * retried invocation carries the event's same `id` (at least once).
 *
 * Keys sort by the event's acceptance, then event id, so deliveries are listed oldest first:
 * `<ms, 15 digits>-<event id>/<bus>/<rule>/<target id>`.
 */
import { Kind, type Tx } from '../../store/store.ts';
import { type EventEnvelope, type OutboxRecord, outboxKey } from './publish-events.ts';
import type { RuleRecord, TargetRecord } from './records.ts';

export interface DeliveryRecord {
  event: EventEnvelope;
  bus: string;
  ruleName: string;
  ruleArn: string;
  /** The target as it was when the event matched. */
  target: TargetRecord;
  /** Epoch ms the event was accepted: its age for MaximumEventAgeInSeconds counts from here. */
  acceptedAt: number;
  /** Failed invocations so far. */
  attempts: number;
  /** Epoch ms of the next invocation. */
  nextAttemptAt: number;
  lastError?: string;
}

export function deliveryKey(
  acceptedAt: number,
  eventId: string,
  bus: string,
  rule: string,
  targetId: string,
): string {
  return `${String(acceptedAt).padStart(15, '0')}-${eventId}/${bus}/${rule}/${targetId}`;
}

/** Writes one delivery per target of each rule for `event`; returns how many. */
export async function writeDeliveries(
  tx: Tx,
  event: EventEnvelope,
  acceptedAt: number,
  rules: readonly RuleRecord[],
): Promise<number> {
  let n = 0;
  for (const rule of rules) {
    for (const target of rule.targets) {
      const record: DeliveryRecord = {
        event,
        bus: rule.bus,
        ruleName: rule.name,
        ruleArn: rule.arn,
        target,
        acceptedAt,
        attempts: 0,
        nextAttemptAt: acceptedAt,
      };
      await tx.put(
        Kind.EventDelivery,
        deliveryKey(acceptedAt, event.id, rule.bus, rule.name, target.Id!),
        record,
      );
      n++;
    }
  }
  return n;
}

/**
 * Puts `event` as it is (same `id`) on another bus's outbox: the event-bus target. Idempotent:
 * the key is derived from the delivery, so a repeated forward finds its record already there.
 */
export async function forwardEvent(
  tx: Tx,
  bus: string,
  event: EventEnvelope,
  acceptedAt: number,
): Promise<void> {
  const key = outboxKey(bus, acceptedAt, 0, event.id);
  if (await tx.get(Kind.EventOutbox, key)) return;
  const record: OutboxRecord = { bus, event, acceptedAt };
  await tx.put(Kind.EventOutbox, key, record, 'absent');
}
