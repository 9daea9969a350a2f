/**
 * FilterLogEvents: a group's events (all streams, named ones, or a name prefix) in time order,
 * matched against a filter pattern. The scan walks the (group, timestamp) index from the token's
 * position in chunks, matching each chunk in JavaScript (a text pattern's required terms are
 * pushed down to SQLite as `instr` tests first), and stops at the page limit, at 1 MB of events,
 * or after MAX_SCANNED rows or MAX_SCAN_MS; then `nextToken` says where the next page starts. Pages can be
 * short, even empty, with a token: clients (the CLI, `aws logs tail`) keep asking, as they do
 * with CloudWatch.
 */
import type {
  FilteredLogEvent,
  FilterLogEventsRequest,
  FilterLogEventsResponse,
} from '@aws-sdk/client-cloudwatch-logs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { RequestContext } from '../../aws/service.ts';
import type { Wire } from '../../core/wire.ts';
import { compileFilterPattern, type FilterPattern, FilterPatternError } from '../filter-pattern/index.ts';
import { groupNameOf } from '../identifiers.ts';
import { type Cursor, EVENT_OVERHEAD_BYTES } from '../model/event-store.ts';
import { invalidParameter, validationFailed } from '../model/errors.ts';
import { getLogGroup } from '../model/groups.ts';
import { checkLimit, checkStreamName } from '../model/names.ts';
import { type LogsContext, type LogStreamRecord, logsKeys } from '../model/records.ts';
import { Kind } from '../../store/store.ts';
import { decodeToken, encodeToken } from '../paging.ts';
import { MAX_PAGE_BYTES, MAX_PAGE_EVENTS } from './get-log-events.ts';

/** Rows read from the store per chunk; the event loop gets a turn between chunks. */
const CHUNK = 2_000;
/** Rows one request scans at most before it answers with a token. */
export const MAX_SCANNED = 200_000;
const MAX_PUSHED_STREAMS = 500;
const MAX_STREAM_NAMES = 100;
/** Time one request scans at most before it answers with a token (CloudWatch's pages can be short or empty too). */
export const MAX_SCAN_MS = 500;

export async function filterLogEvents(
  ctx: LogsContext,
  input: FilterLogEventsRequest,
  _request: RequestContext,
): Promise<Wire<FilterLogEventsResponse>> {
  const groupName = groupNameOf(ctx.partition, input);
  const limit = checkLimit(input.limit, MAX_PAGE_EVENTS) ?? MAX_PAGE_EVENTS;
  if (input.logStreamNames !== undefined && input.logStreamNamePrefix !== undefined) {
    throw invalidParameter('logStreamNames and logStreamNamePrefix are mutually exclusive parameters.');
  }
  const streamNames = input.logStreamNames;
  if (streamNames !== undefined && (streamNames.length < 1 || streamNames.length > MAX_STREAM_NAMES)) {
    throw validationFailed(
      'logStreamNames',
      `[${streamNames.length} names]`,
      streamNames.length < 1
        ? 'Member must have length greater than or equal to 1'
        : `Member must have length less than or equal to ${MAX_STREAM_NAMES}`,
    );
  }
  for (const name of streamNames ?? []) checkStreamName(name, 'logStreamNames');
  if (input.logStreamNamePrefix !== undefined)
    checkStreamName(input.logStreamNamePrefix, 'logStreamNamePrefix');
  const pattern = patternOf(input.filterPattern);
  const group = await getLogGroup(ctx.store, groupName);
  const streams = await ctx.store.list<LogStreamRecord>(Kind.LogStream, {
    prefix: logsKeys.streamsOf(groupName) + (input.logStreamNamePrefix ?? ''),
  });
  const names = input.logStreamNames ? new Set(input.logStreamNames) : undefined;
  const selected = streams.map((s) => s.value).filter((s) => !names || names.has(s.logStreamName));
  const nameOf = new Map(selected.map((s) => [s.id, s.logStreamName]));
  const restricted = names !== undefined || input.logStreamNamePrefix !== undefined;
  if (restricted && selected.length === 0) return { events: [], searchedLogStreams: [] };
  let cursor = cursorOf(input.nextToken);
  const events: Wire<FilteredLogEvent>[] = [];
  let bytes = 0;
  let scanned = 0;
  const deadline = ctx.clock.now() + MAX_SCAN_MS;
  for (;;) {
    const rows = await ctx.events.scan({
      groupId: group.id,
      // Few streams: the store filters them; many: the loop below does (nameOf).
      ...(restricted && nameOf.size <= MAX_PUSHED_STREAMS ? { streamIds: [...nameOf.keys()] } : {}),
      ...(input.startTime !== undefined ? { startTime: input.startTime } : {}),
      // FilterLogEvents' endTime is inclusive ("not later than").
      ...(input.endTime !== undefined ? { endTime: input.endTime + 1 } : {}),
      ...(cursor ? { after: cursor } : {}),
      limit: CHUNK,
      ...(pattern.requiredSubstrings.length > 0 ? { contains: pattern.requiredSubstrings } : {}),
    });
    for (const row of rows) {
      scanned += 1;
      const stream = nameOf.get(row.streamId);
      if (stream === undefined || !pattern.match(row.message)) continue;
      const size = Buffer.byteLength(row.message, 'utf8') + EVENT_OVERHEAD_BYTES;
      if (events.length > 0 && bytes + size > MAX_PAGE_BYTES) return page(events, cursor);
      bytes += size;
      cursor = { timestamp: row.timestamp, id: row.id };
      events.push({
        logStreamName: stream,
        timestamp: row.timestamp,
        message: row.message,
        ingestionTime: row.ingestionTime,
        eventId: eventIdOf(cursor),
      });
      if (events.length >= limit) return page(events, cursor);
    }
    const last = rows[rows.length - 1];
    if (!last || rows.length < CHUNK) return { events, searchedLogStreams: [] };
    cursor = { timestamp: last.timestamp, id: last.id };
    if (scanned >= MAX_SCANNED || ctx.clock.now() > deadline) return page(events, cursor);
    await nextTurn();
  }
}

function page(events: Wire<FilteredLogEvent>[], cursor: Cursor | undefined): Wire<FilterLogEventsResponse> {
  return {
    events,
    searchedLogStreams: [],
    ...(cursor ? { nextToken: encodeToken(`${cursor.timestamp}:${cursor.id}`) } : {}),
  };
}

function cursorOf(token: string | undefined): Cursor | undefined {
  const text = decodeToken(token);
  if (text === undefined) return undefined;
  const m = /^(\d+):(\d+)$/.exec(text);
  if (!m) throw invalidParameter('The specified nextToken is invalid.');
  return { timestamp: Number(m[1]), id: Number(m[2]) };
}

/** CloudWatch's event ids are 56 digits; Longshore's are the event's time and store id. */
export const eventIdOf = (c: Cursor): string =>
  `${String(c.timestamp).padStart(20, '0')}${String(c.id).padStart(36, '0')}`;

function patternOf(text: string | undefined): FilterPattern {
  try {
    return compileFilterPattern(text ?? '');
  } catch (error) {
    if (error instanceof FilterPatternError) throw invalidParameter('Invalid filter pattern');
    throw error;
  }
}
