/**
 * PutLogEvents without HTTP (the API handler and the agent's awslogs shipping share it). The
 * rules, in the order CloudWatch applies them:
 *
 *   1. the group, then the stream, must exist (ResourceNotFoundException);
 *   2. at most 10,000 events, at most 1,048,576 bytes counting UTF-8 message bytes + 26 each;
 *   3. timestamps in chronological order (InvalidParameterException);
 *   4. events more than 2 h ahead of now are rejected from the first such one on
 *      (tooNewLogEventStartIndex, inclusive); events older than 14 days are rejected up to
 *      tooOldLogEventEndIndex (exclusive), events older than the group's retention up to
 *      expiredLogEventEndIndex (exclusive); the others are stored;
 *   5. the accepted events may not span more than 24 hours (InvalidParameterException).
 *
 * A batch that fails a rule stores nothing; the accepted events are one transaction. Sequence
 * tokens are accepted and ignored, as CloudWatch does since 2023.
 */
import { EVENT_OVERHEAD_BYTES, type NewEvent } from './event-store.ts';
import { invalidParameter, validationFailed } from './errors.ts';
import { getLogGroup } from './groups.ts';
import { emitMetricFilterData } from './metric-filters.ts';
import { getLogStream } from './streams.ts';
import { liveTailBus } from './live-tail-bus.ts';
import type { LogsContext } from './records.ts';

export const MAX_BATCH_EVENTS = 10_000;
export const MAX_BATCH_BYTES = 1_048_576;
export const MAX_FUTURE_MS = 2 * 60 * 60_000;
export const MAX_AGE_MS = 14 * 24 * 60 * 60_000;
export const MAX_SPAN_MS = 24 * 60 * 60_000;
const DAY_MS = 24 * 60 * 60_000;

export interface PutLogEventsInput {
  logGroupName: string;
  logStreamName: string;
  logEvents: readonly NewEvent[];
}

export interface RejectedLogEventsInfo {
  tooNewLogEventStartIndex?: number;
  tooOldLogEventEndIndex?: number;
  expiredLogEventEndIndex?: number;
}

export interface PutLogEventsResult {
  accepted: number;
  rejectedLogEventsInfo?: RejectedLogEventsInfo;
}

export async function putLogEvents(ctx: LogsContext, input: PutLogEventsInput): Promise<PutLogEventsResult> {
  const group = await getLogGroup(ctx.store, input.logGroupName);
  const stream = await getLogStream(ctx.store, input.logGroupName, input.logStreamName);
  const events = input.logEvents;
  checkBatch(events);
  const now = ctx.clock.now();
  const { first, end, info } = partition(events, now, group.retentionInDays);
  const accepted = events.slice(first, end);
  if (
    accepted.length > 0 &&
    accepted[accepted.length - 1]!.timestamp - accepted[0]!.timestamp > MAX_SPAN_MS
  ) {
    throw invalidParameter(
      'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.',
    );
  }
  await ctx.events.append(group.id, stream.id, accepted, now);
  liveTailBus(ctx.events).publish({
    logGroupName: input.logGroupName,
    logStreamName: input.logStreamName,
    ingestionTime: now,
    events: accepted,
  });
  if (accepted.length > 0) await emitMetricFilterData(ctx, input.logGroupName, accepted);
  return {
    accepted: accepted.length,
    ...(Object.keys(info).length > 0 ? { rejectedLogEventsInfo: info } : {}),
  };
}

/** Count, size and order: a batch that fails any of them is refused whole. */
export function checkBatch(events: readonly NewEvent[]): void {
  if (events.length < 1) {
    throw validationFailed('logEvents', '[]', 'Member must have length greater than or equal to 1');
  }
  if (events.length > MAX_BATCH_EVENTS) {
    throw validationFailed(
      'logEvents',
      `[${events.length} events]`,
      `Member must have length less than or equal to ${MAX_BATCH_EVENTS}`,
    );
  }
  let bytes = 0;
  for (const e of events) {
    if (e.message.length === 0) {
      throw validationFailed(
        'logEvents.member.message',
        '',
        'Member must have length greater than or equal to 1',
      );
    }
    bytes += Buffer.byteLength(e.message, 'utf8') + EVENT_OVERHEAD_BYTES;
  }
  if (bytes > MAX_BATCH_BYTES) {
    throw invalidParameter(`Upload too large: ${bytes} bytes exceeds limit of ${MAX_BATCH_BYTES}`);
  }
  for (let i = 1; i < events.length; i++) {
    if (events[i]!.timestamp < events[i - 1]!.timestamp) {
      throw invalidParameter('Log events in a single PutLogEvents request must be in chronological order.');
    }
  }
}

/**
 * The accepted slice [first, end) of a sorted batch, and what was rejected. With a 7-day
 * retention and now = day 30: events of day 10 are too old and expired, of day 20 expired only,
 * of day 30 + 3 h too new.
 */
export function partition(
  events: readonly NewEvent[],
  now: number,
  retentionInDays: number | undefined,
): { first: number; end: number; info: RejectedLogEventsInfo } {
  const oldest = now - MAX_AGE_MS;
  const retained = retentionInDays === undefined ? Number.NEGATIVE_INFINITY : now - retentionInDays * DAY_MS;
  const newest = now + MAX_FUTURE_MS;
  let tooOld = 0;
  let expired = 0;
  let end = events.length;
  for (let i = 0; i < events.length; i++) {
    const t = events[i]!.timestamp;
    if (t < oldest) tooOld = i + 1;
    if (t < retained) expired = i + 1;
    if (t > newest) {
      end = i;
      break;
    }
  }
  const first = Math.max(tooOld, expired);
  const info: RejectedLogEventsInfo = {};
  if (end < events.length) info.tooNewLogEventStartIndex = end;
  if (tooOld > 0) info.tooOldLogEventEndIndex = tooOld;
  if (expired > 0) info.expiredLogEventEndIndex = expired;
  return { first, end: Math.max(first, end), info };
}
