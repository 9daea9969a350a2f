/**
 * PutEvents: up to 10 entries, 256 KB in all (EventBridge's entry size: Time 14 bytes when given,
 * plus the UTF-8 bytes of Source, DetailType, Detail and each resource). Each entry is checked on
 * its own and gets an EventId or an ErrorCode; the accepted ones go on their buses' outboxes in one
 * transaction (publishEvents), in order within each bus.
 */
import type {
  PutEventsRequest,
  PutEventsRequestEntry,
  PutEventsResponse,
  PutEventsResultEntry,
} from '@aws-sdk/client-eventbridge';
import type { Wire } from '../../core/wire.ts';
import { findBus } from '../model/buses.ts';
import { constraintFailed, validation } from '../model/errors.ts';
import { busName, type EventEntry, publishEvents } from '../model/publish-events.ts';
import type { EventsContext } from '../model/records.ts';

export const MAX_ENTRIES = 10;
export const MAX_REQUEST_BYTES = 256 * 1024;

export async function putEvents(
  ctx: EventsContext,
  input: Wire<PutEventsRequest>,
): Promise<Wire<PutEventsResponse>> {
  const entries = input.Entries ?? [];
  if (entries.length < 1)
    throw constraintFailed('entries', '[]', 'Member must have length greater than or equal to 1');
  if (entries.length > MAX_ENTRIES) {
    throw constraintFailed(
      'entries',
      `[${entries.length} entries]`,
      `Member must have length less than or equal to ${MAX_ENTRIES}`,
    );
  }
  if (input.EndpointId !== undefined) throw validation('Global endpoints are not supported by Longshore.');
  const size = entries.reduce((n, e) => n + entrySize(e), 0);
  if (size > MAX_REQUEST_BYTES)
    throw validation('Total size of the entries in the request is over the limit.');
  return ctx.store.transact(async (tx) => {
    const results: Wire<PutEventsResultEntry>[] = [];
    const accepted = new Map<string, { index: number; entry: EventEntry }[]>();
    for (const [index, e] of entries.entries()) {
      const problem = entryProblem(e);
      if (problem) {
        results.push(problem);
        continue;
      }
      const bus = await findBus(tx, ctx, e.EventBusName);
      if (!bus) {
        results.push({
          ErrorCode: 'ResourceNotFoundException',
          ErrorMessage: `Event bus ${busName(e.EventBusName)} does not exist.`,
        });
        continue;
      }
      const entry: EventEntry = {
        source: e.Source!,
        detailType: e.DetailType!,
        detail: JSON.parse(e.Detail!) as Record<string, unknown>,
        resources: e.Resources ?? [],
        bus: bus.name,
        ...(e.Time !== undefined ? { time: e.Time * 1000 } : {}),
      };
      const list = accepted.get(bus.name) ?? [];
      list.push({ index, entry });
      accepted.set(bus.name, list);
      results.push({});
    }
    for (const list of accepted.values()) {
      const ids = await publishEvents(
        tx,
        ctx,
        list.map((x) => x.entry),
      );
      for (const [i, { index }] of list.entries()) results[index] = { EventId: ids[i] };
    }
    return { FailedEntryCount: results.filter((r) => r.ErrorCode).length, Entries: results };
  });
}

function entrySize(e: Wire<PutEventsRequestEntry>): number {
  const bytes = (s: string | undefined) => (s === undefined ? 0 : Buffer.byteLength(s, 'utf8'));
  return (
    (e.Time !== undefined ? 14 : 0) +
    bytes(e.Source) +
    bytes(e.DetailType) +
    bytes(e.Detail) +
    (e.Resources ?? []).reduce((n, r) => n + bytes(r), 0)
  );
}

/** EventBridge's per-entry errors, in the order it checks them. */
function entryProblem(e: Wire<PutEventsRequestEntry>): Wire<PutEventsResultEntry> | undefined {
  const invalid = (member: string, reason: string) => ({
    ErrorCode: 'InvalidArgument',
    ErrorMessage: `Parameter ${member} is not valid. Reason: ${reason}`,
  });
  if (!e.Source) return invalid('Source', 'Source is a required argument.');
  if (!e.DetailType) return invalid('DetailType', 'DetailType is a required argument.');
  if (e.Detail === undefined) return invalid('Detail', 'Detail is a required argument.');
  if (e.Source.toLowerCase().startsWith('aws.')) {
    return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' };
  }
  let detail: unknown;
  try {
    detail = JSON.parse(e.Detail);
  } catch {
    return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  }
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
    return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  }
  for (const r of e.Resources ?? []) {
    if (r.length > 2048) return invalid('Resources', 'Resource is too long.');
  }
  return undefined;
}
