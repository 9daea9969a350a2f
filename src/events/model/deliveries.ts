/**
 * Deliveries: one record per (event, rule, target) that matched, written in the transaction that
 * removes the event from its bus's outbox (or, for a scheduled rule, the one that records the
 * occurrence as fired). The delivery worker invokes the target and removes the record once the
 * target took it, or once the retry policy gives up, so a delivery survives any restart and a
 * retried invocation carries the event's same `id` (at least once).
 *
 * Keys group a target's deliveries, oldest first (acceptance, then event id), so the worker takes
 * a target's ready deliveries with one prefix listing and writes them in one batch:
 * `<bus>/<rule>/<target id>/<ms, 15 digits>-<event id>` (bus, rule and target ids hold no `/`).
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
  return `${deliveryTargetPrefix(bus, rule, targetId)}${String(acceptedAt).padStart(15, '0')}-${eventId}`;
}

/** The key prefix of one target's deliveries: `<bus>/<rule>/<target id>/`. */
export function deliveryTargetPrefix(bus: string, rule: string, targetId: string): string {
  return `${bus}/${rule}/${targetId}/`;
}

/** The target prefix of a delivery key (see deliveryKey). */
export function targetPrefixOfKey(key: string): string {
  return key.slice(0, key.lastIndexOf('/') + 1);
}

/** What a finished invocation does to its delivery record. */
export type DeliveryChange =
  /** Delivered, or failed for good: the record goes. */
  | { type: 'remove'; key: string; version: number }
  /** Failed, to be retried: the record is rewritten with its attempts and next attempt time. */
  | { type: 'retry'; key: string; version: number; next: DeliveryRecord };

/**
 * Applies a batch's outcomes in `tx` (one transaction for the whole batch). A record no longer at
 * the version its invocation read (removed or rewritten meanwhile) is left as it is: the change
 * is skipped, not a conflict that would roll back the others. Returns how many were applied.
 */
export async function settleDeliveries(tx: Tx, changes: readonly DeliveryChange[]): Promise<number> {
  let applied = 0;
  for (const c of changes) {
    const current = await tx.get<DeliveryRecord>(Kind.EventDelivery, c.key);
    if (current?.version !== c.version) continue;
    if (c.type === 'remove') await tx.remove(Kind.EventDelivery, c.key, c.version);
    else await tx.put(Kind.EventDelivery, c.key, c.next, c.version);
    applied++;
  }
  return applied;
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
