/**
 * The CloudWatch Logs target (`arn:aws:logs:<region>:<account>:log-group:<name>[:*]`), in batches:
 * every ready delivery to one log group is written in one go. Each event (or the target's input)
 * is one log event in a log stream named after the event's `id`, as EventBridge writes them; its
 * timestamp is the event's `time`. When the input is a JSON object `{"timestamp": <ms>, "message":
 * <text>}` (EventBridge's template form for log targets), those two are used.
 *
 * A batch costs one store transaction for the new streams (a stream that exists already, made by
 * another rule's delivery of the same event or by an attempt before a crash, is reused), one
 * event-store append per stream (told to Live Tail, as PutLogEvents does), and one metric-filter
 * pass for the group. A missing log group fails its deliveries for good; PutLogEvents' rules (too
 * old, too new, retention) apply per stream as they do for the API.
 */
import { ServiceError } from '../../core/errors.ts';
import type { DeliveryRecord } from '../../events/model/deliveries.ts';
import type { NewEvent } from '../../logs/model/event-store.ts';
import { getLogGroup } from '../../logs/model/groups.ts';
import { liveTailBus } from '../../logs/model/live-tail-bus.ts';
import { emitMetricFilterData } from '../../logs/model/metric-filters.ts';
import { checkBatch, partition } from '../../logs/model/put-events.ts';
import { type LogStreamRecord, logsKeys } from '../../logs/model/records.ts';
import { Kind } from '../../store/store.ts';
import { type EventTargetPorts, failed, type InvokeOutcome, ok } from './target-ports.ts';

export function logGroupOfArn(arn: string): string | undefined {
  const m = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:(.+?)(:\*)?$/.exec(arn);
  return m?.[1];
}

/** One delivery to a log group with its target input already built. */
export interface LogDelivery {
  delivery: DeliveryRecord;
  input: string;
}

/** The log event of one delivery: the input, or the `{timestamp, message}` it names. */
export function logEventOf(delivery: DeliveryRecord, input: string): NewEvent {
  let timestamp = Date.parse(delivery.event.time);
  let message = input;
  if (input.startsWith('{')) {
    try {
      const parsed = JSON.parse(input) as unknown;
      if (
        typeof parsed === 'object' &&
        parsed !== null &&
        Object.keys(parsed).length === 2 &&
        'timestamp' in parsed &&
        'message' in parsed
      ) {
        const t = (parsed as { timestamp: unknown }).timestamp;
        const m = (parsed as { message: unknown }).message;
        const when = typeof t === 'number' ? t : typeof t === 'string' ? Date.parse(t) : Number.NaN;
        if (Number.isFinite(when)) timestamp = when;
        message = typeof m === 'string' ? m : JSON.stringify(m);
      }
    } catch {
      // Not JSON: the text is the message.
    }
  }
  return { timestamp, message };
}

/** Writes every delivery of `batch` (all to the log group `group`); one outcome per delivery, in order. */
export async function invokeLogsBatch(
  ports: EventTargetPorts,
  region: string,
  group: string,
  batch: readonly LogDelivery[],
): Promise<InvokeOutcome[]> {
  const ctx = ports.logs(region);
  const outcomes: InvokeOutcome[] = batch.map(() => ok);
  const fail = (error: unknown, indexes: readonly number[]) => {
    if (!(error instanceof ServiceError)) throw error;
    const outcome = failed(`CloudWatch Logs: ${error.code}: ${error.message}`, error.fault === 'server');
    for (const i of indexes) outcomes[i] = outcome;
  };
  // Per stream (the event id), its deliveries' indexes in the batch.
  const streams = new Map<string, number[]>();
  for (const [i, b] of batch.entries()) {
    const at = streams.get(b.delivery.event.id);
    if (at) at.push(i);
    else streams.set(b.delivery.event.id, [i]);
  }
  let groupId: number;
  let retentionInDays: number | undefined;
  try {
    const g = await getLogGroup(ctx.store, group);
    groupId = g.id;
    retentionInDays = g.retentionInDays;
  } catch (error) {
    fail(error, [...batch.keys()]);
    return outcomes;
  }
  // New streams: ids from the event store, then every record in one transaction.
  const ids = new Map<string, number>();
  const fresh: string[] = [];
  for (const name of streams.keys()) {
    const existing = await ctx.store.get<LogStreamRecord>(Kind.LogStream, logsKeys.stream(group, name));
    if (existing) ids.set(name, existing.value.id);
    else fresh.push(name);
  }
  if (fresh.length > 0) {
    const newIds: number[] = [];
    for (let i = 0; i < fresh.length; i++) newIds.push(await ctx.events.newId());
    try {
      await ctx.store.transact(async (tx) => {
        await getLogGroup(tx, group);
        const now = ctx.clock.now();
        for (const [i, name] of fresh.entries()) {
          const key = logsKeys.stream(group, name);
          const there = await tx.get<LogStreamRecord>(Kind.LogStream, key);
          if (there) {
            ids.set(name, there.value.id);
            continue;
          }
          const record: LogStreamRecord = {
            logGroupName: group,
            logStreamName: name,
            id: newIds[i]!,
            creationTime: now,
          };
          await tx.put(Kind.LogStream, key, record, 'absent');
          ids.set(name, record.id);
        }
      });
    } catch (error) {
      fail(error, [...batch.keys()]);
      return outcomes;
    }
  }
  // One append per stream (the event store keys events by stream), then metric filters once.
  const now = ctx.clock.now();
  const tail = liveTailBus(ctx.events);
  const stored: NewEvent[] = [];
  for (const [name, indexes] of streams) {
    const events = indexes.map((i) => logEventOf(batch[i]!.delivery, batch[i]!.input));
    events.sort((a, b) => a.timestamp - b.timestamp);
    try {
      checkBatch(events);
      const { first, end } = partition(events, now, retentionInDays);
      const accepted = events.slice(first, end);
      await ctx.events.append(groupId, ids.get(name)!, accepted, now);
      stored.push(...accepted);
      // Live Tail sessions see these as they see PutLogEvents'.
      tail.publish({ logGroupName: group, logStreamName: name, ingestionTime: now, events: accepted });
    } catch (error) {
      fail(error, indexes);
    }
  }
  if (stored.length > 0) {
    stored.sort((a, b) => a.timestamp - b.timestamp);
    try {
      await emitMetricFilterData(ctx, group, stored);
    } catch {
      // The events are stored: a metric-filter failure does not fail (and re-deliver) them.
    }
  }
  return outcomes;
}
