/**
 * GetLogEvents: one stream's events in time order, 10,000 or 1 MB a page. Without a token it
 * reads the newest events (or the oldest with startFromHead); the forward token continues after
 * the last event returned, the backward token before the first. At either end the token given is
 * handed back unchanged, which is how clients know to stop.
 */
import type { GetLogEventsRequest, GetLogEventsResponse } from '@aws-sdk/client-cloudwatch-logs';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import { groupNameOf } from '../identifiers.ts';
import { EVENT_OVERHEAD_BYTES, type StoredEvent } from '../model/event-store.ts';
import { getLogGroup } from '../model/groups.ts';
import { checkLimit, checkStreamName } from '../model/names.ts';
import type { LogsContext } from '../model/records.ts';
import { getLogStream } from '../model/streams.ts';
import { decodePosition, encodePosition } from './tokens.ts';

export const MAX_PAGE_EVENTS = 10_000;
export const MAX_PAGE_BYTES = 1_048_576;

export async function getLogEvents(
  ctx: LogsContext,
  input: GetLogEventsRequest,
  _request: RequestContext,
): Promise<Wire<GetLogEventsResponse>> {
  const groupName = groupNameOf(ctx.partition, input);
  checkStreamName(input.logStreamName!);
  const limit = checkLimit(input.limit, MAX_PAGE_EVENTS) ?? MAX_PAGE_EVENTS;
  const group = await getLogGroup(ctx.store, groupName);
  const stream = await getLogStream(ctx.store, groupName, input.logStreamName!);
  const position = input.nextToken !== undefined ? decodePosition(input.nextToken) : undefined;
  const forward = position ? position.direction === 'f' : input.startFromHead === true;
  const range = {
    groupId: group.id,
    streamId: stream.id,
    ...(input.startTime !== undefined ? { startTime: input.startTime } : {}),
    // CloudWatch's endTime is exclusive (events at endTime or later are left out), as the store's is.
    ...(input.endTime !== undefined ? { endTime: input.endTime } : {}),
  };
  let rows = await ctx.events.streamEvents({
    ...range,
    ...(position ? (forward ? { after: position.cursor } : { before: position.cursor }) : {}),
    descending: !forward,
    limit,
  });
  rows = withinBytes(rows);
  if (!forward) rows.reverse();
  const events = rows.map((e) => ({
    timestamp: e.timestamp,
    message: e.message,
    ingestionTime: e.ingestionTime,
  }));
  const first = rows[0];
  const last = rows[rows.length - 1];
  if (!first || !last) {
    // Nothing here: the same token back (or, with none, tokens at the edge the read started from).
    const edge = position?.cursor ?? { timestamp: 0, id: 0 };
    const token = input.nextToken ?? encodePosition('f', edge);
    return {
      events: [],
      nextForwardToken: position?.direction === 'f' ? token : encodePosition('f', edge),
      nextBackwardToken: position?.direction === 'b' ? token : encodePosition('b', edge),
    };
  }
  return {
    events,
    nextForwardToken: encodePosition('f', { timestamp: last.timestamp, id: last.id }),
    nextBackwardToken: encodePosition('b', { timestamp: first.timestamp, id: first.id }),
  };
}

/** The longest run of `rows` (in read order) within a page's 1 MB. */
function withinBytes(rows: StoredEvent[]): StoredEvent[] {
  let bytes = 0;
  for (let i = 0; i < rows.length; i++) {
    bytes += Buffer.byteLength(rows[i]!.message, 'utf8') + EVENT_OVERHEAD_BYTES;
    if (bytes > MAX_PAGE_BYTES) return rows.slice(0, Math.max(1, i));
  }
  return rows;
}
