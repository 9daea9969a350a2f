/**
 * How any part of Longshore puts an event on an EventBridge bus: the event is written to the
 * outbox (Kind.EventOutbox) in the caller's transaction, so it exists exactly when the change it
 * reports was committed (persist, then deliver). The event-rules controller matches outbox events
 * against the bus's rules, turns each match into deliveries and removes the event, in one
 * transaction; nothing is lost across a crash, and a retried delivery carries the same `id`.
 */
import type { Partition } from '../../core/arn.ts';
import type { Clock, Rng } from '../../core/clock.ts';
import { uuidFrom } from '../../core/uuid.ts';
import { Kind, type Tx } from '../../store/store.ts';

/** What a publisher says; the envelope's other fields are filled in here. */
export interface EventEntry {
  /** `aws.ecs`, `aws.cloudwatch`, `aws.ecr` ... or a PutEvents caller's own source. */
  source: string;
  /** `ECS Task State Change` ... */
  detailType: string;
  /** The event's `detail` object (JSON). */
  detail: Record<string, unknown>;
  /** ARNs of the resources the event is about. */
  resources?: string[];
  /** The bus: its name or ARN; default `default`. */
  bus?: string;
  /** When it happened (epoch ms); default now. */
  time?: number;
}

/** The EventBridge envelope, as rules match it and targets receive it. */
export interface EventEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  /** ISO 8601 to the second, as EventBridge writes it: `2026-11-29T15:46:29Z`. */
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

/** An outbox record: the envelope, the bus name it was put on, and a sequence for ordering. */
export interface OutboxRecord {
  bus: string;
  event: EventEnvelope;
  /** Epoch ms of acceptance; with the key, orders events of one bus. */
  acceptedAt: number;
}

export interface PublishContext {
  partition: Partition;
  clock: Clock;
  rng: Rng;
}

/**
 * Outbox keys sort by acceptance time within a bus, then by position in one publish call:
 * `<bus>/<ms, 15 digits>-<index, 5 digits>-<id>`.
 */
export function outboxKey(bus: string, acceptedAt: number, index: number, id: string): string {
  return `${bus}/${String(acceptedAt).padStart(15, '0')}-${String(index).padStart(5, '0')}-${id}`;
}

/** The bus name of a name or an ARN (`arn:aws:events:r:a:event-bus/name`). */
export function busName(nameOrArn: string | undefined): string {
  if (!nameOrArn) return 'default';
  const at = nameOrArn.indexOf(':event-bus/');
  return at >= 0 ? nameOrArn.slice(at + ':event-bus/'.length) : nameOrArn;
}

/** EventBridge writes `time` to the second. */
export function eventTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** Writes the events to the outbox in `tx`; returns their ids, in order. */
export async function publishEvents(
  tx: Tx,
  ctx: PublishContext,
  entries: readonly EventEntry[],
): Promise<string[]> {
  const ids: string[] = [];
  const acceptedAt = ctx.clock.now();
  for (const [index, entry] of entries.entries()) {
    const id = uuidFrom(ctx.rng);
    const bus = busName(entry.bus);
    const event: EventEnvelope = {
      version: '0',
      id,
      'detail-type': entry.detailType,
      source: entry.source,
      account: ctx.partition.accountId,
      time: eventTime(entry.time ?? acceptedAt),
      region: ctx.partition.region,
      resources: entry.resources ?? [],
      detail: entry.detail,
    };
    const record: OutboxRecord = { bus, event, acceptedAt };
    await tx.put(Kind.EventOutbox, outboxKey(bus, acceptedAt, index, id), record, 'absent');
    ids.push(id);
  }
  return ids;
}
